/**
 * Personal account numbers are decided inside the parties stream of the book: concurrent
 * registrations through two services (two instances' caches) on one store get distinct numbers
 * in sequence, without gap or duplicate — a lost race decides again (handleCommand). A command
 * that loses appendAttemptsMax races in a row is refused (409) and retried here, as a client would.
 */
import { WrongExpectedRevisionError, newId } from '../../src/event-sourcing/index.js';
import { inMemoryPersonalDataCipher } from '../../src/parties/testing/personal-data.fixtures.js';
import { bookStreamId } from '../../src/ledger/index.js';
import { PartiesService } from '../../src/parties/parties.module.js';
import { partiesStreamId } from '../../src/parties/index.js';
import { TestStores, openStores, storeBackends } from '../support/stores.js';

jest.setTimeout(60_000);

const registrationsPerService = 12;
const address = { street: 'Weg 1', postalCode: '10115', city: 'Berlin', country: 'DE' };

async function registerRetrying(
  service: PartiesService,
  command: Parameters<PartiesService['register']>[0],
) {
  for (;;) {
    try {
      return await service.register(command, {
        actor: { id: 'key-1', name: 'Otto' },
        correlationId: 'c',
        commandId: newId(),
      });
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
  }
}

describe.each(storeBackends)('parties numbering under concurrency on %s', (backend) => {
  let stores: TestStores;

  beforeEach(async () => {
    stores = await openStores(backend);
  });

  afterEach(() => stores.dispose());

  it('gives concurrent registrations through two services the numbers 10000.. without gap', async () => {
    const actor = { id: 'key-1', name: 'Otto' };
    await stores.store.append(
      bookStreamId('acme'),
      [
        {
          eventId: newId(),
          type: 'BookOpened',
          data: { bookId: 'acme', name: 'ACME', baseCurrency: 'EUR', fiscalYearStartMonth: 1 },
          metadata: { actor, correlationId: 'c' },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    const { cipher } = inMemoryPersonalDataCipher();
    const services = [
      new PartiesService(stores.store, cipher),
      new PartiesService(stores.store, cipher),
    ];
    const registrations = services.flatMap((service, serviceIndex) =>
      Array.from({ length: registrationsPerService }, (_, index) =>
        registerRetrying(service, {
          type: 'RegisterParty',
          bookId: 'acme',
          partyId: `p-${serviceIndex}-${index}`,
          kind: 'customer',
          master: { name: `Kunde ${serviceIndex}-${index}`, naturalPerson: false, address },
        }),
      ),
    );
    const records = await Promise.all(registrations);
    const numbers = records.map((record) => Number(record.party.number)).sort((a, b) => a - b);
    const expected = Array.from(
      { length: 2 * registrationsPerService },
      (_, index) => 10000 + index,
    );
    expect(numbers).toEqual(expected);
    const events = await stores.store.readStream(partiesStreamId('acme'), { limit: 1000 });
    expect(events).toHaveLength(2 * registrationsPerService);
    for (const service of services) {
      for (const record of records)
        expect((await service.find('acme', record.party.number))?.id).toBe(record.party.id);
    }
  });
});
