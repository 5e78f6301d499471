import {
  addDecimals,
  compareDecimals,
  multiplyDecimals,
  negateDecimal,
  roundDecimal,
} from '../decimal.js';
import type { Decimal, En16931Invoice, VatBreakdown, VatCategoryCode } from '../en16931.model.js';
import { isAmount, missing, type Rule } from './rule.js';

// EN 16931-1 VAT category rules for S, Z, E, AE, K (intra-community, BR-IC), G and O:
// -01 breakdown present, -02 VAT identifiers, -05/-06/-07 rates, -08 taxable amount per rate,
// -09 tax amount, -10 exemption reason, BR-IC-11 delivery date or period; BR-CO-17 for S.

export const vatRulePrefixes: Partial<Record<VatCategoryCode, string>> = {
  S: 'BR-S',
  Z: 'BR-Z',
  E: 'BR-E',
  AE: 'BR-AE',
  K: 'BR-IC',
  G: 'BR-G',
  O: 'BR-O',
};

const rateKey = (rate: Decimal | undefined) => (isAmount(rate) ? roundDecimal(rate, 6) : '');

/** Whether a line or allowance/charge of this category and rate belongs to the breakdown. */
function inGroup(breakdown: VatBreakdown, code: VatCategoryCode, rate: Decimal | undefined) {
  if (breakdown.categoryCode !== code) return false;
  return code !== 'S' || rateKey(rate) === rateKey(breakdown.rate);
}

/** BT-116 as EN 16931 computes it: line nets + charges − allowances of the category (and rate). */
function expectedTaxable(invoice: En16931Invoice, breakdown: VatBreakdown): Decimal {
  const lines = invoice.lines.filter((line) =>
    inGroup(breakdown, line.vatCategoryCode, line.vatRate),
  );
  const documentLevel = (invoice.allowancesCharges ?? []).filter((ac) =>
    inGroup(breakdown, ac.vatCategoryCode, ac.vatRate),
  );
  return addDecimals(
    ...lines.map((line) => line.netAmount).filter(isAmount),
    ...documentLevel
      .filter((ac) => isAmount(ac.amount))
      .map((ac) => (ac.isCharge ? ac.amount : negateDecimal(ac.amount))),
  );
}

/** BT-117 as EN 16931 computes it: S: BT-116 × BT-119 / 100 rounded to the cent; others 0. */
export function expectedTaxAmount(breakdown: VatBreakdown): Decimal {
  if (breakdown.categoryCode !== 'S' || !isAmount(breakdown.rate)) return '0';
  const product = multiplyDecimals(breakdown.taxableAmount, breakdown.rate);
  return roundDecimal(multiplyDecimals(product, '0.01'), 2);
}

function identifierRule(invoice: En16931Invoice, code: VatCategoryCode): boolean {
  const seller = invoice.seller;
  const sellerVat = !missing(seller.vatId) || !missing(invoice.taxRepresentative?.vatId);
  const buyerVat = !missing(invoice.buyer.vatId);
  if (code === 'S' || code === 'Z' || code === 'E') return sellerVat || !missing(seller.taxNumber);
  if (code === 'AE')
    return (
      (sellerVat || !missing(seller.taxNumber)) && (buyerVat || !!invoice.buyer.legalRegistrationId)
    );
  if (code === 'K') return sellerVat && buyerVat;
  if (code === 'G') return sellerVat;
  return !sellerVat && !buyerVat; // O: no VAT identifiers at all
}

function rateRule(code: VatCategoryCode, rate: Decimal | undefined): boolean {
  if (code === 'O') return !isAmount(rate);
  if (!isAmount(rate)) return false;
  return code === 'S' ? compareDecimals(rate, '0') > 0 : compareDecimals(rate, '0') === 0;
}

function breakdownRules(
  invoice: En16931Invoice,
  breakdown: VatBreakdown,
  prefix: string,
  rule: Rule,
) {
  const code = breakdown.categoryCode;
  const at = `VAT breakdown ${code}${breakdown.rate === undefined ? '' : ` ${breakdown.rate} %`}`;
  if (isAmount(breakdown.taxableAmount)) {
    const expected = expectedTaxable(invoice, breakdown);
    rule(
      `${prefix}-08`,
      compareDecimals(breakdown.taxableAmount, expected) !== 0,
      () =>
        `${at}: taxable amount BT-116 is ${breakdown.taxableAmount}, the lines, allowances and charges give ${expected}`,
    );
  }
  if (isAmount(breakdown.taxAmount) && isAmount(breakdown.taxableAmount)) {
    const tax = expectedTaxAmount(breakdown);
    const wrong = compareDecimals(breakdown.taxAmount, tax) !== 0;
    rule(
      `${prefix}-09`,
      wrong,
      () => `${at}: tax amount BT-117 is ${breakdown.taxAmount}, expected ${tax}`,
    );
    if (code === 'S')
      rule(
        'BR-CO-17',
        wrong,
        () => `${at}: tax amount BT-117 is not BT-116 × BT-119 / 100 = ${tax}`,
      );
  }
  const exempt = !missing(breakdown.exemptionReason) || !missing(breakdown.exemptionReasonCode);
  const needsReason = code !== 'S' && code !== 'Z';
  rule(`${prefix}-10`, exempt !== needsReason, () =>
    needsReason
      ? `${at}: exemption reason BT-120 or code BT-121 is missing`
      : `${at}: must not have an exemption reason`,
  );
}

export function checkVatCategories(invoice: En16931Invoice, rule: Rule): void {
  for (const [code, prefix] of Object.entries(vatRulePrefixes) as [VatCategoryCode, string][]) {
    const lines = invoice.lines.filter((line) => line.vatCategoryCode === code);
    const documentLevel = (invoice.allowancesCharges ?? []).filter(
      (ac) => ac.vatCategoryCode === code,
    );
    const breakdowns = invoice.vatBreakdown.filter((breakdown) => breakdown.categoryCode === code);
    if (lines.length + documentLevel.length + breakdowns.length === 0) continue;
    const expectedGroups = code === 'S' ? breakdowns.length >= 1 : breakdowns.length === 1;
    rule(
      `${prefix}-01`,
      lines.length + documentLevel.length > 0 && !expectedGroups,
      () =>
        `category ${code} is used but ${code === 'S' ? 'no' : 'not exactly one'} VAT breakdown of category ${code} exists`,
    );
    rule(
      `${prefix}-02`,
      lines.length > 0 && !identifierRule(invoice, code),
      () => `category ${code} on a line needs the VAT identifiers EN 16931 requires for it`,
    );
    for (const line of lines)
      rule(
        `${prefix}-05`,
        !rateRule(code, line.vatRate),
        () =>
          `line ${line.id}: VAT rate ${line.vatRate ?? 'none'} is not allowed for category ${code}`,
      );
    for (const ac of documentLevel)
      rule(
        `${prefix}-${ac.isCharge ? '07' : '06'}`,
        !rateRule(code, ac.vatRate),
        () =>
          `document ${ac.isCharge ? 'charge' : 'allowance'}: VAT rate ${ac.vatRate ?? 'none'} is not allowed for category ${code}`,
      );
    for (const breakdown of breakdowns) breakdownRules(invoice, breakdown, prefix, rule);
    if (code === 'K')
      rule(
        'BR-IC-11',
        !invoice.delivery?.date && !invoice.invoicingPeriod,
        () =>
          'an intra-community supply needs the actual delivery date BT-72 or the invoicing period BG-14',
      );
  }
}
