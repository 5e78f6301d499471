import {
  peppolBillingProfileId,
  scaledToDecimal,
  xrechnungCustomizationId,
  type Buyer,
  type En16931Invoice,
  type InvoiceLine,
  type PostalAddress,
  type Seller,
  type VatBreakdown,
} from '../../einvoice/index.js';
import { currencyDigits } from '../../event-sourcing/index.js';
import type {
  CreditNoteIssuedData,
  CustomerSnapshot,
  InvoiceIssuedData,
  IssuedLine,
  PostalAddressSnapshot,
  SellerSnapshot,
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

/** BG-4; without an electronic address of its own the seller is reached by e-mail. */
function sellerParty(snapshot: SellerSnapshot): Seller {
  return {
    name: snapshot.name,
    ...(snapshot.registration ? { legalRegistrationId: { id: snapshot.registration } } : {}),
    ...(snapshot.vatId ? { vatId: snapshot.vatId } : {}),
    ...(snapshot.taxNumber ? { taxNumber: snapshot.taxNumber } : {}),
    ...(snapshot.electronicAddress
      ? { electronicAddress: snapshot.electronicAddress }
      : snapshot.contact?.email
        ? { electronicAddress: { value: snapshot.contact.email, scheme: 'EM' } }
        : {}),
    address: address(snapshot.address),
    ...(snapshot.contact ? { contact: { ...snapshot.contact } } : {}),
  };
}

/** BG-7, identified by its customer number. */
function buyerParty(snapshot: CustomerSnapshot): Buyer {
  return {
    name: snapshot.name,
    identifier: { id: snapshot.number },
    ...(snapshot.vatId ? { vatId: snapshot.vatId } : {}),
    ...(snapshot.electronicAddress ? { electronicAddress: snapshot.electronicAddress } : {}),
    address: address(snapshot.address),
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
    seller: sellerParty(seller),
    buyer: buyerParty(customer),
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
