import {
  peppolBillingProfileId,
  scaledToDecimal,
  xrechnungCustomizationId,
  type En16931Invoice,
  type InvoiceLine,
  type PostalAddress,
  type VatBreakdown,
} from '../../einvoice/index.js';
import { currencyDigits } from '../../event-sourcing/index.js';
import type {
  CreditNoteIssuedData,
  InvoiceIssuedData,
  IssuedLine,
  PostalAddressSnapshot,
} from './issued-documents.js';

// An issued invoice or credit note (its document event's data) as the EN 16931 model of
// src/einvoice: XRechnung 3.0, SEPA credit transfer to the company's IBAN. A pure function of
// the event, so a rendering is the same bytes whenever it is asked for.

/** UNTDID 4461: 58 SEPA credit transfer. */
const sepaCreditTransfer = '58';

function address(snapshot: PostalAddressSnapshot): PostalAddress {
  return {
    ...(snapshot.line1 ? { line1: snapshot.line1 } : {}),
    ...(snapshot.line2 ? { line2: snapshot.line2 } : {}),
    ...(snapshot.city ? { city: snapshot.city } : {}),
    ...(snapshot.postCode ? { postCode: snapshot.postCode } : {}),
    countryCode: snapshot.countryCode,
  };
}

function money(minor: string, digits: number): string {
  return scaledToDecimal(BigInt(minor), digits);
}

function canonical(decimal: string): string {
  return scaledToDecimal(BigInt(decimal.replace('.', '')), decimal.split('.')[1]?.length ?? 0);
}

function line(issued: IssuedLine, index: number, digits: number): InvoiceLine {
  return {
    id: String(index + 1),
    quantity: canonical(issued.quantity),
    unitCode: issued.unit,
    netAmount: money(issued.netMinor, digits),
    netPrice: canonical(issued.unitPrice),
    vatCategoryCode: issued.vatCategory,
    ...(issued.vatCategory === 'O' ? {} : { vatRate: canonical(issued.ratePercent) }),
    name: issued.description,
  };
}

type IssuedDocument =
  ({ kind: 'invoice' } & InvoiceIssuedData) | ({ kind: 'credit-note' } & CreditNoteIssuedData);

function notes(document: IssuedDocument) {
  const texts =
    document.kind === 'invoice'
      ? [document.note, ...(document.legalNotes ?? [])]
      : [
          `Gutschrift zur Rechnung ${document.invoiceNumber}: ${document.reason}`,
          ...(document.legalNotes ?? []),
        ];
  const present = texts.filter((text): text is string => !!text);
  return present.length ? { notes: present.map((text) => ({ text })) } : {};
}

function paymentTerms(document: IssuedDocument): string {
  if (document.kind === 'credit-note') return `Gutschrift zur Rechnung ${document.invoiceNumber}.`;
  const [year, month, day] = document.dueDate.split('-');
  return `Zahlbar bis ${day}.${month}.${year} ohne Abzug.`;
}

/** The EN 16931 model of an issued invoice (380) or credit note (381). */
export function issuedDocumentAsEn16931(document: IssuedDocument): En16931Invoice {
  const digits = currencyDigits(document.currency) ?? 2;
  const { seller, customer, totals } = document;
  const breakdown: VatBreakdown[] = totals.taxes.map((tax) => ({
    categoryCode: tax.vatCategory,
    ...(tax.vatCategory === 'O' ? {} : { rate: canonical(tax.ratePercent) }),
    taxableAmount: money(tax.baseMinor, digits),
    taxAmount: money(tax.amountMinor, digits),
    ...(tax.exemptionReason ? { exemptionReason: tax.exemptionReason } : {}),
    ...(tax.exemptionReasonCode ? { exemptionReasonCode: tax.exemptionReasonCode } : {}),
  }));
  const net = money(totals.netMinor, digits);
  const gross = money(totals.grossMinor, digits);
  const vat = money(String(BigInt(totals.grossMinor) - BigInt(totals.netMinor)), digits);
  return {
    customizationId: xrechnungCustomizationId,
    profileId: peppolBillingProfileId,
    number: document.number,
    issueDate: document.issueDate,
    typeCode: document.kind === 'invoice' ? '380' : '381',
    currency: document.currency,
    ...(document.kind === 'invoice' ? { dueDate: document.dueDate } : {}),
    // BT-10 is mandatory in XRechnung; without a Leitweg-ID the customer number is the reference.
    buyerReference: customer.buyerReference ?? customer.number,
    ...notes(document),
    ...(document.kind === 'credit-note'
      ? {
          precedingInvoices: [
            { number: document.invoiceNumber, issueDate: document.invoiceIssueDate },
          ],
        }
      : {}),
    ...(document.servicePeriod
      ? { invoicingPeriod: { start: document.servicePeriod.from, end: document.servicePeriod.to } }
      : {}),
    seller: {
      name: seller.name,
      ...(seller.registration ? { legalRegistrationId: { id: seller.registration } } : {}),
      ...(seller.vatId ? { vatId: seller.vatId } : {}),
      ...(seller.taxNumber ? { taxNumber: seller.taxNumber } : {}),
      ...(seller.electronicAddress
        ? { electronicAddress: seller.electronicAddress }
        : seller.contact?.email
          ? { electronicAddress: { value: seller.contact.email, scheme: 'EM' } }
          : {}),
      address: address(seller.address),
      ...(seller.contact ? { contact: { ...seller.contact } } : {}),
    },
    buyer: {
      name: customer.name,
      identifier: { id: customer.number },
      ...(customer.vatId ? { vatId: customer.vatId } : {}),
      ...(customer.electronicAddress ? { electronicAddress: customer.electronicAddress } : {}),
      address: address(customer.address),
    },
    ...(document.deliveryDate ? { delivery: { date: document.deliveryDate } } : {}),
    payment: {
      meansCode: sepaCreditTransfer,
      remittanceInformation: document.number,
      creditTransfers: [
        {
          iban: seller.iban ?? '',
          accountName: seller.name,
          ...(seller.bic ? { bic: seller.bic } : {}),
        },
      ],
    },
    paymentTerms: paymentTerms(document),
    totals: {
      lineNetTotal: net,
      taxExclusiveTotal: net,
      vatTotal: vat,
      taxInclusiveTotal: gross,
      payableAmount: gross,
    },
    vatBreakdown: breakdown,
    lines: document.lines.map((issued, index) => line(issued, index, digits)),
  };
}
