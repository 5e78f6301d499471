import type { En16931Invoice, InvoiceLine } from '../domain/en16931.model.js';
import { peppolBillingProfileId, xrechnungCustomizationId } from '../domain/en16931.model.js';

// An invoice as Kontor issues one: XRechnung 3.0, two VAT rates, a quantity with four decimals,
// SEPA credit transfer; every total computed by hand (and checked by the rules in the specs).

function sampleLines(): InvoiceLine[] {
  return [
    {
      id: '1',
      quantity: '12.5',
      unitCode: 'HUR',
      netAmount: '1187.5',
      netPrice: '95',
      vatCategoryCode: 'S',
      vatRate: '19',
      name: 'Beratung',
      description: 'Beratung Jahresabschluss',
    },
    {
      id: '2',
      quantity: '3.1234',
      unitCode: 'KGM',
      netAmount: '69.89',
      netPrice: '22.375',
      vatCategoryCode: 'S',
      vatRate: '19',
      name: 'Material',
    },
    {
      id: '3',
      quantity: '2',
      unitCode: 'C62',
      netAmount: '60.5',
      netPrice: '30.25',
      vatCategoryCode: 'S',
      vatRate: '7',
      name: 'Fachbuch',
    },
  ];
}

export function sampleInvoice(): En16931Invoice {
  return {
    customizationId: xrechnungCustomizationId,
    profileId: peppolBillingProfileId,
    number: 'RE-2026-00042',
    issueDate: '2026-11-30',
    typeCode: '380',
    currency: 'EUR',
    dueDate: '2026-12-14',
    buyerReference: '04011000-12345-03',
    purchaseOrderReference: 'PO-7781',
    notes: [{ text: 'Leistungszeitraum November 2026.' }],
    invoicingPeriod: { start: '2026-11-01', end: '2026-11-30' },
    seller: {
      name: 'Kontor Beispiel GmbH',
      legalRegistrationId: { id: 'HRB 12345 B' },
      vatId: 'DE123456789',
      taxNumber: '30/123/45678',
      electronicAddress: { value: 'rechnung@kontor-beispiel.de', scheme: 'EM' },
      address: { line1: 'Friedrichstraße 1', city: 'Berlin', postCode: '10117', countryCode: 'DE' },
      contact: {
        name: 'Erika Mustermann',
        phone: '+49 30 1234567',
        email: 'buchhaltung@kontor-beispiel.de',
      },
    },
    buyer: {
      name: 'Müller & Söhne KG',
      vatId: 'DE987654321',
      electronicAddress: { value: 'eingang@mueller-soehne.de', scheme: 'EM' },
      address: {
        line1: 'Hauptstraße 5 <Hinterhaus>',
        city: 'Köln',
        postCode: '50667',
        countryCode: 'DE',
      },
    },
    payment: {
      meansCode: '58',
      remittanceInformation: 'RE-2026-00042',
      creditTransfers: [
        { iban: 'DE02120300000000202051', accountName: 'Kontor Beispiel GmbH', bic: 'BYLADEM1001' },
      ],
    },
    paymentTerms: 'Zahlbar bis 14.12.2026 ohne Abzug.',
    totals: {
      lineNetTotal: '1317.89',
      taxExclusiveTotal: '1317.89',
      vatTotal: '243.14',
      taxInclusiveTotal: '1561.03',
      payableAmount: '1561.03',
    },
    vatBreakdown: [
      { categoryCode: 'S', rate: '19', taxableAmount: '1257.39', taxAmount: '238.9' },
      { categoryCode: 'S', rate: '7', taxableAmount: '60.5', taxAmount: '4.24' },
    ],
    lines: sampleLines(),
  };
}

/** A full credit note for the sample invoice (BT-3 381, BG-3 naming the invoice). */
export function sampleCreditNote(): En16931Invoice {
  const invoice = sampleInvoice();
  return {
    ...invoice,
    number: 'GS-2026-00007',
    issueDate: '2026-12-03',
    typeCode: '381',
    precedingInvoices: [{ number: invoice.number, issueDate: invoice.issueDate }],
    notes: [{ text: 'Gutschrift zur Rechnung RE-2026-00042.' }],
  };
}
