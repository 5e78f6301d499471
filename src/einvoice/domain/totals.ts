import {
  addDecimals,
  compareDecimals,
  divideDecimals,
  multiplyDecimals,
  negateDecimal,
  roundDecimal,
} from './decimal.js';
import type {
  Decimal,
  DocumentAllowanceCharge,
  DocumentTotals,
  InvoiceLine,
  VatBreakdown,
  VatCategoryCode,
} from './en16931.model.js';
import { expectedTaxAmount } from './rules/vat-rules.js';

// The EN 16931 calculation, for an invoice being issued: line net = quantity × price / base
// quantity rounded to the cent; one VAT breakdown per category (and rate, for S) over line nets
// plus charges minus allowances; tax per breakdown rounded to the cent; totals BG-22 from those.

/** Cent rounding of quantity × net price / base quantity (line allowances/charges added). */
export function lineNetAmount(
  line: Pick<InvoiceLine, 'quantity' | 'netPrice' | 'priceBaseQuantity' | 'allowancesCharges'>,
): Decimal {
  const base = line.priceBaseQuantity ?? '1';
  const gross = divideDecimals(multiplyDecimals(line.quantity, line.netPrice), base, 2);
  const adjustments = (line.allowancesCharges ?? []).map((ac) =>
    ac.isCharge ? ac.amount : negateDecimal(ac.amount),
  );
  return roundDecimal(addDecimals(gross, ...adjustments), 2);
}

export interface ExemptionReason {
  reason?: string; // BT-120
  code?: string; // BT-121
}

function groupKey(code: VatCategoryCode, rate: Decimal | undefined): string {
  return `${code}|${rate === undefined ? '' : roundDecimal(rate, 6)}`;
}

/** BG-23 from the lines and document allowances/charges, in order of first appearance. */
export function vatBreakdownOf(
  lines: readonly Pick<InvoiceLine, 'netAmount' | 'vatCategoryCode' | 'vatRate'>[],
  allowancesCharges: readonly DocumentAllowanceCharge[] = [],
  exemptionReasons: Partial<Record<VatCategoryCode, ExemptionReason>> = {},
): VatBreakdown[] {
  const groups = new Map<string, { code: VatCategoryCode; rate?: Decimal; amounts: Decimal[] }>();
  const add = (code: VatCategoryCode, rate: Decimal | undefined, amount: Decimal) => {
    const key = groupKey(code, rate);
    const group = groups.get(key) ?? { code, ...(rate === undefined ? {} : { rate }), amounts: [] };
    group.amounts.push(amount);
    groups.set(key, group);
  };
  for (const line of lines) add(line.vatCategoryCode, line.vatRate, line.netAmount);
  for (const ac of allowancesCharges)
    add(ac.vatCategoryCode, ac.vatRate, ac.isCharge ? ac.amount : negateDecimal(ac.amount));
  return [...groups.values()].map(({ code, rate, amounts }) => {
    const taxableAmount = addDecimals(...amounts);
    const breakdown: VatBreakdown = { categoryCode: code, taxableAmount, taxAmount: '0' };
    if (rate !== undefined) breakdown.rate = rate;
    breakdown.taxAmount = expectedTaxAmount(breakdown);
    const exemption = exemptionReasons[code];
    if (exemption?.reason) breakdown.exemptionReason = exemption.reason;
    if (exemption?.code) breakdown.exemptionReasonCode = exemption.code;
    return breakdown;
  });
}

/** BG-22 from lines, document allowances/charges, the breakdown and a prepaid amount. */
export function documentTotalsOf(
  lines: readonly Pick<InvoiceLine, 'netAmount'>[],
  allowancesCharges: readonly DocumentAllowanceCharge[],
  vatBreakdown: readonly VatBreakdown[],
  prepaidAmount?: Decimal,
): DocumentTotals {
  const lineNetTotal = addDecimals(...lines.map((line) => line.netAmount));
  const allowances = allowancesCharges.filter((ac) => !ac.isCharge).map((ac) => ac.amount);
  const charges = allowancesCharges.filter((ac) => ac.isCharge).map((ac) => ac.amount);
  const taxExclusiveTotal = addDecimals(
    lineNetTotal,
    negateDecimal(addDecimals(...allowances)),
    ...charges,
  );
  const vatTotal = addDecimals(...vatBreakdown.map((b) => b.taxAmount));
  const taxInclusiveTotal = addDecimals(taxExclusiveTotal, vatTotal);
  const totals: DocumentTotals = {
    lineNetTotal,
    taxExclusiveTotal,
    vatTotal,
    taxInclusiveTotal,
    payableAmount: addDecimals(taxInclusiveTotal, negateDecimal(prepaidAmount ?? '0')),
  };
  if (allowances.length) totals.allowanceTotal = addDecimals(...allowances);
  if (charges.length) totals.chargeTotal = addDecimals(...charges);
  if (prepaidAmount !== undefined && compareDecimals(prepaidAmount, '0') !== 0)
    totals.prepaidAmount = prepaidAmount;
  return totals;
}
