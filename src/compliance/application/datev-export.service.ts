import { Inject, Injectable } from '@nestjs/common';
import iconv from 'iconv-lite';
import {
  Clock,
  CommandMetadata,
  DecidedStream,
  DomainError,
  EventStore,
  ValidationError,
} from '../../event-sourcing/index.js';
import { formatAmountDecimalComma } from '../../event-sourcing/csv/index.js';
import { CLOCK, EVENT_STORE } from '../../infrastructure/tokens.js';
import {
  bookOpenedOf,
  fiscalYearDates,
  fiscalYearOf,
  isCalendarDate,
  TaxCodeDefinition,
} from '../../ledger/index.js';
import { AccountsReadModel, JournalReadModel } from '../../ledger/ledger-read.module.js';
import { LedgerLookup } from '../../ledger/ledger.module.js';
import { Party, PartiesLookup } from '../../parties/index.js';
import { PARTIES_LOOKUP, PartiesReadModel } from '../../parties/parties.module.js';
import { datevBookings, datevOpeningBookings, EntryLine } from '../domain/datev-bookings.js';
import {
  belegdatum,
  belegfeld1,
  buchungsstapelColumns,
  columnLine,
  DatevCell,
  DatevHeader,
  datevLine,
  headerLine,
  partiesColumns,
  text,
} from '../domain/datev-extf.js';
import {
  DatevSettingsData,
  datevSettingsDecider,
  datevSettingsStreamId,
} from '../domain/datev-settings.js';

export class DatevSettingsMissingError extends DomainError {
  constructor(bookId: string) {
    super(
      'business-rule',
      `Book ${bookId} has no DATEV settings: PUT /v1/books/${bookId}/settings/datev {"consultantNumber", "clientNumber", "accountLength"} first`,
    );
  }
}

const pageSize = 1000;

