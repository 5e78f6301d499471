import {
  DomainError,
  FieldError,
  currencyDigits,
  formatAmount,
  parseAmount,
} from '../../event-sourcing/index.js';
import {
  type JournalLineInput,
  type TaxCodeDefinition,
  type TaxCodeOnDate,
  taxAmountMinor,
  taxCodeOn,
} from '../../ledger/index.js';
import { decimalToScaled } from '../../einvoice/index.js';
import type { IncomingInvoiceReceivedData } from './incoming-invoice.js';

// The Kontierung of an incoming invoice: expense per line (or per VAT rate to the supplier's
// default account), input VAT per tax code, reverse charge / intra-EU acquisition with input
// AND output tax, and the payables control account with the supplier for what is owed.

export const bookingLinesMax = 100;

export interface BookingLineInput {
  account: string;
  /** Net amount (decimal string); absent: the invoice's whole net (one line only). */
  amount?: string;
  taxCode: string;
  costCenter?: string;
}

export interface BookingContext {
  taxCodes: readonly TaxCodeDefinition[];
  payablesAccount: string;
  /** The supplier's `defaultExpenseAccount`, if set. */
  defaultExpenseAccount?: string;
}

interface Base {
  account: string;
  netMinor: bigint;
  code: TaxCodeOnDate;
  costCenter?: string;
}

const chargesBothTaxes = new Set(['reverse-charge', 'intra-eu-acquisition']);

function refuse(message: string, errors: FieldError[] = []): never {
  throw new DomainError('business-rule', message, errors.length > 0 ? errors : undefined);
}

function minorOf(decimal: string, currency: string): bigint {
  return decimalToScaled(decimal, currencyDigits(currency) ?? 2);
}

/** The tax code a VAT breakdown category and rate default to (S 19 → an input code at 19 %, AE → § 13b …). */
function defaultCode(
  category: string,
  rate: string | undefined,
  codes: readonly TaxCodeDefinition[],
  date: string,
): TaxCodeOnDate | undefined {
  const kinds: Record<string, readonly string[]> = {
    S: ['input'],
    AE: ['reverse-charge'],
    K: ['intra-eu-acquisition'],
  };
  const wanted = kinds[category];
  const candidates = codes
    .map((code) => taxCodeOn(codes, code.code, date))
    .filter((code): code is TaxCodeOnDate => code !== undefined);
  if (wanted === undefined)
    return candidates.find((code) => code.kind === 'exempt' && code.ratePercent === '0');
  const numericRate = rate === undefined ? undefined : Number(rate);
  return candidates.find(
    (code) =>
      wanted.includes(code.kind) && (category !== 'S' || Number(code.ratePercent) === numericRate),
  );
}

function defaultBases(invoice: IncomingInvoiceReceivedData, context: BookingContext): Base[] {
  return invoice.vatBreakdown.map((vat, index) => {
    const code = defaultCode(vat.category, vat.rate, context.taxCodes, invoice.issueDate);
    if (code === undefined)
      refuse(
        `No tax code of the book fits VAT category ${vat.category}${vat.rate ? ` at ${vat.rate} %` : ''}: give the lines with their taxCode`,
        [{ field: `vatBreakdown[${index}]`, message: 'no matching tax code' }],
      );
    const account = context.defaultExpenseAccount ?? code.expenseAccount;
    if (account === undefined)
      refuse(
        `Tax code ${code.code} names no expense account and supplier ${invoice.supplier} has no defaultExpenseAccount: give the lines with their account`,
      );
    return { account, netMinor: minorOf(vat.taxable, invoice.currency), code };
  });
}

