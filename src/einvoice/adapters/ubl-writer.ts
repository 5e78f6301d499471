import { formatDecimal } from '../domain/decimal.js';
import type {
  Decimal,
  DocumentAllowanceCharge,
  En16931Invoice,
  InvoiceLine,
  LineAllowanceCharge,
  VatBreakdown,
  VatCategoryCode,
} from '../domain/en16931.model.js';
import {
  ublBuyer,
  ublDelivery,
  ublPayee,
  ublPaymentMeans,
  ublSeller,
  ublTaxRepresentative,
} from './ubl-parties.js';
import { group, leaf, serializeXml, type XmlElement } from './xml-tree.js';

// XRechnung 3.0 in OASIS UBL 2.1: an Invoice document, or a CreditNote document for BT-3 381.

export const ublNamespaces = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  creditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
} as const;

/** UNTDID 1001 codes written as a UBL CreditNote document. */
export const ublCreditNoteTypeCodes: readonly string[] = ['381', '396', '81', '83', '532'];

type Amount = (name: string, value: Decimal | undefined) => XmlElement | undefined;

function amountWriter(currency: string): Amount {
  return (name, value) =>
    leaf(name, value === undefined || value === '' ? undefined : formatDecimal(value, 2), {
      currencyID: currency,
    });
}

function vatCategory(name: string, code: VatCategoryCode, rate: Decimal | undefined, extra = []) {
  return group(name, [
    leaf('cbc:ID', code),
    leaf('cbc:Percent', rate),
    ...extra,
    group('cac:TaxScheme', [leaf('cbc:ID', 'VAT')]),
  ]);
}

function allowanceCharge(
  value: DocumentAllowanceCharge | LineAllowanceCharge,
  amount: Amount,
  withTax: boolean,
) {
  return group('cac:AllowanceCharge', [
    leaf('cbc:ChargeIndicator', value.isCharge ? 'true' : 'false'),
    leaf('cbc:AllowanceChargeReasonCode', value.reasonCode),
    leaf('cbc:AllowanceChargeReason', value.reason),
    leaf('cbc:MultiplierFactorNumeric', value.percentage),
    amount('cbc:Amount', value.amount),
    amount('cbc:BaseAmount', value.baseAmount),
    withTax && 'vatCategoryCode' in value
      ? vatCategory('cac:TaxCategory', value.vatCategoryCode, value.vatRate)
      : undefined,
  ]);
}

function taxSubtotal(breakdown: VatBreakdown, amount: Amount) {
  return group('cac:TaxSubtotal', [
    amount('cbc:TaxableAmount', breakdown.taxableAmount),
    amount('cbc:TaxAmount', breakdown.taxAmount),
    group('cac:TaxCategory', [
      leaf('cbc:ID', breakdown.categoryCode),
      leaf('cbc:Percent', breakdown.rate),
      leaf('cbc:TaxExemptionReasonCode', breakdown.exemptionReasonCode),
      leaf('cbc:TaxExemptionReason', breakdown.exemptionReason),
      group('cac:TaxScheme', [leaf('cbc:ID', 'VAT')]),
    ]),
  ]);
}

function invoiceLine(line: InvoiceLine, amount: Amount, creditNote: boolean) {
  const item = group('cac:Item', [
    leaf('cbc:Description', line.description),
    leaf('cbc:Name', line.name),
    group('cac:BuyersItemIdentification', [leaf('cbc:ID', line.buyerItemId)]),
    group('cac:SellersItemIdentification', [leaf('cbc:ID', line.sellerItemId)]),
    group('cac:StandardItemIdentification', [
      leaf('cbc:ID', line.standardItemId?.id, { schemeID: line.standardItemId?.scheme }),
    ]),
    group('cac:OriginCountry', [leaf('cbc:IdentificationCode', line.originCountry)]),
    (line.classifications ?? []).map((c) =>
      group('cac:CommodityClassification', [
        leaf('cbc:ItemClassificationCode', c.id, { listID: c.scheme }),
      ]),
    ),
    vatCategory('cac:ClassifiedTaxCategory', line.vatCategoryCode, line.vatRate),
    (line.attributes ?? []).map((a) =>
      group('cac:AdditionalItemProperty', [leaf('cbc:Name', a.name), leaf('cbc:Value', a.value)]),
    ),
  ]);
  const price = group('cac:Price', [
    amount('cbc:PriceAmount', line.netPrice),
    leaf('cbc:BaseQuantity', line.priceBaseQuantity, { unitCode: line.priceBaseUnitCode }),
    line.grossPrice !== undefined || line.priceDiscount !== undefined
      ? group('cac:AllowanceCharge', [
          leaf('cbc:ChargeIndicator', 'false'),
          amount('cbc:Amount', line.priceDiscount ?? '0'),
          amount('cbc:BaseAmount', line.grossPrice),
        ])
      : undefined,
  ]);
  return group(creditNote ? 'cac:CreditNoteLine' : 'cac:InvoiceLine', [
    leaf('cbc:ID', line.id),
    leaf('cbc:Note', line.note),
    leaf(creditNote ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity', line.quantity, {
      unitCode: line.unitCode,
    }),
    amount('cbc:LineExtensionAmount', line.netAmount),
    leaf('cbc:AccountingCost', line.buyerAccountingReference),
    group('cac:InvoicePeriod', [
      leaf('cbc:StartDate', line.period?.start),
      leaf('cbc:EndDate', line.period?.end),
    ]),
    group('cac:OrderLineReference', [leaf('cbc:LineID', line.orderLineReference)]),
    (line.allowancesCharges ?? []).map((ac) => allowanceCharge(ac, amount, false)),
    item,
    price,
  ]);
}

