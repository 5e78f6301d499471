import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { XMLParser } from 'fast-xml-parser';
import { TestApp, TestStore, startTestApp } from '../support/app.js';

/**
 * The GoBD Z3 data set: index.xml valid against gdpdu-01-09-2004.dtd (xmllint --dtdvalid), and
 * every CSV exactly as index.xml declares it (columns, types, decimal symbol, delimiters).
 */
const stores: TestStore[] = ['sqlite', 'postgres'];

interface DeclaredColumn {
  Name: string;
  Numeric?: { Accuracy: number } | '';
  AlphaNumeric?: '';
  Date?: { Format: string };
}

describe.each(stores)('GoBD Z3 export over %s', (store) => {
  let app: TestApp;
  let accountant: string;
  let auditor: string;
  let book: string;
  let head = 0;
  let dir: string;

  beforeAll(async () => {
    app = await startTestApp({ store });
    accountant = await app.createKey('Erika Accountant', ['accountant']);
    auditor = await app.createKey('Anton Auditor', ['auditor']);
    dir = await mkdtemp(join(tmpdir(), 'kontor-gobd-'));
    book = `gobd-${randomUUID().slice(0, 8)}`;
    const request = async (method: string, path: string, body: unknown, status: number) => {
      const key = path === '/v1/books' ? app.adminKey : accountant;
      const response = await app.request(method, path, { key, body });
      expect({ path, status: response.status }).toEqual({ path, status });
      if (typeof response.body?.position === 'number' && response.body.position > head)
        head = response.body.position;
      return response.body;
    };
    await request(
      'POST',
      '/v1/books',
      { id: book, name: 'Müller GmbH', baseCurrency: 'EUR', chart: 'skr03' },
      201,
    );
    await request(
      'PUT',
      `/v1/books/${book}/settings/company`,
      {
        name: 'Müller & Töchter GmbH',
        address: { street: 'Hauptstr. 1', postalCode: '80331', city: 'München', country: 'DE' },
        vatId: 'DE987654321',
        registration: 'Amtsgericht München HRB 123456',
        email: 'rechnung@mueller.example',
        phone: '+49 89 123456',
        contactName: 'Erika Muster',
        iban: 'DE89370400440532013000',
      },
      200,
    );
    const customer = await request(
      'POST',
      `/v1/books/${book}/parties`,
      {
        kind: 'customer',
        name: 'Kunde "Eins" KG',
        address: { street: 'Weg 2', postalCode: '10115', city: 'Berlin', country: 'DE' },
      },
      201,
    );
    await request(
      'POST',
      `/v1/books/${book}/journal-entries`,
      {
        effectiveDate: '2026-02-03',
        description: 'Rechnung; mit Semikolon\nund Zeilenumbruch',
        reference: 'RE-1',
        tax: 'auto',
        lines: [
          { account: '1400', debit: '1190.00', party: customer.id },
          { account: '8400', credit: '1000.00', taxCode: 'USt19' },
        ],
      },
      201,
    );
    await request(
      'POST',
      `/v1/books/${book}/payments`,
      { party: customer.id, date: '2026-02-20', amount: '1190.00', bankAccount: '1200' },
      201,
    );
    await request(
      'POST',
      `/v1/books/${book}/journal-entries`,
      {
        effectiveDate: '2027-01-05',
        description: 'Next year',
        lines: [
          { account: '4210', debit: '5.00' },
          { account: '1200', credit: '5.00' },
        ],
      },
      201,
    );
    const stored = await fetch(`${app.baseUrl}/v1/books/${book}/documents?fileName=beleg.pdf`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accountant}`, 'content-type': 'application/pdf' },
      body: Buffer.from('%PDF-1.4 a receipt'),
    });
    expect(stored.status).toBe(201);
    head = Math.max(head, ((await stored.json()) as { position: number }).position);
  });

  afterAll(async () => {
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function download(query: string, key = auditor) {
    const response = await fetch(
      `${app.baseUrl}/v1/books/${book}/exports/gobd?${query}&consistentWith=${head}`,
      { headers: { authorization: `Bearer ${key}` } },
    );
    return { response, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  it('is a ZIP whose index.xml is valid against the GDPdU DTD and describes every CSV exactly', async () => {
    const { response, bytes } = await download('fiscalYear=2026');
    expect({
      status: response.status,
      body: response.status === 200 ? '' : bytes.toString(),
    }).toEqual({
      status: 200,
      body: '',
    });
    expect(response.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(bytes));
    expect(Object.keys(files).sort()).toEqual(
      [
        'belegablage.csv',
        'belege_buchungen.csv',
        'buchungen.csv',
        'gdpdu-01-09-2004.dtd',
        'index.xml',
        'konten.csv',
        'personenkonten.csv',
      ].sort(),
    );
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    // xmllint exits non-zero (and the call throws) when index.xml breaks the DTD.
    execFileSync('xmllint', [
      '--noout',
      '--dtdvalid',
      join(dir, 'gdpdu-01-09-2004.dtd'),
      join(dir, 'index.xml'),
    ]);

    const index = new XMLParser({ ignoreDeclaration: true, processEntities: true }).parse(
      Buffer.from(files['index.xml']!).toString('utf8'),
    );
    expect(index.DataSet.DataSupplier.Name).toBe('Müller & Töchter GmbH');
    const tables = [index.DataSet.Media.Table].flat();
    expect(tables).toHaveLength(5);
    for (const table of tables) {
      expect(table.DecimalSymbol).toBe(',');
      const declared: DeclaredColumn[] = [
        ...[table.VariableLength.VariablePrimaryKey].flat(),
        ...[table.VariableLength.VariableColumn ?? []].flat(),
      ];
      const text = Buffer.from(files[table.URL]!).toString('utf8');
      const records = text === '' ? [] : text.slice(0, -2).split('\r\n');
      for (const record of records) {
        const cells = splitRecord(record, table.VariableLength.ColumnDelimiter);
        expect(cells).toHaveLength(declared.length);
        cells.forEach((cell, i) => {
          const column = declared[i]!;
          if (cell === '') return;
          if (column.Date !== undefined) expect(cell).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
          else if (column.Numeric !== undefined) {
            const accuracy = typeof column.Numeric === 'object' ? column.Numeric.Accuracy : 0;
            expect(cell).toMatch(
              accuracy === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+,\\d{${accuracy}}$`),
            );
          } else expect(cell).toMatch(/^".*"$/s);
        });
      }
      if (table.URL === 'buchungen.csv') {
        expect(records.length).toBeGreaterThanOrEqual(5);
        const amounts = records.map((record) => splitRecord(record, ';'));
        const sum = (column: number) =>
          amounts.reduce(
            (total, cells) => total + Number((cells[column] || '0').replace(',', '')),
            0,
          );
        expect(sum(9)).toBe(sum(10)); // Soll = Haben over the year
        expect(text).not.toContain('Next year');
        expect(text).toContain('"Rechnung; mit Semikolon und Zeilenumbruch"');
      }
      if (table.URL === 'belege_buchungen.csv') expect(text).toContain('"PaymentReceived"');
      if (table.URL === 'belegablage.csv') expect(text).toContain('"beleg.pdf"');
      if (table.URL === 'personenkonten.csv') expect(text).toContain('"Kunde ""Eins"" KG"');
    }
  });

  it('gives the same bytes for the same books, and refuses a fiscal year that is not a year', async () => {
    const first = await download('fiscalYear=2026');
    const second = await download('fiscalYear=2026');
    expect(second.bytes.equals(first.bytes)).toBe(true);
    for (const query of ['fiscalYear=26', 'fiscalYear=abc', 'fiscalYear=']) {
      const { response, bytes } = await download(query);
      expect(response.status).toBe(400);
      expect(JSON.parse(bytes.toString()).errors[0].field).toBe('fiscalYear');
    }
  });
});

function splitRecord(record: string, delimiter: string): string[] {
  const cells: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of record) {
    if (char === '"') quoted = !quoted;
    if (char === delimiter && !quoted) {
      cells.push(current);
      current = '';
    } else current += char;
  }
  cells.push(current);
  return cells;
}
