import { randomUUID } from 'node:crypto';
import iconv from 'iconv-lite';
import { buchungsstapelColumns, partiesColumns } from '../../src/compliance/index.js';
import { TestApp, startTestApp } from '../support/app.js';

/**
 * The DATEV EXTF export of a demo month, checked line by line against the rules of
 * docs/compliance.md ("DATEV", D1–D12).
 */
describe('DATEV EXTF export', () => {
  let app: TestApp;
  let accountant: string;
  let auditor: string;
  let book: string;

  beforeAll(async () => {
    app = await startTestApp({ store: 'sqlite' });
    accountant = await app.createKey('Erika Accountant', ['accountant']);
    auditor = await app.createKey('Anton Auditor', ['auditor']);
    book = `datev-${randomUUID().slice(0, 8)}`;
    expect(
      (
        await app.request('POST', '/v1/books', {
          key: app.adminKey,
          body: { id: book, name: 'Müller & Söhne GmbH', baseCurrency: 'EUR', chart: 'skr03' },
        })
      ).status,
    ).toBe(201);
  });

  afterAll(async () => {
    await app?.close();
  });

  async function raw(path: string, key = accountant) {
    const response = await fetch(`${app.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return { response, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  async function party(body: Record<string, unknown>): Promise<{ id: string; number: string }> {
    const created = await app.request('POST', `/v1/books/${book}/parties`, {
      key: accountant,
      body: {
        address: {
          street: 'Königsallee 1',
          postalCode: '40212',
          city: 'Düsseldorf',
          country: 'DE',
        },
        ...body,
      },
    });
    expect(created.status).toBe(201);
    return created.body;
  }

  async function post(body: Record<string, unknown>): Promise<number> {
    const posted = await app.request('POST', `/v1/books/${book}/journal-entries`, {
      key: accountant,
      body,
    });
    expect(posted.status).toBe(201);
    return posted.body.position;
  }

  it('refuses an export before the DATEV numbers are set, and numbers out of range', async () => {
    const before = await raw(`/v1/books/${book}/exports/datev?from=2026-03-01&to=2026-03-31`);
    expect(before.response.status).toBe(422);
    expect(JSON.parse(before.bytes.toString()).detail).toContain('settings/datev');
    const bad = await app.request('PUT', `/v1/books/${book}/settings/datev`, {
      key: accountant,
      body: { consultantNumber: 999, clientNumber: 100_000, accountLength: 3 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'accountLength',
      'clientNumber',
      'consultantNumber',
    ]);
    const forbidden = await app.request('PUT', `/v1/books/${book}/settings/datev`, {
      key: auditor,
      body: { consultantNumber: 1234567, clientNumber: 12345, accountLength: 4 },
    });
    expect(forbidden.status).toBe(403);
  });

  it('writes a demo month as a Buchungsstapel that keeps every rule', async () => {
    const settings = await app.request('PUT', `/v1/books/${book}/settings/datev`, {
      key: accountant,
      body: { consultantNumber: 1234567, clientNumber: 12345, accountLength: 4 },
    });
    expect(settings.status).toBe(200);
    expect(settings.body).toMatchObject({ consultantNumber: 1234567, clientNumber: 12345 });
    const customer = await party({ kind: 'customer', name: 'Bäckerei Groß KG' });
    const supplier = await party({ kind: 'supplier', name: 'Bürobedarf Weiß GmbH' });
    await post({
      effectiveDate: '2026-03-02',
      description: 'Rechnung RE-2026-00001 Brötchenautomat "Deluxe"',
      reference: 'RE-2026-00001',
      tax: 'auto',
      lines: [
        { account: '1400', debit: '1190.00', party: customer.id },
        { account: '8400', credit: '1000.00', taxCode: 'USt19' },
      ],
    });
    await post({
      effectiveDate: '2026-03-05',
      description: 'Eingangsrechnung 4711 Papier',
      reference: 'ER 4711',
      tax: 'auto',
      lines: [
        { account: '3400', debit: '200.00', taxCode: 'VSt19' },
        { account: '1600', credit: '238.00', party: supplier.id },
      ],
    });
    await post({
      effectiveDate: '2026-03-20',
      description: 'Zahlung RE-2026-00001',
      lines: [
        { account: '1200', debit: '1190.00' },
        { account: '1400', credit: '1190.00', party: customer.id },
      ],
    });
    // Several lines on both sides: paired largest against largest.
    const last = await post({
      effectiveDate: '2026-03-31',
      description: 'Umbuchung',
      lines: [
        { account: '4210', debit: '300.00' },
        { account: '4240', debit: '100.00' },
        { account: '1200', credit: '250.00' },
        { account: '1000', credit: '150.00' },
      ],
    });
    // Outside the range.
    await post({
      effectiveDate: '2026-04-01',
      description: 'April',
      lines: [
        { account: '4210', debit: '1.00' },
        { account: '1200', credit: '1.00' },
      ],
    });

    const { response, bytes } = await raw(
      `/v1/books/${book}/exports/datev?from=2026-03-01&to=2026-03-31&kind=bookings&consistentWith=${last}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=windows-1252');
    expect(response.headers.get('content-disposition')).toContain('EXTF_Buchungsstapel_');
    // D1: Windows-1252 — "ö" is the single byte 0xF6, and no UTF-8 sequence appears.
    expect(bytes.includes(Buffer.from([0xf6]))).toBe(true);
    expect(bytes.includes(Buffer.from('ö', 'utf8'))).toBe(false);
    const text = iconv.decode(bytes, 'win1252');
    // D2: CRLF line ends, a final one.
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, columns, ...rows] = text.slice(0, -2).split('\r\n');
    const fields = splitLine(header!);
    // D3: the header's 31 fields.
    expect(fields).toHaveLength(31);
    expect(fields.slice(0, 5)).toEqual(['"EXTF"', '700', '21', '"Buchungsstapel"', '13']);
    expect(fields[5]).toMatch(/^\d{17}$/);
    expect(fields.slice(10, 16)).toEqual([
      '1234567',
      '12345',
      '20260101',
      '4',
      '20260301',
      '20260331',
    ]);
    expect(fields[26]).toBe('"03"');
    // D4: the column line names the columns in DATEV's order.
    expect(columns).toBe(buchungsstapelColumns.join(';'));
    const bookings = rows.map(splitLine).map(cells);
    for (const row of bookings) {
      expect(row.cells).toHaveLength(buchungsstapelColumns.length);
      expect(row.amount).toMatch(/^[1-9]\d*,\d{2}$|^0,\d[1-9]$|^0,[1-9]\d$/); // D5
      expect(['"S"', '"H"']).toContain(row.side); // D6
      expect(row.account).toMatch(/^\d{4,5}$/); // D7: Sachkonto 4, Personenkonto 5 digits
      expect(row.contra).toMatch(/^\d{4,5}$/);
      expect(row.bu).toMatch(/^"\d{0,4}"$/); // D8
      expect(row.belegdatum).toMatch(/^(0[1-9]|[12]\d|3[01])03$/); // D9: TTMM in the range
      expect(row.belegfeld1).toMatch(/^"[a-zA-Z0-9$&%*+\-/]{0,36}"$/); // D10
      expect(row.text.length).toBeLessThanOrEqual(62); // D11: 60 characters in quotes
    }
    // D12: the bookings themselves.
    const summary = bookings.map((b) => [
      b.amount,
      b.side,
      b.account,
      b.contra,
      b.bu,
      b.belegdatum,
      b.belegfeld1,
    ]);
    expect(summary).toEqual([
      ['1190,00', '"S"', customer.number, '8400', '"3"', '0203', '"RE-2026-00001"'],
      ['238,00', '"S"', '3400', supplier.number, '"9"', '0503', '"ER4711"'],
      ['1190,00', '"S"', '1200', customer.number, '""', '2003', '""'],
      ['250,00', '"S"', '4210', '1200', '""', '3103', '""'],
      ['50,00', '"S"', '4210', '1000', '""', '3103', '""'],
      ['100,00', '"S"', '4240', '1000', '""', '3103', '""'],
    ]);
    expect(bookings[0]!.text).toBe('"Rechnung RE-2026-00001 Brötchenautomat ""Deluxe"""');
  });

  it('writes the parties as Debitoren/Kreditoren with their personal accounts', async () => {
    const { response, bytes } = await raw(`/v1/books/${book}/exports/datev?kind=parties`, auditor);
    expect(response.status).toBe(200);
    const [header, columns, ...rows] = iconv.decode(bytes, 'win1252').slice(0, -2).split('\r\n');
    expect(splitLine(header!).slice(0, 5)).toEqual([
      '"EXTF"',
      '700',
      '16',
      '"Debitoren/Kreditoren"',
      '5',
    ]);
    expect(columns).toBe(partiesColumns.join(';'));
    const parties = rows.map(splitLine);
    expect(parties.map((row) => [row[0], row[1], row[6]])).toEqual(
      expect.arrayContaining([
        [expect.stringMatching(/^1\d{4}$/), '"Bäckerei Groß KG"', '"2"'],
        [expect.stringMatching(/^7\d{4}$/), '"Bürobedarf Weiß GmbH"', '"2"'],
      ]),
    );
    for (const row of parties) expect(row).toHaveLength(partiesColumns.length);
  });

  it('refuses a range across fiscal years and dates that are not dates', async () => {
    const across = await app.request(
      'GET',
      `/v1/books/${book}/exports/datev?from=2026-12-01&to=2027-01-31`,
      { key: accountant },
    );
    expect(across.status).toBe(400);
    expect(across.body.errors[0].message).toContain('one fiscal year');
    const notDates = await app.request(
      'GET',
      `/v1/books/${book}/exports/datev?from=März&to=2026-13-01`,
      {
        key: accountant,
      },
    );
    expect(notDates.status).toBe(400);
    const backwards = await app.request(
      'GET',
      `/v1/books/${book}/exports/datev?from=2026-03-31&to=2026-03-01`,
      {
        key: accountant,
      },
    );
    expect(backwards.status).toBe(400);
  });
});

/** Splits a DATEV line on `;` outside quotes (a quote inside a text is doubled). */
function splitLine(line: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (char === '"') quoted = !quoted;
    if (char === ';' && !quoted) {
      out.push(current);
      current = '';
    } else current += char;
  }
  out.push(current);
  return out;
}

function cells(row: string[]) {
  return {
    cells: row,
    amount: row[0]!,
    side: row[1]!,
    account: row[6]!,
    contra: row[7]!,
    bu: row[8]!,
    belegdatum: row[9]!,
    belegfeld1: row[10]!,
    text: row[13]!,
  };
}
