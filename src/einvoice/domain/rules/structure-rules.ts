import { compareDecimals } from '../decimal.js';
import type { En16931Invoice } from '../en16931.model.js';
import { isAmount, missing, type Rule } from './rule.js';

// EN 16931-1 mandatory-field rules (BR-01 … BR-65 that this model carries).

function documentRules(invoice: En16931Invoice, rule: Rule): void {
  rule(
    'BR-01',
    missing(invoice.customizationId),
    () => 'specification identifier BT-24 is missing',
  );
  rule('BR-02', missing(invoice.number), () => 'invoice number BT-1 is missing');
  rule('BR-03', missing(invoice.issueDate), () => 'issue date BT-2 is missing');
  rule('BR-04', missing(invoice.typeCode), () => 'invoice type code BT-3 is missing');
  rule('BR-05', missing(invoice.currency), () => 'currency code BT-5 is missing');
  rule('BR-06', missing(invoice.seller.name), () => 'seller name BT-27 is missing');
  rule('BR-07', missing(invoice.buyer.name), () => 'buyer name BT-44 is missing');
  rule('BR-08', !invoice.seller.address, () => 'seller postal address BG-5 is missing');
  rule(
    'BR-09',
    missing(invoice.seller.address?.countryCode),
    () => 'seller country BT-40 is missing',
  );
  rule('BR-10', !invoice.buyer.address, () => 'buyer postal address BG-8 is missing');
  rule(
    'BR-11',
    missing(invoice.buyer.address?.countryCode),
    () => 'buyer country BT-55 is missing',
  );
  const totals = invoice.totals;
  rule('BR-12', !isAmount(totals.lineNetTotal), () => 'sum of line net amounts BT-106 is missing');
  rule('BR-13', !isAmount(totals.taxExclusiveTotal), () => 'total without VAT BT-109 is missing');
  rule('BR-14', !isAmount(totals.taxInclusiveTotal), () => 'total with VAT BT-112 is missing');
  rule('BR-15', !isAmount(totals.payableAmount), () => 'amount due for payment BT-115 is missing');
  rule('BR-16', invoice.lines.length === 0, () => 'the invoice has no line BG-25');
  rule(
    'BR-17',
    !!invoice.payee && missing(invoice.payee.name),
    () => 'payee name BT-59 is missing',
  );
  const representative = invoice.taxRepresentative;
  rule(
    'BR-18',
    !!representative && missing(representative.name),
    () => 'tax representative name BT-62 is missing',
  );
  rule(
    'BR-19',
    !!representative && !representative.address,
    () => 'tax representative address BG-12 is missing',
  );
  rule(
    'BR-20',
    !!representative && missing(representative.address?.countryCode),
    () => 'tax representative country BT-69 is missing',
  );
  rule(
    'BR-56',
    !!representative && missing(representative.vatId),
    () => 'tax representative VAT identifier BT-63 is missing',
  );
  for (const preceding of invoice.precedingInvoices ?? [])
    rule('BR-55', missing(preceding.number), () => 'preceding invoice reference BT-25 is missing');
}

function lineRules(invoice: En16931Invoice, rule: Rule): void {
  for (const [index, line] of invoice.lines.entries()) {
    const at = `line ${index + 1}${missing(line.id) ? '' : ` (${line.id})`}`;
    rule('BR-21', missing(line.id), () => `${at}: line identifier BT-126 is missing`);
    rule('BR-22', !isAmount(line.quantity), () => `${at}: invoiced quantity BT-129 is missing`);
    rule('BR-23', missing(line.unitCode), () => `${at}: unit of measure BT-130 is missing`);
    rule('BR-24', !isAmount(line.netAmount), () => `${at}: line net amount BT-131 is missing`);
    rule('BR-25', missing(line.name), () => `${at}: item name BT-153 is missing`);
    rule('BR-26', !isAmount(line.netPrice), () => `${at}: item net price BT-146 is missing`);
    rule(
      'BR-27',
      isAmount(line.netPrice) && compareDecimals(line.netPrice, '0') < 0,
      () => `${at}: item net price BT-146 ${line.netPrice} is negative`,
    );
    rule(
      'BR-28',
      isAmount(line.grossPrice) && compareDecimals(line.grossPrice, '0') < 0,
      () => `${at}: item gross price BT-148 ${line.grossPrice} is negative`,
    );
    rule('BR-CO-4', missing(line.vatCategoryCode), () => `${at}: VAT category BT-151 is missing`);
    for (const ac of line.allowancesCharges ?? []) {
      const kind = ac.isCharge ? 'charge' : 'allowance';
      rule(
        ac.isCharge ? 'BR-43' : 'BR-41',
        !isAmount(ac.amount),
        () => `${at}: line ${kind} amount is missing`,
      );
      rule(
        ac.isCharge ? 'BR-44' : 'BR-42',
        missing(ac.reason) && missing(ac.reasonCode),
        () => `${at}: line ${kind} has neither reason nor reason code`,
      );
    }
  }
}

