import { TaxCodeDefinition, TaxCodeKind, taxCodeOn } from '../../ledger/index.js';
export { vatReturnBaseFields } from '../../ledger/index.js';

/**
 * The figures of the German VAT return (Umsatzsteuer-Voranmeldung, form USt 1 A 2026, BMF
 * letter of 29.12.2025, III C 3 - S 7344/00039/007/036) from the tax codes on the journal lines
 * of one period. A line with a tax code is a tax line when it is on that code's output or
 * input account, otherwise it is a base: a sale on a revenue account, a purchase elsewhere.
 * docs/compliance.md maps every kind to its Kennzahlen.
 */

/** Sums of the lines of one tax code on one account and day (the rate depends on the day). */
export interface TaxedLineSums {
  taxCode: string;
  account: string;
  /** The account's type: `revenue` makes a base a sale. */
  accountType: string;
  effectiveDate: string;
  debitMinor: bigint;
  creditMinor: bigint;
}

export interface VatField {
  baseMinor?: bigint;
  taxMinor?: bigint;
}

export interface VatReturnFigures {
  /** Kennzahl → base and/or tax, only the fields with amounts. */
  fields: Map<string, VatField>;
  outputTaxMinor: bigint;
  inputTaxMinor: bigint;
  /** Tax codes on lines that are not defined on the line's date (not in the figures). */
  unknownCodes: string[];
}

/** Base fields whose tax has a Kennzahl of its own (the rest carry base and tax in one field). */
export const taxFieldOfBase: Readonly<Record<string, string>> = {
  '35': '36',
  '76': '80',
  '95': '98',
  '94': '96',
  '46': '47',
  '73': '74',
  '78': '79',
  '84': '85',
};

const inputTaxFieldOf: Partial<Record<TaxCodeKind, string>> = {
  input: '66',
  'intra-eu-acquisition': '61',
  'reverse-charge': '67',
};

/** The base Kennzahl of a base line under a code of `kind` at `ratePercent` (undefined: none). */
export function defaultBaseField(
  kind: TaxCodeKind,
  ratePercent: string,
  sale: boolean,
): string | undefined {
  const rate = Number(ratePercent);
  switch (kind) {
    case 'output':
      if (!sale) return undefined;
      return rate === 19 ? '81' : rate === 7 ? '86' : rate === 0 ? '87' : '35';
    case 'intra-eu-acquisition':
      if (sale) return undefined;
      return rate === 19 ? '89' : rate === 7 ? '93' : rate === 0 ? '91' : '95';
    case 'reverse-charge':
      return sale ? '60' : '84';
    case 'intra-eu-supply':
      return sale ? '41' : undefined;
    case 'exempt':
      return sale ? '48' : undefined;
    case 'input':
      return undefined;
  }
}

export function vatReturnFigures(
  lines: readonly TaxedLineSums[],
  codes: readonly TaxCodeDefinition[],
): VatReturnFigures {
  const fields = new Map<string, VatField>();
  const add = (field: string, part: keyof VatField, amount: bigint) => {
    if (amount === 0n) return;
    const current = fields.get(field) ?? {};
    current[part] = (current[part] ?? 0n) + amount;
    fields.set(field, current);
  };
  const unknown = new Set<string>();
  let outputTaxMinor = 0n;
  let inputTaxMinor = 0n;
  for (const line of lines) {
    const code = taxCodeOn(codes, line.taxCode, line.effectiveDate);
    if (code === undefined) {
      unknown.add(line.taxCode);
      continue;
    }
    const sale = line.accountType === 'revenue';
    const credit = line.creditMinor - line.debitMinor;
    const fieldOf = (onSale: boolean) =>
      code.vatReturnField ?? defaultBaseField(code.kind, code.ratePercent, onSale);
    if (line.account === code.outputAccount) {
      // Output tax of an `output` code is on sales; of § 13b and intra-EU acquisitions, on purchases.
      outputTaxMinor += credit;
      const baseField = fieldOf(code.kind === 'output');
      if (baseField !== undefined) add(taxFieldOfBase[baseField] ?? baseField, 'taxMinor', credit);
    } else if (line.account === code.inputAccount) {
      inputTaxMinor -= credit;
      const field = inputTaxFieldOf[code.kind];
      if (field !== undefined) add(field, 'taxMinor', -credit);
    } else {
      // An output code's base is a supply wherever it is posted (a sale, an asset disposal, a
      // withdrawal): credit − debit. Other kinds: a sale credited, a purchase debited.
      const supply = sale || code.kind === 'output';
      const baseField = fieldOf(supply);
      if (baseField !== undefined) add(baseField, 'baseMinor', supply ? credit : -credit);
    }
  }
  const balance = outputTaxMinor - inputTaxMinor;
  if (balance !== 0n || fields.size > 0) fields.set('83', { taxMinor: balance });
  return { fields, outputTaxMinor, inputTaxMinor, unknownCodes: [...unknown].sort() };
}

/** The VAT accounts of a book's codes: where the books hold output and input tax. */
export function vatAccountsOf(codes: readonly TaxCodeDefinition[]): {
  output: string[];
  input: string[];
} {
  const output = new Set<string>();
  const input = new Set<string>();
  for (const code of codes) {
    if (code.outputAccount !== undefined) output.add(code.outputAccount);
    if (code.inputAccount !== undefined) input.add(code.inputAccount);
  }
  return { output: [...output].sort(), input: [...input].sort() };
}

/** A VAT return period: a month `YYYY-MM` or a quarter `YYYY-Qn`, as its first and last day. */
export function vatPeriodRange(period: string): { from: string; to: string } | undefined {
  const month = /^([0-9]{4})-(0[1-9]|1[0-2])$/.exec(period);
  const quarter = /^([0-9]{4})-Q([1-4])$/.exec(period);
  if (month === null && quarter === null) return undefined;
  const year = Number((month ?? quarter)![1]);
  const first = month !== null ? Number(month[2]) : (Number(quarter![2]) - 1) * 3 + 1;
  const last = month !== null ? first : first + 2;
  const lastDay = new Date(Date.UTC(year, last, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    from: `${year}-${pad(first)}-01`,
    to: `${year}-${pad(last)}-${pad(lastDay)}`,
  };
}

export interface AccountMovement {
  account: string;
  debitMinor: bigint;
  creditMinor: bigint;
}

export interface VatReconciliation {
  /** Output tax minus input tax as the VAT accounts moved in the period (credit − debit). */
  bookedMinor: bigint;
  /** Field 83. */
  declaredMinor: bigint;
  differenceMinor: bigint;
  agrees: boolean;
  outputAccounts: string[];
  inputAccounts: string[];
}

/**
 * Field 83 against the VAT accounts of the trial balance for the same period. They differ only
 * where tax was posted to a VAT account without its tax code (or under another code's account).
 */
export function reconcileVatReturn(
  figures: VatReturnFigures,
  codes: readonly TaxCodeDefinition[],
  movements: readonly AccountMovement[],
): VatReconciliation {
  const { output, input } = vatAccountsOf(codes);
  const vatAccounts = new Set([...output, ...input]);
  const bookedMinor = movements
    .filter((movement) => vatAccounts.has(movement.account))
    .reduce((sum, movement) => sum + movement.creditMinor - movement.debitMinor, 0n);
  const declaredMinor = figures.outputTaxMinor - figures.inputTaxMinor;
  return {
    bookedMinor,
    declaredMinor,
    differenceMinor: bookedMinor - declaredMinor,
    agrees: bookedMinor === declaredMinor,
    outputAccounts: output,
    inputAccounts: input,
  };
}