function givenBases(
  invoice: IncomingInvoiceReceivedData,
  lines: readonly BookingLineInput[],
  context: BookingContext,
): Base[] {
  const netMinor = minorOf(invoice.totals.net, invoice.currency);
  if (lines.length === 0 || lines.length > bookingLinesMax)
    refuse(`Give 1 to ${bookingLinesMax} lines`, [{ field: 'lines', message: 'count' }]);
  if (lines.length > 1 && lines.some((line) => line.amount === undefined))
    refuse('With more than one line every line needs its amount', [
      { field: 'lines', message: 'amount is required on every line' },
    ]);
  const bases = lines.map((line, index): Base => {
    const code = taxCodeOn(context.taxCodes, line.taxCode, invoice.issueDate);
    if (code === undefined)
      refuse(`Tax code ${line.taxCode} is not a code of the book on ${invoice.issueDate}`, [
        { field: `lines[${index}].taxCode`, message: 'unknown or not valid on the issue date' },
      ]);
    const amount =
      line.amount === undefined
        ? netMinor
        : parseAmount(line.amount, invoice.currency, `lines[${index}].amount`);
    return {
      account: line.account,
      netMinor: amount,
      code,
      ...(line.costCenter === undefined ? {} : { costCenter: line.costCenter }),
    };
  });
  const sum = bases.reduce((total, base) => total + base.netMinor, 0n);
  if (sum !== netMinor)
    refuse(
      `The lines add up to ${formatAmount(sum, invoice.currency)}, the invoice's net (BT-109) is ${invoice.totals.net}`,
      [{ field: 'lines', message: 'amounts must add up to the net total' }],
    );
  return bases;
}

/**
 * The entry of the booking. Tax is computed per tax code on the sum of its bases (as the
 * ledger's `tax: auto` and EN 16931 BR-CO-17 do); what the supplier is owed must then equal
 * the invoice's gross (BT-112), else the Kontierung does not fit the invoice (422).
 */
export function bookingLines(
  invoice: IncomingInvoiceReceivedData,
  lines: readonly BookingLineInput[] | undefined,
  context: BookingContext,
): { lines: JournalLineInput[]; grossMinor: bigint } {
  const { currency } = invoice;
  const bases =
    lines === undefined ? defaultBases(invoice, context) : givenBases(invoice, lines, context);
  const amount = (minor: bigint) => formatAmount(minor, currency);
  const taxes = new Map<string, { code: TaxCodeOnDate; baseMinor: bigint }>();
  for (const base of bases) {
    const known = taxes.get(base.code.code) ?? { code: base.code, baseMinor: 0n };
    known.baseMinor += base.netMinor;
    taxes.set(base.code.code, known);
  }
  const entry: JournalLineInput[] = bases
    .filter((base) => base.netMinor !== 0n)
    .map((base) => ({
      account: base.account,
      debit: amount(base.netMinor),
      currency,
      taxCode: base.code.code,
      ...(base.costCenter === undefined ? {} : { memo: `cost centre ${base.costCenter}` }),
    }));
  let inputTaxMinor = 0n;
  for (const { code, baseMinor } of taxes.values()) {
    const tax = taxAmountMinor(baseMinor, code.ratePercent);
    if (tax === 0n || code.inputAccount === undefined) continue;
    entry.push({ account: code.inputAccount, debit: amount(tax), currency, taxCode: code.code });
    if (chargesBothTaxes.has(code.kind) && code.outputAccount !== undefined)
      entry.push({
        account: code.outputAccount,
        credit: amount(tax),
        currency,
        taxCode: code.code,
      });
    else inputTaxMinor += tax;
  }
  const netMinor = bases.reduce((total, base) => total + base.netMinor, 0n);
  const grossMinor = netMinor + inputTaxMinor;
  const statedGross = minorOf(invoice.totals.gross, currency);
  if (grossMinor !== statedGross)
    refuse(
      `Booked this way the supplier is owed ${amount(grossMinor)} ${currency}, the invoice states ${invoice.totals.gross} (BT-112): check the tax codes of the lines`,
    );
  entry.push({
    account: context.payablesAccount,
    credit: amount(grossMinor),
    currency,
    party: invoice.supplier,
  });
  return { lines: entry, grossMinor };
}
