import type { En16931Invoice } from '../domain/en16931.model.js';
import {
  readCiiAddress,
  readCiiBuyer,
  readCiiDate,
  readCiiDocumentAllowanceCharge,
  readCiiIds,
  readCiiLine,
  readCiiPayment,
  readCiiSeller,
  readCiiVatBreakdown,
} from './cii-read-parts.js';
import { compact, optionalDecimal, requiredDecimal } from './read-fields.js';
import { attribute, child, children, text, type XmlNode } from './xml-node.js';

// UN/CEFACT CII D16B CrossIndustryInvoice (XRechnung, Factur-X / ZUGFeRD EN 16931) → model.

function header(root: XmlNode, agreement: XmlNode | undefined) {
  const document = child(root, 'ExchangedDocument');
  const context = child(root, 'ExchangedDocumentContext');
  const reference = (name: string) => text(agreement, name, 'IssuerAssignedID');
  return {
    customizationId: text(context, 'GuidelineSpecifiedDocumentContextParameter', 'ID') ?? '',
    profileId: text(context, 'BusinessProcessSpecifiedDocumentContextParameter', 'ID'),
    number: text(document, 'ID') ?? '',
    issueDate: readCiiDate(document, 'IssueDateTime', 'IssueDateTime') ?? '',
    typeCode: text(document, 'TypeCode') ?? '',
    notes: children(document, 'IncludedNote').map((note) => ({
      text: text(note, 'Content') ?? '',
      subjectCode: text(note, 'SubjectCode'),
    })),
    buyerReference: text(agreement, 'BuyerReference'),
    projectReference: text(agreement, 'SpecifiedProcuringProject', 'ID'),
    contractReference: reference('ContractReferencedDocument'),
    purchaseOrderReference: reference('BuyerOrderReferencedDocument'),
    salesOrderReference: reference('SellerOrderReferencedDocument'),
  };
}

function settlementFields(settlement: XmlNode | undefined) {
  const taxes = children(settlement, 'ApplicableTradeTax');
  const period = child(settlement, 'BillingSpecifiedPeriod');
  return {
    currency: text(settlement, 'InvoiceCurrencyCode') ?? '',
    taxPointDate: taxes
      .map((tax) => readCiiDate(tax, 'TaxPointDate', 'TaxPointDate'))
      .find(Boolean),
    dueDate: readCiiDate(
      settlement,
      'DueDateDateTime',
      'SpecifiedTradePaymentTerms',
      'DueDateDateTime',
    ),
    invoicingPeriod: period && {
      start: readCiiDate(period, 'BillingSpecifiedPeriod/StartDateTime', 'StartDateTime'),
      end: readCiiDate(period, 'BillingSpecifiedPeriod/EndDateTime', 'EndDateTime'),
    },
    precedingInvoices: children(settlement, 'InvoiceReferencedDocument').map((node) => ({
      number: text(node, 'IssuerAssignedID') ?? '',
      issueDate: readCiiDate(node, 'InvoiceReferencedDocument', 'FormattedIssueDateTime'),
    })),
    payment: readCiiPayment(settlement),
    paymentTerms: text(settlement, 'SpecifiedTradePaymentTerms', 'Description'),
    allowancesCharges: children(settlement, 'SpecifiedTradeAllowanceCharge').map(
      readCiiDocumentAllowanceCharge,
    ),
  };
}

function parties(
  agreement: XmlNode | undefined,
  delivery: XmlNode | undefined,
  settlement?: XmlNode,
) {
  const payee = child(settlement, 'PayeeTradeParty');
  const representative = child(agreement, 'SellerTaxRepresentativeTradeParty');
  const shipTo = child(delivery, 'ShipToTradeParty');
  const deliveryDate = readCiiDate(
    delivery,
    'ActualDeliverySupplyChainEvent',
    'ActualDeliverySupplyChainEvent',
    'OccurrenceDateTime',
  );
  return {
    seller: readCiiSeller(child(agreement, 'SellerTradeParty')),
    buyer: readCiiBuyer(child(agreement, 'BuyerTradeParty')),
    payee: payee && {
      name: text(payee, 'Name') ?? '',
      identifier: readCiiIds(payee)[0],
      legalRegistrationId: text(payee, 'SpecifiedLegalOrganization', 'ID')
        ? {
            id: text(payee, 'SpecifiedLegalOrganization', 'ID') ?? '',
            scheme: attribute(payee, 'schemeID', 'SpecifiedLegalOrganization', 'ID'),
          }
        : undefined,
    },
    taxRepresentative: representative && {
      name: text(representative, 'Name') ?? '',
      vatId: text(representative, 'SpecifiedTaxRegistration', 'ID') ?? '',
      address: readCiiAddress(child(representative, 'PostalTradeAddress')),
    },
    delivery:
      shipTo || deliveryDate
        ? {
            partyName: text(shipTo, 'Name'),
            locationId: readCiiIds(shipTo)[0],
            date: deliveryDate,
            address: child(shipTo, 'PostalTradeAddress')
              ? readCiiAddress(child(shipTo, 'PostalTradeAddress'))
              : undefined,
          }
        : undefined,
  };
}

function totals(settlement: XmlNode | undefined) {
  const sums = child(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation');
  const currency = text(settlement, 'InvoiceCurrencyCode');
  const vat = children(sums, 'TaxTotalAmount');
  const vatInCurrency = vat.find((node) => attribute(node, 'currencyID') === currency) ?? vat[0];
  const amount = (name: string) => optionalDecimal(name, text(sums, name));
  return {
    lineNetTotal: requiredDecimal('LineTotalAmount', text(sums, 'LineTotalAmount')),
    allowanceTotal: amount('AllowanceTotalAmount'),
    chargeTotal: amount('ChargeTotalAmount'),
    taxExclusiveTotal: requiredDecimal('TaxBasisTotalAmount', text(sums, 'TaxBasisTotalAmount')),
    vatTotal: optionalDecimal('TaxTotalAmount', text(vatInCurrency)),
    taxInclusiveTotal: requiredDecimal('GrandTotalAmount', text(sums, 'GrandTotalAmount')),
    prepaidAmount: amount('TotalPrepaidAmount'),
    roundingAmount: amount('RoundingAmount'),
    payableAmount: requiredDecimal('DuePayableAmount', text(sums, 'DuePayableAmount')),
  };
}

/** The model of a parsed CrossIndustryInvoice root; throws UnreadableFieldError. */
export function readCiiDocument(root: XmlNode): En16931Invoice {
  const transaction = child(root, 'SupplyChainTradeTransaction');
  const agreement = child(transaction, 'ApplicableHeaderTradeAgreement');
  const delivery = child(transaction, 'ApplicableHeaderTradeDelivery');
  const settlement = child(transaction, 'ApplicableHeaderTradeSettlement');
  const invoice: En16931Invoice = {
    ...header(root, agreement),
    ...settlementFields(settlement),
    ...parties(agreement, delivery, settlement),
    totals: totals(settlement),
    vatBreakdown: [],
    lines: [],
  };
  return {
    ...compact(invoice),
    vatBreakdown: compact(children(settlement, 'ApplicableTradeTax').map(readCiiVatBreakdown)),
    lines: compact(children(transaction, 'IncludedSupplyChainTradeLineItem').map(readCiiLine)),
  };
}
