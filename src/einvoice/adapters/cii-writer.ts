import { formatDecimal } from '../domain/decimal.js';
import type {
  Decimal,
  DocumentAllowanceCharge,
  En16931Invoice,
  InvoiceLine,
  LineAllowanceCharge,
  VatBreakdown,
} from '../domain/en16931.model.js';
import {
  ciiBuyer,
  ciiDate,
  ciiDelivery,
  ciiPayee,
  ciiPaymentMeans,
  ciiSeller,
  ciiTaxRepresentative,
} from './cii-parties.js';
import { group, leaf, serializeXml, type XmlElement } from './xml-tree.js';

// XRechnung 3.0 / EN 16931 in UN/CEFACT CII D16B (CrossIndustryInvoice); a credit note is
// the same document with TypeCode 381.

export const ciiNamespaces = {
  rsm: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  qdt: 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
  udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
} as const;

const amount = (name: string, value: Decimal | undefined, currency?: string) =>
  leaf(name, value === undefined || value === '' ? undefined : formatDecimal(value, 2), {
    currencyID: currency,
  });

const indicator = (isCharge: boolean) =>
  group('ram:ChargeIndicator', [leaf('udt:Indicator', isCharge ? 'true' : 'false')]);

function allowanceCharge(value: DocumentAllowanceCharge | LineAllowanceCharge) {
  return group('ram:SpecifiedTradeAllowanceCharge', [
    indicator(value.isCharge),
    leaf('ram:CalculationPercent', value.percentage),
    amount('ram:BasisAmount', value.baseAmount),
    amount('ram:ActualAmount', value.amount),
    leaf('ram:ReasonCode', value.reasonCode),
    leaf('ram:Reason', value.reason),
    'vatCategoryCode' in value
      ? group('ram:CategoryTradeTax', [
          leaf('ram:TypeCode', 'VAT'),
          leaf('ram:CategoryCode', value.vatCategoryCode),
          leaf('ram:RateApplicablePercent', value.vatRate),
        ])
      : undefined,
  ]);
}

function period(value: { start?: string; end?: string } | undefined) {
  return group('ram:BillingSpecifiedPeriod', [
    ciiDate('ram:StartDateTime', value?.start),
    ciiDate('ram:EndDateTime', value?.end),
  ]);
}

function lineProduct(line: InvoiceLine) {
  return group('ram:SpecifiedTradeProduct', [
    leaf('ram:GlobalID', line.standardItemId?.id, { schemeID: line.standardItemId?.scheme }),
    leaf('ram:SellerAssignedID', line.sellerItemId),
    leaf('ram:BuyerAssignedID', line.buyerItemId),
    leaf('ram:Name', line.name),
    leaf('ram:Description', line.description),
    (line.attributes ?? []).map((a) =>
      group('ram:ApplicableProductCharacteristic', [
        leaf('ram:Description', a.name),
        leaf('ram:Value', a.value),
      ]),
    ),
    (line.classifications ?? []).map((c) =>
      group('ram:DesignatedProductClassification', [
        leaf('ram:ClassCode', c.id, { listID: c.scheme }),
      ]),
    ),
    group('ram:OriginTradeCountry', [leaf('ram:ID', line.originCountry)]),
  ]);
}

function lineAgreement(line: InvoiceLine) {
  const basis = leaf('ram:BasisQuantity', line.priceBaseQuantity, {
    unitCode: line.priceBaseUnitCode,
  });
  return group('ram:SpecifiedLineTradeAgreement', [
    group('ram:BuyerOrderReferencedDocument', [leaf('ram:LineID', line.orderLineReference)]),
    line.grossPrice !== undefined &&
      group('ram:GrossPriceProductTradePrice', [
        amount('ram:ChargeAmount', line.grossPrice),
        basis,
        line.priceDiscount !== undefined &&
          group('ram:AppliedTradeAllowanceCharge', [
            indicator(false),
            amount('ram:ActualAmount', line.priceDiscount),
          ]),
      ]),
    group('ram:NetPriceProductTradePrice', [amount('ram:ChargeAmount', line.netPrice), basis]),
  ]);
}

function lineItem(line: InvoiceLine) {
  return group('ram:IncludedSupplyChainTradeLineItem', [
    group('ram:AssociatedDocumentLineDocument', [
      leaf('ram:LineID', line.id),
      group('ram:IncludedNote', [leaf('ram:Content', line.note)]),
    ]),
    lineProduct(line),
    lineAgreement(line),
    group('ram:SpecifiedLineTradeDelivery', [
      leaf('ram:BilledQuantity', line.quantity, { unitCode: line.unitCode }),
    ]),
    group('ram:SpecifiedLineTradeSettlement', [
      group('ram:ApplicableTradeTax', [
        leaf('ram:TypeCode', 'VAT'),
        leaf('ram:CategoryCode', line.vatCategoryCode),
        leaf('ram:RateApplicablePercent', line.vatRate),
      ]),
      line.period && period(line.period),
      (line.allowancesCharges ?? []).map(allowanceCharge),
      group('ram:SpecifiedTradeSettlementLineMonetarySummation', [
        amount('ram:LineTotalAmount', line.netAmount),
      ]),
      group('ram:ReceivableSpecifiedTradeAccountingAccount', [
        leaf('ram:ID', line.buyerAccountingReference),
      ]),
    ]),
  ]);
}