function documentHeader(invoice: En16931Invoice, creditNote: boolean) {
  const notes = (invoice.notes ?? []).map((note) =>
    leaf('cbc:Note', note.subjectCode ? `#${note.subjectCode}#${note.text}` : note.text),
  );
  return [
    leaf('cbc:CustomizationID', invoice.customizationId),
    leaf('cbc:ProfileID', invoice.profileId),
    leaf('cbc:ID', invoice.number),
    leaf('cbc:IssueDate', invoice.issueDate),
    // UBL 2.1 orders these differently in the two documents; a CreditNote has no cbc:DueDate.
    creditNote
      ? [
          leaf('cbc:TaxPointDate', invoice.taxPointDate),
          leaf('cbc:CreditNoteTypeCode', invoice.typeCode),
          notes,
        ]
      : [
          leaf('cbc:DueDate', invoice.dueDate),
          leaf('cbc:InvoiceTypeCode', invoice.typeCode),
          notes,
          leaf('cbc:TaxPointDate', invoice.taxPointDate),
        ],
    leaf('cbc:DocumentCurrencyCode', invoice.currency),
    leaf('cbc:BuyerReference', invoice.buyerReference),
    group('cac:InvoicePeriod', [
      leaf('cbc:StartDate', invoice.invoicingPeriod?.start),
      leaf('cbc:EndDate', invoice.invoicingPeriod?.end),
    ]),
    group('cac:OrderReference', [
      leaf('cbc:ID', invoice.purchaseOrderReference ?? (invoice.salesOrderReference && 'NA')),
      leaf('cbc:SalesOrderID', invoice.salesOrderReference),
    ]),
    (invoice.precedingInvoices ?? []).map((preceding) =>
      group('cac:BillingReference', [
        group('cac:InvoiceDocumentReference', [
          leaf('cbc:ID', preceding.number),
          leaf('cbc:IssueDate', preceding.issueDate),
        ]),
      ]),
    ),
    group('cac:ContractDocumentReference', [leaf('cbc:ID', invoice.contractReference)]),
    creditNote && invoice.projectReference
      ? group('cac:AdditionalDocumentReference', [
          leaf('cbc:ID', invoice.projectReference),
          leaf('cbc:DocumentTypeCode', '50'),
        ])
      : group('cac:ProjectReference', [leaf('cbc:ID', invoice.projectReference)]),
  ];
}

function documentTotals(invoice: En16931Invoice, amount: Amount) {
  const totals = invoice.totals;
  return [
    (invoice.allowancesCharges ?? []).map((ac) => allowanceCharge(ac, amount, true)),
    group('cac:TaxTotal', [
      amount('cbc:TaxAmount', totals.vatTotal ?? '0'),
      invoice.vatBreakdown.map((breakdown) => taxSubtotal(breakdown, amount)),
    ]),
    group('cac:LegalMonetaryTotal', [
      amount('cbc:LineExtensionAmount', totals.lineNetTotal),
      amount('cbc:TaxExclusiveAmount', totals.taxExclusiveTotal),
      amount('cbc:TaxInclusiveAmount', totals.taxInclusiveTotal),
      amount('cbc:AllowanceTotalAmount', totals.allowanceTotal),
      amount('cbc:ChargeTotalAmount', totals.chargeTotal),
      amount('cbc:PrepaidAmount', totals.prepaidAmount),
      amount('cbc:PayableRoundingAmount', totals.roundingAmount),
      amount('cbc:PayableAmount', totals.payableAmount),
    ]),
  ];
}

/** The UBL element tree of an invoice (CreditNote document for credit note type codes). */
export function ublDocument(invoice: En16931Invoice): XmlElement {
  const creditNote = ublCreditNoteTypeCodes.includes(invoice.typeCode);
  const amount = amountWriter(invoice.currency);
  const root = creditNote ? 'CreditNote' : 'Invoice';
  return group(
    `ubl:${root}`,
    [
      documentHeader(invoice, creditNote),
      ublSeller(invoice.seller, invoice.payment),
      ublBuyer(invoice.buyer),
      ublPayee(invoice.payee),
      ublTaxRepresentative(invoice.taxRepresentative),
      ublDelivery(invoice.delivery),
      ublPaymentMeans(invoice.payment, creditNote ? invoice.dueDate : undefined),
      group('cac:PaymentTerms', [leaf('cbc:Note', invoice.paymentTerms)]),
      documentTotals(invoice, amount),
      invoice.lines.map((line) => invoiceLine(line, amount, creditNote)),
    ],
    {
      'xmlns:ubl': creditNote ? ublNamespaces.creditNote : ublNamespaces.invoice,
      'xmlns:cac': ublNamespaces.cac,
      'xmlns:cbc': ublNamespaces.cbc,
    },
  ) as XmlElement;
}

/** XRechnung UBL bytes of the invoice: deterministic, the same model gives the same bytes. */
export function renderUbl(invoice: En16931Invoice): Buffer {
  return Buffer.from(serializeXml(ublDocument(invoice)), 'utf8');
}
