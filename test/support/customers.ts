import { TestApp } from './app.js';

/**
 * Registers customers under test aliases ('p-1', 'p-2' …) in a book and translates between the
 * aliases and the party ids Kontor assigns (so expectations stay readable).
 */
export class Customers {
  private readonly ids = new Map<string, string>();
  private readonly aliases = new Map<string, string>();

  constructor(
    private readonly app: TestApp,
    private readonly book: string,
  ) {}

  async register(alias: string, naturalPerson = false): Promise<string> {
    const response = await this.app.request('POST', `/v1/books/${this.book}/parties`, {
      key: this.app.adminKey,
      body: {
        kind: 'customer',
        name: `Kunde ${alias}`,
        naturalPerson,
        address: { street: 'Hauptstraße 5', postalCode: '50667', city: 'Köln', country: 'DE' },
      },
    });
    if (response.status !== 201)
      throw new Error(`party ${alias}: ${response.status} ${JSON.stringify(response.body)}`);
    const id = String(response.body.id);
    this.ids.set(alias, id);
    this.aliases.set(id, alias);
    return id;
  }

  /** The id of an alias (an unknown alias stays as it is: an unknown party). */
  id(alias: string): string {
    return this.ids.get(alias) ?? alias;
  }

  alias(id: string): string {
    return this.aliases.get(id) ?? id;
  }
}
