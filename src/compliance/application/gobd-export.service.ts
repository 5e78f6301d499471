import { Inject, Injectable } from '@nestjs/common';
import { zipSync } from 'fflate';
import { EventStore, RecordedEvent, ValidationError } from '../../event-sourcing/index.js';
import { EVENT_STORE } from '../../infrastructure/tokens.js';
import { documentsStreamId, DocumentStoredData } from '../../documents/index.js';
import {
  bookStreamId,
  fiscalYearDates,
  isDocumentType,
  JournalEntryPostedData,
} from '../../ledger/index.js';
import {
  AccountsReadModel,
  AccountView,
  JournalReadModel,
} from '../../ledger/ledger-read.module.js';
import { PartiesLookup } from '../../parties/index.js';
import { PARTIES_LOOKUP, PartiesReadModel } from '../../parties/parties.module.js';
import { gdpduDtd, gdpduDtdFileName } from '../domain/gdpdu-dtd.js';
import { Cell, csvRecord, gdpduDate, indexXml, TableDefinition } from '../domain/gdpdu-index.js';
import { gobdTables } from '../domain/gobd-tables.js';

const pageSize = 1000;
/** Every file of the ZIP carries this time: the same books give the same bytes (HTTP and CLI). */
const zipTime = new Date(Date.UTC(2000, 0, 1));

/**
 * The GoBD Z3 data set of one fiscal year (docs/compliance.md, "GoBD Z3"): `index.xml` per the
 * GDPdU Beschreibungsstandard, its DTD, and one CSV per table it describes, in one ZIP.
 */
