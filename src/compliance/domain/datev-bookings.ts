import { TaxCodeDefinition, taxCodeOn } from '../../ledger/index.js';

/**
 * A Kontor journal entry as DATEV bookings (Buchungsstapel rows): DATEV books a pair of accounts
 * (Konto / Gegenkonto) per row and derives the tax from the BU key, so
 * - the tax lines a code added (a line on that code's output or input account carrying the code)
 *   are folded into the code's base line: the row carries the gross amount and the code's BU key
 *   (reverse charge and intra-EU acquisitions: both tax lines cancel, the row keeps the net);
 * - a line with a party is booked on the party's personal account (Debitor / Kreditor), not on
 *   the control account (DATEV posts the control account itself);
 * - the lines are paired: where one side has a single line, every line of the other side is a
 *   row against it; otherwise the largest debit is matched with the largest credit, for the
 *   smaller amount, until both sides are used up (docs/compliance.md, "DATEV").
 */

export interface EntryLine {
  account: string;
  debitMinor: bigint;
  creditMinor: bigint;
  taxCode: string | null;
  /** The party's personal account number (resolved by the caller), or null. */
  personalAccount: string | null;
}

export interface DatevBooking {
  /** Always > 0. */
  amountMinor: bigint;
  /** S: Konto is debited, H: credited. */
  side: 'S' | 'H';
  account: string;
  contraAccount: string;
  buKey: string;
}

interface Leg {
  account: string;
  amountMinor: bigint;
  buKey: string;
}

export function datevBookings(
  lines: readonly EntryLine[],
  codes: readonly TaxCodeDefinition[],
  effectiveDate: string,
): DatevBooking[] {
  const debits: Leg[] = [];
  const credits: Leg[] = [];
  for (const leg of foldTax(lines, codes, effectiveDate)) {
    if (leg.amountMinor > 0n) debits.push(leg);
    else if (leg.amountMinor < 0n) credits.push({ ...leg, amountMinor: -leg.amountMinor });
  }
  return pair(debits, credits);
}

/** Signed (debit − credit) legs with the tax lines folded into their bases. */
function foldTax(
  lines: readonly EntryLine[],
  codes: readonly TaxCodeDefinition[],
  effectiveDate: string,
): Leg[] {
  const legs: (Leg & { taxCode: string | null })[] = [];
  const taxByCode = new Map<string, bigint>();
  for (const line of lines) {
    const code = line.taxCode === null ? undefined : taxCodeOn(codes, line.taxCode, effectiveDate);
    const signed = line.debitMinor - line.creditMinor;
    const isTax =
      code !== undefined &&
      (line.account === code.outputAccount || line.account === code.inputAccount);
    if (isTax) {
      taxByCode.set(code.code, (taxByCode.get(code.code) ?? 0n) + signed);
      continue;
    }
    legs.push({
      account: line.personalAccount ?? line.account,
      amountMinor: signed,
      buKey: code?.datevKey ?? '',
      taxCode: code?.code ?? null,
    });
  }
  for (const [code, tax] of taxByCode) {
    if (tax === 0n) continue;
    // The tax goes to the code's base with the same sign (a sale's tax is credited like its revenue).
    const base =
      legs.find((leg) => leg.taxCode === code && leg.amountMinor < 0n === tax < 0n) ??
      legs.find((leg) => leg.taxCode === code);
    if (base !== undefined) base.amountMinor += tax;
    else
      legs.push({
        account: lines.find((l) => l.taxCode === code)!.account,
        amountMinor: tax,
        buKey: '',
        taxCode: null,
      });
  }
  return legs.map(({ account, amountMinor, buKey }) => ({ account, amountMinor, buKey }));
}

function pair(debits: Leg[], credits: Leg[]): DatevBooking[] {
  if (credits.length === 1 || debits.length === 1) {
    // Konto is the line of the longer side; S when it is debited.
    const againstCredit = credits.length === 1;
    const single = againstCredit ? credits[0]! : debits[0]!;
    const others = againstCredit ? debits : credits;
    return others.map((leg) => ({
      amountMinor: leg.amountMinor,
      side: againstCredit ? ('S' as const) : ('H' as const),
      account: leg.account,
      contraAccount: single.account,
      buKey: leg.buKey || single.buKey,
    }));
  }
  const rows: DatevBooking[] = [];
  const openDebits = debits.map((leg) => ({ ...leg })).sort(byAmountDescending);
  const openCredits = credits.map((leg) => ({ ...leg })).sort(byAmountDescending);
  while (openDebits.length > 0 && openCredits.length > 0) {
    const debit = openDebits[0]!;
    const credit = openCredits[0]!;
    const amountMinor =
      debit.amountMinor < credit.amountMinor ? debit.amountMinor : credit.amountMinor;
    rows.push({
      amountMinor,
      side: 'S',
      account: debit.account,
      contraAccount: credit.account,
      buKey: debit.buKey || credit.buKey,
    });
    debit.amountMinor -= amountMinor;
    credit.amountMinor -= amountMinor;
    if (debit.amountMinor === 0n) openDebits.shift();
    if (credit.amountMinor === 0n) openCredits.shift();
  }
  return rows;
}

function byAmountDescending(a: Leg, b: Leg): number {
  return a.amountMinor > b.amountMinor ? -1 : a.amountMinor < b.amountMinor ? 1 : 0;
}

/** DATEV's Saldenvortragskonto for general ledger accounts (SKR03 and SKR04: 9000). */
export const datevOpeningBalanceAccount = '9000';

/**
 * An opening entry (Eröffnungsbuchung, `carryForwardOf`) as DATEV's EB-Werte: every line is a
 * row of its own against the Saldenvortragskonto 9000 (at the DATEV account length), without a BU
 * key — DATEV shows bookings against its Saldenvortragskonten as opening balances.
 */
export function datevOpeningBookings(
  lines: readonly EntryLine[],
  accountLength: number,
): DatevBooking[] {
  const contraAccount = datevOpeningBalanceAccount.padEnd(accountLength, '0');
  return lines.map((line) => ({
    amountMinor: line.debitMinor > 0n ? line.debitMinor : line.creditMinor,
    side: line.debitMinor > 0n ? ('S' as const) : ('H' as const),
    account: line.personalAccount ?? line.account,
    contraAccount,
    buKey: '',
  }));
}
