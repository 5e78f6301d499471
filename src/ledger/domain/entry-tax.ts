import { FieldError } from '../../event-sourcing/index.js';
import { JournalEntryPostedData, JournalLine, LineSide } from './book.events.js';
import { OpenBookState } from './book.state.js';
import { TaxCodeOnDate, taxAmountMinor, taxCodeOn } from './tax-codes.js';
import { TaxCodeError } from './ledger.errors.js';

/** Every line's taxCode is a code of the book, valid on the entry's effective date (422 otherwise). */
export function checkTaxCodes(entry: JournalEntryPostedData, book: OpenBookState): void {
  const errors: FieldError[] = [];
  entry.lines.forEach((line, index) => {
    if (line.taxCode === undefined) return;
    const field = `lines[${index}].taxCode`;
    const definition = book.taxCodes.get(line.taxCode);
    if (definition === undefined) {
      const known = [...book.taxCodes.keys()];
      errors.push({
        field,
        message: `tax code ${line.taxCode} is not defined in book ${book.bookId} (${known.length > 0 ? `its codes: ${known.join(', ')}` : 'it has no tax codes: open it with a chart or POST /v1/books/{book}/tax-codes'})`,
      });
    } else if (taxCodeOn(book.taxCodes, line.taxCode, entry.effectiveDate) === undefined) {
      const periods = definition.rates
        .map((rate) => `${rate.validFrom}..${rate.validTo ?? ''}`)
        .join(', ');
      errors.push({
        field,
        message: `tax code ${line.taxCode} is not valid on ${entry.effectiveDate} (valid ${periods})`,
      });
    }
  });
  if (errors.length > 0) throw new TaxCodeError(errors);
}

interface TaxBase {
  code: TaxCodeOnDate;
  side: LineSide;
  currency: string;
  /** A sale (revenue account): reverse-charge and intra-EU acquisition add no tax. */
  sale: boolean;
  baseMinor: bigint;
}

/**
 * The tax lines `"tax": "auto"` adds: per tax code, side, currency (and sale or purchase) the
 * tax on the SUM of the bases, rounded half away from zero (EN 16931: tax per rate on the sum
 * of the line nets, not per line). Tax lines carry the code too, so the VAT return finds base
 * and tax by code. Codes are known and valid here (checkTaxCodes ran first).
 */
export function taxLines(entry: JournalEntryPostedData, book: OpenBookState): JournalLine[] {
  const bases = new Map<string, TaxBase>();
  for (const line of entry.lines) {
    if (line.taxCode === undefined) continue;
    const code = taxCodeOn(book.taxCodes, line.taxCode, entry.effectiveDate)!;
    const sale = book.accounts.get(line.account)?.type === 'revenue';
    const key = [line.taxCode, line.side, line.currency, sale].join('\u0000');
    const base = bases.get(key);
    if (base === undefined)
      bases.set(key, {
        code,
        side: line.side,
        currency: line.currency,
        sale,
        baseMinor: BigInt(line.amountMinor),
      });
    else base.baseMinor += BigInt(line.amountMinor);
  }
  return [...bases.values()].flatMap(linesFor);
}

function linesFor({ code, side, currency, sale, baseMinor }: TaxBase): JournalLine[] {
  const amountMinor = taxAmountMinor(baseMinor, code.ratePercent);
  if (amountMinor === 0n) return [];
  const line = (account: string, lineSide: LineSide): JournalLine => ({
    account,
    side: lineSide,
    amountMinor: amountMinor.toString(),
    currency,
    memo: `${code.code} ${code.ratePercent} %`,
    taxCode: code.code,
  });
  const opposite: LineSide = side === 'debit' ? 'credit' : 'debit';
  switch (code.kind) {
    case 'output':
      return [line(code.outputAccount!, side)];
    case 'input':
      return [line(code.inputAccount!, side)];
    case 'reverse-charge':
    case 'intra-eu-acquisition':
      return sale ? [] : [line(code.inputAccount!, side), line(code.outputAccount!, opposite)];
    case 'exempt':
    case 'intra-eu-supply':
      return [];
  }
}
