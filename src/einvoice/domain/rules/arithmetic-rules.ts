import {
  addDecimals,
  compareDecimals,
  divideDecimals,
  multiplyDecimals,
  negateDecimal,
  subtractDecimals,
} from '../decimal.js';
import type { Decimal, En16931Invoice, InvoiceLine } from '../en16931.model.js';
import { isAmount, type Rule } from './rule.js';

// EN 16931-1 calculation rules on document totals (BR-CO-10 … BR-CO-16), and the line net
// amount as PEPPOL BIS 3 checks it (PEPPOL-EN16931-R120: EN 16931 states the formula but no rule).

/** PEPPOL-EN16931-R120 accepts a line net amount within 0.02 of the computed value. */
export const lineNetToleranceAmount = '0.02';

const sum = (values: readonly (Decimal | undefined)[]) => addDecimals(...values.filter(isAmount));

function equalOrReport(
  rule: Rule,
  id: string,
  stated: Decimal | undefined,
  expected: Decimal,
  what: string,
): void {
  const value = isAmount(stated) ? stated : '0';
  rule(
    id,
    compareDecimals(value, expected) !== 0,
    () => `${what} is ${value}, expected ${expected}`,
  );
}

function allowanceSums(invoice: En16931Invoice) {
  const items = invoice.allowancesCharges ?? [];
  return {
    allowances: sum(items.filter((ac) => !ac.isCharge).map((ac) => ac.amount)),
    charges: sum(items.filter((ac) => ac.isCharge).map((ac) => ac.amount)),
  };
}

/** quantity × net price / base quantity + line charges − line allowances, unrounded. */
export function expectedLineNet(line: InvoiceLine): Decimal | undefined {
  if (!isAmount(line.quantity) || !isAmount(line.netPrice)) return undefined;
  const base = isAmount(line.priceBaseQuantity) ? line.priceBaseQuantity : '1';
  if (compareDecimals(base, '0') === 0) return undefined;
  const gross = divideDecimals(multiplyDecimals(line.quantity, line.netPrice), base, 6);
  const adjustments = (line.allowancesCharges ?? [])
    .filter((ac) => isAmount(ac.amount))
    .map((ac) => (ac.isCharge ? ac.amount : negateDecimal(ac.amount)));
  return addDecimals(gross, ...adjustments);
}

function lineRules(invoice: En16931Invoice, rule: Rule): void {
  for (const [index, line] of invoice.lines.entries()) {
    const expected = expectedLineNet(line);
    if (expected === undefined || !isAmount(line.netAmount)) continue;
    const off = subtractDecimals(line.netAmount, expected).replace('-', '');
    rule(
      'PEPPOL-EN16931-R120',
      compareDecimals(off, lineNetToleranceAmount) > 0,
      () =>
        `line ${index + 1} (${line.id}): net amount BT-131 ${line.netAmount} is not quantity × price ± charges/allowances = ${expected}`,
    );
  }
}

export function checkArithmetic(invoice: En16931Invoice, rule: Rule): void {
  const totals = invoice.totals;
  const { allowances, charges } = allowanceSums(invoice);
  const lineNets = sum(invoice.lines.map((line) => line.netAmount));
  equalOrReport(rule, 'BR-CO-10', totals.lineNetTotal, lineNets, 'sum of line net amounts BT-106');
  equalOrReport(rule, 'BR-CO-11', totals.allowanceTotal, allowances, 'sum of allowances BT-107');
  equalOrReport(rule, 'BR-CO-12', totals.chargeTotal, charges, 'sum of charges BT-108');
  const base = [totals.lineNetTotal, totals.allowanceTotal, totals.chargeTotal];
  const [lineNetTotal = '0', allowanceTotal = '0', chargeTotal = '0'] = base.map((v) =>
    isAmount(v) ? v : '0',
  );
  const taxExclusive = addDecimals(lineNetTotal, negateDecimal(allowanceTotal), chargeTotal);
  equalOrReport(
    rule,
    'BR-CO-13',
    totals.taxExclusiveTotal,
    taxExclusive,
    'total without VAT BT-109',
  );
  const vat = sum(invoice.vatBreakdown.map((breakdown) => breakdown.taxAmount));
  equalOrReport(rule, 'BR-CO-14', totals.vatTotal, vat, 'VAT total BT-110');
  if (isAmount(totals.taxExclusiveTotal)) {
    const inclusive = addDecimals(
      totals.taxExclusiveTotal,
      isAmount(totals.vatTotal) ? totals.vatTotal : '0',
    );
    equalOrReport(rule, 'BR-CO-15', totals.taxInclusiveTotal, inclusive, 'total with VAT BT-112');
  }
  if (isAmount(totals.taxInclusiveTotal)) {
    const payable = addDecimals(
      totals.taxInclusiveTotal,
      negateDecimal(isAmount(totals.prepaidAmount) ? totals.prepaidAmount : '0'),
      isAmount(totals.roundingAmount) ? totals.roundingAmount : '0',
    );
    equalOrReport(rule, 'BR-CO-16', totals.payableAmount, payable, 'amount due BT-115');
  }
  lineRules(invoice, rule);
}