@Injectable()
export class GobdExportService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PARTIES_LOOKUP) private readonly partiesLookup: PartiesLookup,
    private readonly parties: PartiesReadModel,
    private readonly accounts: AccountsReadModel,
    private readonly journal: JournalReadModel,
  ) {}

  async export(bookId: string, fiscalYear: number): Promise<Buffer> {
    const book = await this.accounts.getBook(bookId);
    const range = fiscalYearRange(fiscalYear, book.fiscalYearStartMonth);
    const company = await this.partiesLookup.company(bookId);
    const partyNumbers = new Map<string, string>();
    const files: Record<string, Uint8Array> = {};
    const write = (table: TableDefinition, records: string[]) => {
      files[table.file] = Buffer.from(records.join(''), 'utf8');
    };
    const partyRecords: string[] = [];
    await this.eachParty(bookId, (party) => {
      partyNumbers.set(party.id, party.number);
      partyRecords.push(
        csvRecord(gobdTables.parties, [
          party.number,
          party.id,
          party.kind,
          party.name || null,
          party.vatId ?? null,
          party.taxNumber ?? null,
          party.address?.street || null,
          party.address?.postalCode || null,
          party.address?.city || null,
          party.address?.country || null,
        ]),
      );
    });
    write(gobdTables.parties, partyRecords);
    const accounts = await this.accounts.accountsByCode(bookId);
    write(gobdTables.accounts, accountRecords(accounts));
    write(gobdTables.journal, await this.journalRecords(bookId, range, accounts, partyNumbers));
    write(gobdTables.invoices, await this.documentRecords(bookId, range));
    write(gobdTables.documents, await this.vaultRecords(bookId));
    const tables = Object.values(gobdTables);
    files['index.xml'] = Buffer.from(
      indexXml(
        {
          name: company?.name ?? book.name,
          location: company ? `${company.address.postalCode} ${company.address.city}`.trim() : '',
          comment: `GoBD-Datenüberlassung Z3, Buch ${bookId}, Wirtschaftsjahr ${fiscalYear} (${gdpduDate(range.from)}–${gdpduDate(range.to)}), erzeugt von Kontor`,
        },
        `Kontor ${bookId} ${fiscalYear}`,
        range,
        tables,
      ),
      'utf8',
    );
    files[gdpduDtdFileName] = Buffer.from(gdpduDtd, 'utf8');
    const zipped = zipSync(
      Object.fromEntries(
        Object.entries(files).map(([name, bytes]) => [name, [bytes, { mtime: zipTime }]]),
      ),
      { level: 6 },
    );
    return Buffer.from(zipped);
  }

  private async eachParty(
    bookId: string,
    visit: (party: Awaited<ReturnType<PartiesReadModel['list']>>['items'][number]['party']) => void,
  ): Promise<void> {
    let cursor: string | undefined;
    do {
      const page = await this.parties.list({
        bookId,
        limit: 500,
        ...(cursor === undefined ? {} : { cursor }),
      });
      page.items.forEach(({ party }) => visit(party));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  private async journalRecords(
    bookId: string,
    range: { from: string; to: string },
    names: ReadonlyMap<string, AccountView>,
    partyNumbers: ReadonlyMap<string, string>,
  ): Promise<string[]> {
    const records: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.journal.listEntries(bookId, {
        ...range,
        limit: pageSize,
        ...(cursor === undefined ? {} : { cursor }),
      });
      for (const entry of page.items)
        for (const line of entry.lines)
          records.push(
            csvRecord(gobdTables.journal, [
              entry.id,
              String(line.lineNo),
              gdpduDate(entry.effectiveDate),
              entry.recordedAt,
              entry.position.toString(),
              entry.description,
              entry.reference,
              line.account,
              names.get(line.account)?.name ?? null,
              line.debitMinor,
              line.creditMinor,
              line.currency,
              line.taxCode,
              line.party === null ? null : (partyNumbers.get(line.party) ?? line.party),
              entry.reversalOf,
            ]),
          );
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return records;
  }

  /** The document events of the book stream (PostDocument, ADR 0008) dated in the year. */
  private async documentRecords(
    bookId: string,
    range: { from: string; to: string },
  ): Promise<string[]> {
    const entries = new Map<string, { date: string; debitMinor: bigint; currency: string }>();
    const documents: RecordedEvent[] = [];
    await this.eachEvent(bookStreamId(bookId), (event) => {
      if (event.type === 'JournalEntryPosted') {
        const data = event.data as JournalEntryPostedData;
        const debits = data.lines.filter((line) => line.side === 'debit');
        entries.set(data.entryId, {
          date: data.effectiveDate,
          debitMinor: debits.reduce((sum, line) => sum + BigInt(line.amountMinor), 0n),
          currency: debits[0]?.currency ?? '',
        });
      } else if (isDocumentType(event.type)) documents.push(event);
    });
    const records: string[] = [];
    for (const event of documents) {
      const data = event.data as Record<string, unknown>;
      const entry = entries.get(String(data.entryId));
      if (entry === undefined || entry.date < range.from || entry.date > range.to) continue;
      const dueDate = typeof data.dueDate === 'string' ? gdpduDate(data.dueDate) : null;
      records.push(
        csvRecord(gobdTables.invoices, [
          String(data.documentId),
          event.type,
          typeof data.number === 'string' ? data.number : null,
          gdpduDate(entry.date),
          dueDate,
          String(data.entryId),
          entry.debitMinor,
          entry.currency,
          typeof data.refersTo === 'string' ? data.refersTo : null,
          event.position.toString(),
        ]),
      );
    }
    return records;
  }

  private async vaultRecords(bookId: string): Promise<string[]> {
    const records: string[] = [];
    await this.eachEvent(documentsStreamId(bookId), (event) => {
      if (event.type !== 'DocumentStored') return;
      const data = event.data as unknown as DocumentStoredData;
      records.push(
        csvRecord(gobdTables.documents, [
          data.documentId,
          String(data.size),
          data.contentType,
          data.fileName ?? null,
          event.recordedAt,
          event.position.toString(),
        ] satisfies Cell[]),
      );
    });
    return records;
  }

  private async eachEvent(streamId: string, visit: (event: RecordedEvent) => void): Promise<void> {
    for (let fromRevision = 0; ;) {
      const events = await this.store.readStream(streamId, { fromRevision, limit: pageSize });
      events.forEach(visit);
      if (events.length < pageSize) return;
      fromRevision += events.length;
    }
  }
}

function accountRecords(accounts: ReadonlyMap<string, AccountView>): string[] {
  return [...accounts.values()]
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((account) =>
      csvRecord(gobdTables.accounts, [
        account.code,
        account.name,
        account.type,
        account.currency,
        account.status,
        account.openedAt,
      ]),
    );
}

/** Fiscal year N: from the first day of its start month in N to the day before it in N + 1. */
export function fiscalYearRange(year: number, startMonth: number): { from: string; to: string } {
  if (!Number.isInteger(year) || year < 1900 || year > 2999)
    throw new ValidationError('Invalid query', [
      { field: 'fiscalYear', message: 'must be a year from 1900 to 2999, e.g. 2026' },
    ]);
  return fiscalYearDates(year, startMonth);
}