function allowanceChargeRules(invoice: En16931Invoice, rule: Rule): void {
  for (const ac of invoice.allowancesCharges ?? []) {
    const [amountRule, categoryRule, reasonRule] = ac.isCharge
      ? ['BR-36', 'BR-37', 'BR-38']
      : ['BR-31', 'BR-32', 'BR-33'];
    const kind = ac.isCharge ? 'document charge' : 'document allowance';
    rule(amountRule, !isAmount(ac.amount), () => `${kind} amount is missing`);
    rule(categoryRule, missing(ac.vatCategoryCode), () => `${kind} VAT category is missing`);
    rule(
      reasonRule,
      missing(ac.reason) && missing(ac.reasonCode),
      () => `${kind} has neither reason nor reason code`,
    );
  }
}

function breakdownAndPartyRules(invoice: En16931Invoice, rule: Rule): void {
  for (const breakdown of invoice.vatBreakdown) {
    const at = `VAT breakdown ${breakdown.categoryCode || '?'} ${breakdown.rate ?? ''}`.trim();
    rule(
      'BR-45',
      !isAmount(breakdown.taxableAmount),
      () => `${at}: taxable amount BT-116 is missing`,
    );
    rule('BR-46', !isAmount(breakdown.taxAmount), () => `${at}: tax amount BT-117 is missing`);
    rule('BR-47', missing(breakdown.categoryCode), () => `${at}: category code BT-118 is missing`);
    rule(
      'BR-48',
      breakdown.categoryCode !== 'O' && !isAmount(breakdown.rate),
      () => `${at}: VAT rate BT-119 is missing`,
    );
  }
  rule(
    'BR-CO-18',
    invoice.vatBreakdown.length === 0,
    () => 'the invoice has no VAT breakdown BG-23',
  );
  const payment = invoice.payment;
  rule(
    'BR-49',
    !!payment && missing(payment.meansCode),
    () => 'payment means type code BT-81 is missing',
  );
  for (const transfer of payment?.creditTransfers ?? [])
    rule('BR-50', missing(transfer.iban), () => 'payment account identifier BT-84 is missing');
  rule(
    'BR-61',
    ['30', '58'].includes(payment?.meansCode ?? '') &&
      !(payment?.creditTransfers ?? []).some((t) => !missing(t.iban)),
    () => `payment means ${payment?.meansCode} needs a payment account identifier BT-84`,
  );
  rule(
    'BR-62',
    !!invoice.seller.electronicAddress && missing(invoice.seller.electronicAddress.scheme),
    () => 'seller electronic address BT-34 has no scheme identifier',
  );
  rule(
    'BR-63',
    !!invoice.buyer.electronicAddress && missing(invoice.buyer.electronicAddress.scheme),
    () => 'buyer electronic address BT-49 has no scheme identifier',
  );
  const seller = invoice.seller;
  rule(
    'BR-CO-26',
    !(seller.identifiers ?? []).length && !seller.legalRegistrationId && missing(seller.vatId),
    () => 'the seller has none of identifier BT-29, legal registration BT-30, VAT identifier BT-31',
  );
  const due =
    isAmount(invoice.totals.payableAmount) &&
    compareDecimals(invoice.totals.payableAmount, '0') > 0;
  rule(
    'BR-CO-25',
    due && missing(invoice.dueDate) && missing(invoice.paymentTerms),
    () => 'a positive amount due BT-115 needs a due date BT-9 or payment terms BT-20',
  );
}

export function checkStructure(invoice: En16931Invoice, rule: Rule): void {
  documentRules(invoice, rule);
  lineRules(invoice, rule);
  allowanceChargeRules(invoice, rule);
  breakdownAndPartyRules(invoice, rule);
}