function headerAgreement(invoice: En16931Invoice) {
  const reference = (name: string, id: string | undefined) =>
    group(name, [leaf('ram:IssuerAssignedID', id)]);
  return group('ram:ApplicableHeaderTradeAgreement', [
    leaf('ram:BuyerReference', invoice.buyerReference),
    ciiSeller(invoice.seller),
    ciiBuyer(invoice.buyer),
    ciiTaxRepresentative(invoice.taxRepresentative),
    reference('ram:SellerOrderReferencedDocument', invoice.salesOrderReference),
    reference('ram:BuyerOrderReferencedDocument', invoice.purchaseOrderReference),
    reference('ram:ContractReferencedDocument', invoice.contractReference),
    invoice.projectReference
      ? group('ram:SpecifiedProcuringProject', [
          leaf('ram:ID', invoice.projectReference),
          leaf('ram:Name', 'Project reference'),
        ])
      : undefined,
  ]);
}

function tradeTax(breakdown: VatBreakdown, taxPointDate: string | undefined) {
  return group('ram:ApplicableTradeTax', [
    amount('ram:CalculatedAmount', breakdown.taxAmount),
    leaf('ram:TypeCode', 'VAT'),
    leaf('ram:ExemptionReason', breakdown.exemptionReason),
    amount('ram:BasisAmount', breakdown.taxableAmount),
    leaf('ram:CategoryCode', breakdown.categoryCode),
    leaf('ram:ExemptionReasonCode', breakdown.exemptionReasonCode),
    group('ram:TaxPointDate', [
      leaf('udt:DateString', taxPointDate?.replace(/-/g, ''), {
        format: taxPointDate ? '102' : undefined,
      }),
    ]),
    leaf('ram:RateApplicablePercent', breakdown.rate),
  ]);
}

function headerSettlement(invoice: En16931Invoice) {
  const totals = invoice.totals;
  return group('ram:ApplicableHeaderTradeSettlement', [
    leaf('ram:CreditorReferenceID', invoice.payment?.directDebit?.creditorId),
    leaf('ram:PaymentReference', invoice.payment?.remittanceInformation),
    leaf('ram:InvoiceCurrencyCode', invoice.currency),
    ciiPayee(invoice.payee),
    ciiPaymentMeans(invoice.payment),
    invoice.vatBreakdown.map((breakdown) => tradeTax(breakdown, invoice.taxPointDate)),
    invoice.invoicingPeriod && period(invoice.invoicingPeriod),
    (invoice.allowancesCharges ?? []).map(allowanceCharge),
    group('ram:SpecifiedTradePaymentTerms', [
      leaf('ram:Description', invoice.paymentTerms),
      ciiDate('ram:DueDateDateTime', invoice.dueDate),
      leaf('ram:DirectDebitMandateID', invoice.payment?.directDebit?.mandateReference),
    ]),
    group('ram:SpecifiedTradeSettlementHeaderMonetarySummation', [
      amount('ram:LineTotalAmount', totals.lineNetTotal),
      amount('ram:ChargeTotalAmount', totals.chargeTotal),
      amount('ram:AllowanceTotalAmount', totals.allowanceTotal),
      amount('ram:TaxBasisTotalAmount', totals.taxExclusiveTotal),
      amount('ram:TaxTotalAmount', totals.vatTotal, invoice.currency),
      amount('ram:RoundingAmount', totals.roundingAmount),
      amount('ram:GrandTotalAmount', totals.taxInclusiveTotal),
      amount('ram:TotalPrepaidAmount', totals.prepaidAmount),
      amount('ram:DuePayableAmount', totals.payableAmount),
    ]),
    (invoice.precedingInvoices ?? []).map((preceding) =>
      group('ram:InvoiceReferencedDocument', [
        leaf('ram:IssuerAssignedID', preceding.number),
        ciiDate('ram:FormattedIssueDateTime', preceding.issueDate, 'qdt'),
      ]),
    ),
  ]);
}

/** The CII element tree of an invoice or credit note. */
export function ciiDocument(invoice: En16931Invoice): XmlElement {
  const context = group('rsm:ExchangedDocumentContext', [
    group('ram:BusinessProcessSpecifiedDocumentContextParameter', [
      leaf('ram:ID', invoice.profileId),
    ]),
    group('ram:GuidelineSpecifiedDocumentContextParameter', [
      leaf('ram:ID', invoice.customizationId),
    ]),
  ]);
  const document = group('rsm:ExchangedDocument', [
    leaf('ram:ID', invoice.number),
    leaf('ram:TypeCode', invoice.typeCode),
    ciiDate('ram:IssueDateTime', invoice.issueDate),
    (invoice.notes ?? []).map((note) =>
      group('ram:IncludedNote', [
        leaf('ram:Content', note.text),
        leaf('ram:SubjectCode', note.subjectCode),
      ]),
    ),
  ]);
  const transaction = group('rsm:SupplyChainTradeTransaction', [
    invoice.lines.map(lineItem),
    headerAgreement(invoice),
    ciiDelivery(invoice.delivery),
    headerSettlement(invoice),
  ]);
  return group('rsm:CrossIndustryInvoice', [context, document, transaction], {
    'xmlns:rsm': ciiNamespaces.rsm,
    'xmlns:ram': ciiNamespaces.ram,
    'xmlns:qdt': ciiNamespaces.qdt,
    'xmlns:udt': ciiNamespaces.udt,
  }) as XmlElement;
}

/** XRechnung CII bytes of the invoice: deterministic, the same model gives the same bytes. */
export function renderCii(invoice: En16931Invoice): Buffer {
  return Buffer.from(serializeXml(ciiDocument(invoice)), 'utf8');
}
