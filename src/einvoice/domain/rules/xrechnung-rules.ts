import type { En16931Invoice } from '../en16931.model.js';
import { xrechnungCustomizationId } from '../en16931.model.js';
import { missing, type Rule } from './rule.js';

// The XRechnung 3.0 national rules (BR-DE-…) Kontor relies on; they apply when BT-24 names
// XRechnung.

/** BT-3 codes XRechnung 3.0 allows (BR-DE-17). */
export const xrechnungTypeCodes: readonly string[] = [
  '326',
  '380',
  '384',
  '389',
  '381',
  '875',
  '876',
  '877',
];

const vatCategoriesNeedingSellerTaxId = ['S', 'Z', 'E', 'AE', 'K', 'G', 'L', 'M'];

export function isXrechnung(invoice: En16931Invoice): boolean {
  return invoice.customizationId.startsWith(
    'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung',
  );
}

function sellerRules(invoice: En16931Invoice, rule: Rule): void {
  const { seller, buyer } = invoice;
  rule('BR-DE-2', !seller.contact, () => 'XRechnung needs the seller contact BG-6');
  rule('BR-DE-3', missing(seller.address.city), () => 'XRechnung needs the seller city BT-37');
  rule(
    'BR-DE-4',
    missing(seller.address.postCode),
    () => 'XRechnung needs the seller post code BT-38',
  );
  rule(
    'BR-DE-5',
    missing(seller.contact?.name),
    () => 'XRechnung needs the seller contact point BT-41',
  );
  rule(
    'BR-DE-6',
    missing(seller.contact?.phone),
    () => 'XRechnung needs the seller contact telephone BT-42',
  );
  rule(
    'BR-DE-7',
    missing(seller.contact?.email),
    () => 'XRechnung needs the seller contact e-mail BT-43',
  );
  rule('BR-DE-8', missing(buyer.address.city), () => 'XRechnung needs the buyer city BT-52');
  rule(
    'BR-DE-9',
    missing(buyer.address.postCode),
    () => 'XRechnung needs the buyer post code BT-53',
  );
  const taxed = invoice.vatBreakdown.some((b) =>
    vatCategoriesNeedingSellerTaxId.includes(b.categoryCode),
  );
  rule(
    'BR-DE-16',
    taxed &&
      missing(seller.vatId) &&
      missing(seller.taxNumber) &&
      missing(invoice.taxRepresentative?.vatId),
    () =>
      'XRechnung needs the seller VAT identifier BT-31, tax number BT-32 or tax representative VAT identifier BT-63',
  );
}

function paymentRules(invoice: En16931Invoice, rule: Rule): void {
  const payment = invoice.payment;
  rule('BR-DE-1', !payment, () => 'XRechnung needs payment instructions BG-16');
  const transfers = (payment?.creditTransfers ?? []).length > 0;
  const means = payment?.meansCode ?? '';
  const groups = [transfers, !!payment?.cardAccount, !!payment?.directDebit].filter(Boolean).length;
  rule(
    'BR-DE-13',
    groups > 1,
    () => 'XRechnung allows only one of credit transfer BG-17, card BG-18, direct debit BG-19',
  );
  rule(
    'BR-DE-23-a',
    ['30', '58'].includes(means) && !transfers,
    () => `payment means ${means} needs the credit transfer group BG-17`,
  );
  rule(
    'BR-DE-23-b',
    ['30', '58'].includes(means) && (!!payment?.cardAccount || !!payment?.directDebit),
    () => `payment means ${means} must not carry card BG-18 or direct debit BG-19`,
  );
  rule(
    'BR-DE-24-a',
    ['48', '54', '55'].includes(means) && !payment?.cardAccount,
    () => `payment means ${means} needs the card group BG-18`,
  );
  rule(
    'BR-DE-25-a',
    means === '59' && !payment?.directDebit,
    () => 'payment means 59 needs the direct debit group BG-19',
  );
}

export function checkXrechnung(invoice: En16931Invoice, rule: Rule): void {
  sellerRules(invoice, rule);
  paymentRules(invoice, rule);
  rule(
    'BR-DE-14',
    invoice.vatBreakdown.some((b) => missing(b.rate)),
    () => 'XRechnung needs the VAT rate BT-119 in every VAT breakdown',
  );
  rule(
    'BR-DE-15',
    missing(invoice.buyerReference),
    () => 'XRechnung needs the buyer reference BT-10 (Leitweg-ID for public buyers)',
  );
  rule(
    'BR-DE-17',
    !xrechnungTypeCodes.includes(invoice.typeCode),
    () =>
      `type code BT-3 ${invoice.typeCode} is not one XRechnung allows (${xrechnungTypeCodes.join(', ')})`,
  );
  rule(
    'BR-DE-21',
    invoice.customizationId !== xrechnungCustomizationId,
    () =>
      `specification identifier BT-24 is ${invoice.customizationId}, XRechnung 3.0 is ${xrechnungCustomizationId}`,
  );
}