/** DATEV-Format EXTF files of a book (docs/compliance.md, "DATEV"), Windows-1252 bytes. */
@Injectable()
export class DatevExportService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PARTIES_LOOKUP) private readonly partiesLookup: PartiesLookup,
    private readonly parties: PartiesReadModel,
    private readonly accounts: AccountsReadModel,
    private readonly journal: JournalReadModel,
    private readonly ledger: LedgerLookup,
  ) {}

  private stream(bookId: string) {
    return new DecidedStream(this.store, datevSettingsStreamId(bookId), datevSettingsDecider);
  }

  async settings(bookId: string): Promise<DatevSettingsData | undefined> {
    await this.accounts.requireBook(bookId);
    return (await this.stream(bookId).current()).settings;
  }

  async changeSettings(
    settings: DatevSettingsData,
    metadata: CommandMetadata,
  ): Promise<bigint | undefined> {
    await this.accounts.requireBook(settings.bookId);
    const handled = await this.stream(settings.bookId).handle(
      { type: 'SetDatevSettings', settings },
      metadata,
    );
    return handled.position;
  }

  /** The Buchungsstapel (category 21) of the entries dated from..to (one fiscal year). */
  async bookings(bookId: string, from: string, to: string): Promise<Buffer> {
    const header = await this.header(bookId, 21, { from, to });
    const codes = await this.ledger.taxCodesOf(bookId);
    const lines = [headerLine(header), columnLine(buchungsstapelColumns)];
    const personal = this.personalAccounts(bookId, header.accountLength);
    let cursor: string | undefined;
    do {
      const page = await this.journal.listEntries(bookId, {
        from,
        to,
        limit: pageSize,
        ...(cursor === undefined ? {} : { cursor }),
      });
      for (const entry of page.items)
        lines.push(...(await this.entryRows(entry, codes, personal, header.accountLength)));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return encode(lines);
  }

  /** Debitoren/Kreditoren (category 16): every party of the book with its personal account. */
  async partiesFile(bookId: string): Promise<Buffer> {
    const header = await this.header(bookId, 16, {});
    const lines = [headerLine(header), columnLine(partiesColumns)];
    let cursor: string | undefined;
    do {
      const page = await this.parties.list({
        bookId,
        limit: 500,
        ...(cursor === undefined ? {} : { cursor }),
      });
      for (const { party } of page.items)
        lines.push(datevLine(partyRow(party, header.accountLength)));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return encode(lines);
  }

  private async header(
    bookId: string,
    category: 21 | 16,
    range: { from?: string; to?: string },
  ): Promise<DatevHeader> {
    const book = await this.accounts.getBook(bookId);
    const settings = (await this.stream(bookId).current()).settings;
    if (settings === undefined) throw new DatevSettingsMissingError(bookId);
    const opened = await bookOpenedOf(this.store, bookId);
    const fiscalYearStart = fiscalYearStartOf(
      range.from ?? this.clock.now().toISOString().slice(0, 10),
      book.fiscalYearStartMonth,
    );
    if (range.from !== undefined && range.to !== undefined)
      checkRange(range.from, range.to, fiscalYearStart);
    const locked =
      range.from !== undefined &&
      range.to !== undefined &&
      monthsOf(range.from, range.to).every((month) =>
        book.periods.some((period) => period.period === month && period.status === 'closed'),
      );
    const chart = opened?.chart?.id.match(/^skr(\d{2})$/i)?.[1];
    return {
      category,
      consultantNumber: settings.consultantNumber,
      clientNumber: settings.clientNumber,
      fiscalYearStart,
      accountLength: settings.accountLength,
      ...range,
      description: `Kontor ${bookId}`,
      locked,
      currency: book.baseCurrency,
      ...(chart === undefined ? {} : { chart }),
      createdAt: this.clock
        .now()
        .toISOString()
        .replace(/[-:TZ.]/g, '')
        .slice(0, 17),
    };
  }

  /** Party id → personal account (the party's number at the DATEV length), cached per export. */
  private personalAccounts(bookId: string, accountLength: number) {
    const known = new Map<string, Promise<string | null>>();
    return (partyId: string): Promise<string | null> => {
      let number = known.get(partyId);
      if (number === undefined) {
        number = this.partiesLookup
          .find(bookId, partyId)
          .then((party) => (party ? personalAccount(party.number, accountLength) : null));
        known.set(partyId, number);
      }
      return number;
    };
  }

  private async entryRows(
    entry: Awaited<ReturnType<JournalReadModel['getEntry']>>,
    codes: readonly TaxCodeDefinition[],
    personal: (partyId: string) => Promise<string | null>,
    accountLength: number,
  ): Promise<string[]> {
    const byCurrency = new Map<string, EntryLine[]>();
    for (const line of entry.lines) {
      const lines = byCurrency.get(line.currency) ?? [];
      lines.push({
        account: line.account,
        debitMinor: line.debitMinor,
        creditMinor: line.creditMinor,
        taxCode: line.taxCode,
        personalAccount: line.party === null ? null : await personal(line.party),
      });
      byCurrency.set(line.currency, lines);
    }
    const rows: string[] = [];
    for (const [currency, lines] of byCurrency)
      for (const booking of entry.carryForwardOf === null
        ? datevBookings(lines, codes, entry.effectiveDate)
        : datevOpeningBookings(lines, accountLength)) {
        const cells: DatevCell[] = [
          formatAmountDecimalComma(booking.amountMinor, currency),
          text(booking.side),
          text(currency),
          '',
          '',
          text(''),
          booking.account,
          booking.contraAccount,
          text(booking.buKey),
          belegdatum(entry.effectiveDate),
          text(belegfeld1(entry.reference), 36),
          text('', 12),
          '',
          text(entry.description, 60),
        ];
        rows.push(datevLine(cells));
      }
    return rows;
  }
}

/** A party's personal account at the DATEV length (account length + 1 digits). */
export function personalAccount(number: string, accountLength: number): string {
  return number.padEnd(accountLength + 1, '0');
}

function partyRow(party: Party, accountLength: number): DatevCell[] {
  const name = party.name ?? '';
  const address = party.address;
  const euCountry = party.vatId?.slice(0, 2) ?? '';
  return [
    personalAccount(party.number, accountLength),
    text(party.naturalPerson ? '' : name, 50),
    text(''),
    text(party.naturalPerson ? name : '', 30),
    text(''),
    text(''),
    text(party.naturalPerson ? '1' : '2'),
    text(name, 15),
    text(euCountry, 2),
    text(party.vatId?.slice(2) ?? '', 13),
    text(''),
    text(''),
    text(''),
    text(''),
    text('STR'),
    text(address?.street ?? '', 36),
    text(''),
    text(address?.postalCode ?? '', 10),
    text(address?.city ?? '', 30),
    text(address?.country ?? '', 2),
  ];
}

/** The first day of the fiscal year `date` falls in. */
export function fiscalYearStartOf(date: string, startMonth: number): string {
  return fiscalYearDates(fiscalYearOf(date, startMonth), startMonth).from;
}

function checkRange(from: string, to: string, fiscalYearStart: string): void {
  const nextStart = `${Number(fiscalYearStart.slice(0, 4)) + 1}${fiscalYearStart.slice(4)}`;
  if (to < from)
    throw new ValidationError('Invalid date range', [
      { field: 'to', message: 'must be on or after from' },
    ]);
  if (to >= nextStart)
    throw new ValidationError('Invalid date range', [
      {
        field: 'to',
        message: `a DATEV Buchungsstapel covers one fiscal year: from ${from} it ends by ${dayBefore(nextStart)}`,
      },
    ]);
}

function dayBefore(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from.slice(0, 7); month <= to.slice(0, 7);) {
    months.push(month);
    const [year, m] = month.split('-').map(Number) as [number, number];
    month = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
  }
  return months;
}

export function requireDates(from: unknown, to: unknown): { from: string; to: string } {
  const errors = (
    [
      ['from', from],
      ['to', to],
    ] as const
  )
    .filter(([, value]) => !isCalendarDate(value))
    .map(([field]) => ({ field, message: 'must be a calendar date YYYY-MM-DD' }));
  if (errors.length > 0) throw new ValidationError('Invalid query', errors);
  return { from: from as string, to: to as string };
}

/** CRLF lines in Windows-1252 (characters it lacks become "?"). */
function encode(lines: readonly string[]): Buffer {
  return iconv.encode(lines.join('\r\n') + '\r\n', 'win1252');
}
