import type {
  Buyer,
  DocumentAllowanceCharge,
  InvoiceLine,
  InvoiceNote,
  LineAllowanceCharge,
  PaymentInstructions,
  PostalAddress,
  SchemedId,
  Seller,
  VatBreakdown,
} from '../domain/en16931.model.js';
import { optionalDecimal, optionalIsoDate, requiredDecimal, vatCategory } from './read-fields.js';
import { sepaCreditorScheme } from './ubl-parties.js';
import { attribute, child, children, text, type XmlNode } from './xml-node.js';

// Parts of an OASIS UBL 2.1 Invoice / CreditNote (EN 16931 UBL binding) read into the model.

export function readUblAddress(node: XmlNode | undefined): PostalAddress {
  return {
    line1: text(node, 'StreetName'),
    line2: text(node, 'AdditionalStreetName'),
    line3: text(node, 'AddressLine', 'Line'),
    city: text(node, 'CityName'),
    postCode: text(node, 'PostalZone'),
    countrySubdivision: text(node, 'CountrySubentity'),
    countryCode: text(node, 'Country', 'IdentificationCode') ?? '',
  };
}

export function readUblSchemedId(
  node: XmlNode | undefined,
  ...path: string[]
): SchemedId | undefined {
  const id = text(node, ...path);
  return id === undefined ? undefined : { id, scheme: attribute(node, 'schemeID', ...path) };
}

function taxSchemeId(party: XmlNode | undefined, vat: boolean): string | undefined {
  const scheme = children(party, 'PartyTaxScheme').find(
    (node) => (text(node, 'TaxScheme', 'ID') === 'VAT') === vat,
  );
  return text(scheme, 'CompanyID');
}

function contact(party: XmlNode | undefined) {
  const node = child(party, 'Contact');
  return node
    ? {
        name: text(node, 'Name'),
        phone: text(node, 'Telephone'),
        email: text(node, 'ElectronicMail'),
      }
    : undefined;
}

function electronicAddress(party: XmlNode | undefined) {
  const value = text(party, 'EndpointID');
  return value === undefined
    ? undefined
    : { value, scheme: attribute(party, 'schemeID', 'EndpointID') ?? '' };
}

export function readUblSeller(party: XmlNode | undefined): Seller {
  const identifiers = children(party, 'PartyIdentification')
    .filter((node) => attribute(node, 'schemeID', 'ID') !== sepaCreditorScheme)
    .map((node) => readUblSchemedId(node, 'ID'));
  return {
    name: text(party, 'PartyLegalEntity', 'RegistrationName') ?? '',
    tradingName: text(party, 'PartyName', 'Name'),
    identifiers: identifiers.filter((id): id is SchemedId => id !== undefined),
    legalRegistrationId: readUblSchemedId(child(party, 'PartyLegalEntity'), 'CompanyID'),
    vatId: taxSchemeId(party, true),
    taxNumber: taxSchemeId(party, false),
    additionalLegalInfo: text(party, 'PartyLegalEntity', 'CompanyLegalForm'),
    electronicAddress: electronicAddress(party),
    address: readUblAddress(child(party, 'PostalAddress')),
    contact: contact(party),
  };
}

export function readUblBuyer(party: XmlNode | undefined): Buyer {
  return {
    name: text(party, 'PartyLegalEntity', 'RegistrationName') ?? '',
    tradingName: text(party, 'PartyName', 'Name'),
    identifier: readUblSchemedId(child(party, 'PartyIdentification'), 'ID'),
    legalRegistrationId: readUblSchemedId(child(party, 'PartyLegalEntity'), 'CompanyID'),
    vatId: taxSchemeId(party, true),
    electronicAddress: electronicAddress(party),
    address: readUblAddress(child(party, 'PostalAddress')),
    contact: contact(party),
  };
}

export function readUblPayment(root: XmlNode): PaymentInstructions | undefined {
  const means = children(root, 'PaymentMeans');
  const first = means[0];
  if (!first) return undefined;
  const card = child(first, 'CardAccount');
  const mandate = child(first, 'PaymentMandate');
  const creditorId = children(
    child(root, 'AccountingSupplierParty', 'Party'),
    'PartyIdentification',
  )
    .filter((node) => attribute(node, 'schemeID', 'ID') === sepaCreditorScheme)
    .map((node) => text(node, 'ID'))[0];
  return {
    meansCode: text(first, 'PaymentMeansCode') ?? '',
    meansText: attribute(first, 'name', 'PaymentMeansCode'),
    remittanceInformation: text(first, 'PaymentID'),
    creditTransfers: means
      .map((node) => child(node, 'PayeeFinancialAccount'))
      .filter((account): account is XmlNode => account !== undefined)
      .map((account) => ({
        iban: text(account, 'ID') ?? '',
        accountName: text(account, 'Name'),
        bic: text(account, 'FinancialInstitutionBranch', 'ID'),
      })),
    cardAccount: card && {
      accountNumber: text(card, 'PrimaryAccountNumberID') ?? '',
      holderName: text(card, 'HolderName'),
    },
    directDebit:
      mandate || creditorId
        ? {
            mandateReference: text(mandate, 'ID'),
            creditorId,
            debitedAccount: text(mandate, 'PayerFinancialAccount', 'ID'),
          }
        : undefined,
  };
}

