import type { En16931Invoice } from '../domain/en16931.model.js';
import { compact, optionalDecimal, optionalIsoDate, requiredDecimal } from './read-fields.js';
import {
  readUblBuyer,
  readUblDocumentAllowanceCharge,
  readUblLine,
  readUblNote,
  readUblPayment,
  readUblSchemedId,
  readUblSeller,
  readUblVatBreakdown,
  readUblVatTotal,
  readUblAddress,
} from './ubl-read-parts.js';
import { child, children, text, type XmlNode } from './xml-node.js';

// OASIS UBL 2.1 Invoice / CreditNote (XRechnung, PEPPOL BIS, EN 16931 UBL binding) → model.

export const ublRootNames = ['Invoice', 'CreditNote'] as const;

function header(root: XmlNode, creditNote: boolean) {
  const order = child(root, 'OrderReference');
  const orderId = text(order, 'ID');
  const salesOrderReference = text(order, 'SalesOrderID');
  const projectDocument = children(root, 'AdditionalDocumentReference').find(
    (node) => text(node, 'DocumentTypeCode') === '50',
  );
  return {
    customizationId: text(root, 'CustomizationID') ?? '',
    profileId: text(root, 'ProfileID'),
    number: text(root, 'ID') ?? '',
    issueDate: optionalIsoDate('IssueDate', text(root, 'IssueDate')) ?? '',
    typeCode: text(root, creditNote ? 'CreditNoteTypeCode' : 'InvoiceTypeCode') ?? '',
    currency: text(root, 'DocumentCurrencyCode') ?? '',
    taxPointDate: optionalIsoDate('TaxPointDate', text(root, 'TaxPointDate')),
    dueDate: optionalIsoDate(
      'DueDate',
      creditNote ? text(root, 'PaymentMeans', 'PaymentDueDate') : text(root, 'DueDate'),
    ),
    buyerReference: text(root, 'BuyerReference'),
    projectReference: text(root, 'ProjectReference', 'ID') ?? text(projectDocument, 'ID'),
    contractReference: text(root, 'ContractDocumentReference', 'ID'),
    purchaseOrderReference: salesOrderReference && orderId === 'NA' ? undefined : orderId,
    salesOrderReference,
    notes: children(root, 'Note')
      .map((node) => text(node))
      .filter((value): value is string => value !== undefined)
      .map(readUblNote),
    precedingInvoices: children(root, 'BillingReference').map((node) => ({
      number: text(node, 'InvoiceDocumentReference', 'ID') ?? '',
      issueDate: optionalIsoDate(
        'BillingReference/IssueDate',
        text(node, 'InvoiceDocumentReference', 'IssueDate'),
      ),
    })),
    invoicingPeriod: child(root, 'InvoicePeriod') && {
      start: optionalIsoDate('InvoicePeriod/StartDate', text(root, 'InvoicePeriod', 'StartDate')),
      end: optionalIsoDate('InvoicePeriod/EndDate', text(root, 'InvoicePeriod', 'EndDate')),
    },
  };
}

function parties(root: XmlNode) {
  const payee = child(root, 'PayeeParty');
  const representative = child(root, 'TaxRepresentativeParty');
  const delivery = child(root, 'Delivery');
  return {
    seller: readUblSeller(child(root, 'AccountingSupplierParty', 'Party')),
    buyer: readUblBuyer(child(root, 'AccountingCustomerParty', 'Party')),
    payee: payee && {
      name: text(payee, 'PartyName', 'Name') ?? '',
      identifier: readUblSchemedId(child(payee, 'PartyIdentification'), 'ID'),
      legalRegistrationId: readUblSchemedId(child(payee, 'PartyLegalEntity'), 'CompanyID'),
    },
    taxRepresentative: representative && {
      name: text(representative, 'PartyName', 'Name') ?? '',
      vatId: text(representative, 'PartyTaxScheme', 'CompanyID') ?? '',
      address: readUblAddress(child(representative, 'PostalAddress')),
    },
    delivery: delivery && {
      partyName: text(delivery, 'DeliveryParty', 'PartyName', 'Name'),
      locationId: readUblSchemedId(child(delivery, 'DeliveryLocation'), 'ID'),
      date: optionalIsoDate('ActualDeliveryDate', text(delivery, 'ActualDeliveryDate')),
      address: child(delivery, 'DeliveryLocation', 'Address')
        ? readUblAddress(child(delivery, 'DeliveryLocation', 'Address'))
        : undefined,
    },
  };
}

function totals(root: XmlNode) {
  const sums = child(root, 'LegalMonetaryTotal');
  const amount = (name: string) => optionalDecimal(name, text(sums, name));
  return {
    lineNetTotal: requiredDecimal('LineExtensionAmount', text(sums, 'LineExtensionAmount')),
    allowanceTotal: amount('AllowanceTotalAmount'),
    chargeTotal: amount('ChargeTotalAmount'),
    taxExclusiveTotal: requiredDecimal('TaxExclusiveAmount', text(sums, 'TaxExclusiveAmount')),
    vatTotal: readUblVatTotal(root),
    taxInclusiveTotal: requiredDecimal('TaxInclusiveAmount', text(sums, 'TaxInclusiveAmount')),
    prepaidAmount: amount('PrepaidAmount'),
    roundingAmount: amount('PayableRoundingAmount'),
    payableAmount: requiredDecimal('PayableAmount', text(sums, 'PayableAmount')),
  };
}

/** The model of a parsed UBL Invoice or CreditNote root; throws UnreadableFieldError. */
export function readUblDocument(root: XmlNode, rootName: string): En16931Invoice {
  const creditNote = rootName === 'CreditNote';
  const taxTotal =
    children(root, 'TaxTotal').find((t) => children(t, 'TaxSubtotal').length > 0) ??
    child(root, 'TaxTotal');
  const invoice: En16931Invoice = {
    ...header(root, creditNote),
    ...parties(root),
    payment: readUblPayment(root),
    paymentTerms: text(root, 'PaymentTerms', 'Note'),
    allowancesCharges: children(root, 'AllowanceCharge').map(readUblDocumentAllowanceCharge),
    totals: totals(root),
    vatBreakdown: [],
    lines: [],
  };
  return {
    ...compact(invoice),
    vatBreakdown: compact(children(taxTotal, 'TaxSubtotal').map(readUblVatBreakdown)),
    lines: compact(children(root, creditNote ? 'CreditNoteLine' : 'InvoiceLine').map(readUblLine)),
  };
}