function allowanceCharge(node: XmlNode): LineAllowanceCharge {
  return {
    isCharge: text(node, 'ChargeIndicator') === 'true',
    amount: requiredDecimal('AllowanceCharge/Amount', text(node, 'Amount')),
    baseAmount: optionalDecimal('AllowanceCharge/BaseAmount', text(node, 'BaseAmount')),
    percentage: optionalDecimal('MultiplierFactorNumeric', text(node, 'MultiplierFactorNumeric')),
    reason: text(node, 'AllowanceChargeReason'),
    reasonCode: text(node, 'AllowanceChargeReasonCode'),
  };
}

export function readUblDocumentAllowanceCharge(node: XmlNode): DocumentAllowanceCharge {
  return {
    ...allowanceCharge(node),
    vatCategoryCode: vatCategory('AllowanceCharge/TaxCategory', text(node, 'TaxCategory', 'ID')),
    vatRate: optionalDecimal('TaxCategory/Percent', text(node, 'TaxCategory', 'Percent')),
  };
}

export function readUblLine(node: XmlNode): InvoiceLine {
  const item = child(node, 'Item');
  const price = child(node, 'Price');
  const priceDiscount = child(price, 'AllowanceCharge');
  const quantityName = children(node, 'CreditedQuantity').length
    ? 'CreditedQuantity'
    : 'InvoicedQuantity';
  return {
    id: text(node, 'ID') ?? '',
    note: text(node, 'Note'),
    quantity: requiredDecimal('InvoicedQuantity', text(node, quantityName)),
    unitCode: attribute(node, 'unitCode', quantityName) ?? '',
    netAmount: requiredDecimal('LineExtensionAmount', text(node, 'LineExtensionAmount')),
    period: child(node, 'InvoicePeriod') && {
      start: optionalIsoDate('InvoicePeriod/StartDate', text(node, 'InvoicePeriod', 'StartDate')),
      end: optionalIsoDate('InvoicePeriod/EndDate', text(node, 'InvoicePeriod', 'EndDate')),
    },
    orderLineReference: text(node, 'OrderLineReference', 'LineID'),
    buyerAccountingReference: text(node, 'AccountingCost'),
    allowancesCharges: children(node, 'AllowanceCharge').map(allowanceCharge),
    netPrice: requiredDecimal('PriceAmount', text(price, 'PriceAmount')),
    priceDiscount: optionalDecimal('Price/AllowanceCharge/Amount', text(priceDiscount, 'Amount')),
    grossPrice: optionalDecimal(
      'Price/AllowanceCharge/BaseAmount',
      text(priceDiscount, 'BaseAmount'),
    ),
    priceBaseQuantity: optionalDecimal('BaseQuantity', text(price, 'BaseQuantity')),
    priceBaseUnitCode: attribute(price, 'unitCode', 'BaseQuantity'),
    vatCategoryCode: vatCategory(
      'ClassifiedTaxCategory',
      text(item, 'ClassifiedTaxCategory', 'ID'),
    ),
    vatRate: optionalDecimal(
      'ClassifiedTaxCategory/Percent',
      text(item, 'ClassifiedTaxCategory', 'Percent'),
    ),
    name: text(item, 'Name') ?? '',
    description: text(item, 'Description'),
    sellerItemId: text(item, 'SellersItemIdentification', 'ID'),
    buyerItemId: text(item, 'BuyersItemIdentification', 'ID'),
    standardItemId: readUblSchemedId(child(item, 'StandardItemIdentification'), 'ID'),
    classifications: children(item, 'CommodityClassification').map((c) => ({
      id: text(c, 'ItemClassificationCode') ?? '',
      scheme: attribute(c, 'listID', 'ItemClassificationCode'),
    })),
    originCountry: text(item, 'OriginCountry', 'IdentificationCode'),
    attributes: children(item, 'AdditionalItemProperty').map((p) => ({
      name: text(p, 'Name') ?? '',
      value: text(p, 'Value') ?? '',
    })),
  };
}

export function readUblVatBreakdown(node: XmlNode): VatBreakdown {
  return {
    categoryCode: vatCategory('TaxSubtotal/TaxCategory', text(node, 'TaxCategory', 'ID')),
    rate: optionalDecimal('TaxSubtotal/Percent', text(node, 'TaxCategory', 'Percent')),
    taxableAmount: requiredDecimal('TaxableAmount', text(node, 'TaxableAmount')),
    taxAmount: requiredDecimal('TaxSubtotal/TaxAmount', text(node, 'TaxAmount')),
    exemptionReason: text(node, 'TaxCategory', 'TaxExemptionReason'),
    exemptionReasonCode: text(node, 'TaxCategory', 'TaxExemptionReasonCode'),
  };
}

export function readUblNote(value: string): InvoiceNote {
  const match = /^#([A-Z]{3})#([\s\S]*)$/.exec(value);
  return match ? { subjectCode: match[1], text: match[2] ?? '' } : { text: value };
}

/** The document's own VAT total: the cac:TaxTotal in document currency that has subtotals. */
export function readUblVatTotal(root: XmlNode): string | undefined {
  const totals = children(root, 'TaxTotal');
  const main = totals.find((t) => children(t, 'TaxSubtotal').length > 0) ?? totals[0];
  return optionalDecimal('TaxTotal/TaxAmount', text(main, 'TaxAmount'));
}
