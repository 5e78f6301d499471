import type {
  Buyer,
  Contact,
  DocumentAllowanceCharge,
  InvoiceLine,
  LineAllowanceCharge,
  PaymentInstructions,
  PostalAddress,
  SchemedId,
  Seller,
  VatBreakdown,
} from '../domain/en16931.model.js';
import { optionalCiiDate, optionalDecimal, requiredDecimal, vatCategory } from './read-fields.js';
import { attribute, child, children, text, type XmlNode } from './xml-node.js';

// Parts of a UN/CEFACT CII D16B CrossIndustryInvoice (EN 16931 CII binding) read into the model.

export function readCiiDate(node: XmlNode | undefined, field: string, ...path: string[]) {
  const holder = child(node, ...path);
  const value = child(holder, 'DateTimeString') ?? child(holder, 'DateString');
  return optionalCiiDate(field, text(value), attribute(value, 'format'));
}

export function readCiiAddress(node: XmlNode | undefined): PostalAddress {
  return {
    line1: text(node, 'LineOne'),
    line2: text(node, 'LineTwo'),
    line3: text(node, 'LineThree'),
    city: text(node, 'CityName'),
    postCode: text(node, 'PostcodeCode'),
    countrySubdivision: text(node, 'CountrySubDivisionName'),
    countryCode: text(node, 'CountryID') ?? '',
  };
}

/** ram:ID (no scheme) and ram:GlobalID (with scheme) of a party, in that order. */
export function readCiiIds(party: XmlNode | undefined): SchemedId[] {
  const plain = children(party, 'ID').map((node) => ({ id: text(node) ?? '' }));
  const global = children(party, 'GlobalID').map((node) => ({
    id: text(node) ?? '',
    scheme: attribute(node, 'schemeID'),
  }));
  return [...plain, ...global];
}

function contact(party: XmlNode | undefined): Contact | undefined {
  const node = child(party, 'DefinedTradeContact');
  return (
    node && {
      name: text(node, 'PersonName'),
      phone: text(node, 'TelephoneUniversalCommunication', 'CompleteNumber'),
      email: text(node, 'EmailURIUniversalCommunication', 'URIID'),
    }
  );
}

function taxRegistration(party: XmlNode | undefined, scheme: 'VA' | 'FC') {
  const node = children(party, 'SpecifiedTaxRegistration').find(
    (registration) => attribute(registration, 'schemeID', 'ID') === scheme,
  );
  return text(node, 'ID');
}

function legalRegistration(party: XmlNode | undefined): SchemedId | undefined {
  const organization = child(party, 'SpecifiedLegalOrganization');
  const id = text(organization, 'ID');
  return id === undefined ? undefined : { id, scheme: attribute(organization, 'schemeID', 'ID') };
}

function electronicAddress(party: XmlNode | undefined) {
  const value = text(party, 'URIUniversalCommunication', 'URIID');
  return value === undefined
    ? undefined
    : { value, scheme: attribute(party, 'schemeID', 'URIUniversalCommunication', 'URIID') ?? '' };
}

export function readCiiSeller(party: XmlNode | undefined): Seller {
  return {
    name: text(party, 'Name') ?? '',
    tradingName: text(party, 'SpecifiedLegalOrganization', 'TradingBusinessName'),
    identifiers: readCiiIds(party),
    legalRegistrationId: legalRegistration(party),
    vatId: taxRegistration(party, 'VA'),
    taxNumber: taxRegistration(party, 'FC'),
    additionalLegalInfo: text(party, 'Description'),
    electronicAddress: electronicAddress(party),
    address: readCiiAddress(child(party, 'PostalTradeAddress')),
    contact: contact(party),
  };
}

export function readCiiBuyer(party: XmlNode | undefined): Buyer {
  return {
    name: text(party, 'Name') ?? '',
    tradingName: text(party, 'SpecifiedLegalOrganization', 'TradingBusinessName'),
    identifier: readCiiIds(party)[0],
    legalRegistrationId: legalRegistration(party),
    vatId: taxRegistration(party, 'VA'),
    electronicAddress: electronicAddress(party),
    address: readCiiAddress(child(party, 'PostalTradeAddress')),
    contact: contact(party),
  };
}

export function readCiiPayment(settlement: XmlNode | undefined): PaymentInstructions | undefined {
  const means = children(settlement, 'SpecifiedTradeSettlementPaymentMeans');
  const first = means[0];
  if (!first) return undefined;
  const card = child(first, 'ApplicableTradeSettlementFinancialCard');
  const mandateReference = text(settlement, 'SpecifiedTradePaymentTerms', 'DirectDebitMandateID');
  const creditorId = text(settlement, 'CreditorReferenceID');
  const debitedAccount = text(first, 'PayerPartyDebtorFinancialAccount', 'IBANID');
  return {
    meansCode: text(first, 'TypeCode') ?? '',
    meansText: text(first, 'Information'),
    remittanceInformation: text(settlement, 'PaymentReference'),
    creditTransfers: means
      .filter((node) => child(node, 'PayeePartyCreditorFinancialAccount'))
      .map((node) => {
        const account = child(node, 'PayeePartyCreditorFinancialAccount');
        return {
          iban: text(account, 'IBANID') ?? text(account, 'ProprietaryID') ?? '',
          accountName: text(account, 'AccountName'),
          bic: text(node, 'PayeeSpecifiedCreditorFinancialInstitution', 'BICID'),
        };
      }),
    cardAccount: card && {
      accountNumber: text(card, 'ID') ?? '',
      holderName: text(card, 'CardholderName'),
    },
    directDebit:
      mandateReference || creditorId || debitedAccount
        ? { mandateReference, creditorId, debitedAccount }
        : undefined,
  };
}

function allowanceCharge(node: XmlNode): LineAllowanceCharge {
  return {
    isCharge: text(node, 'ChargeIndicator', 'Indicator') === 'true',
    amount: requiredDecimal('ActualAmount', text(node, 'ActualAmount')),
    baseAmount: optionalDecimal('BasisAmount', text(node, 'BasisAmount')),
    percentage: optionalDecimal('CalculationPercent', text(node, 'CalculationPercent')),
    reason: text(node, 'Reason'),
    reasonCode: text(node, 'ReasonCode'),
  };
}

export function readCiiDocumentAllowanceCharge(node: XmlNode): DocumentAllowanceCharge {
  const tax = child(node, 'CategoryTradeTax');
  return {
    ...allowanceCharge(node),
    vatCategoryCode: vatCategory('CategoryTradeTax', text(tax, 'CategoryCode')),
    vatRate: optionalDecimal('RateApplicablePercent', text(tax, 'RateApplicablePercent')),
  };
}

function product(node: XmlNode | undefined) {
  const globalId = child(node, 'GlobalID');
  return {
    name: text(node, 'Name') ?? '',
    description: text(node, 'Description'),
    sellerItemId: text(node, 'SellerAssignedID'),
    buyerItemId: text(node, 'BuyerAssignedID'),
    standardItemId: globalId && {
      id: text(globalId) ?? '',
      scheme: attribute(globalId, 'schemeID'),
    },
    classifications: children(node, 'DesignatedProductClassification').map((c) => ({
      id: text(c, 'ClassCode') ?? '',
      scheme: attribute(c, 'listID', 'ClassCode'),
    })),
    originCountry: text(node, 'OriginTradeCountry', 'ID'),
    attributes: children(node, 'ApplicableProductCharacteristic').map((c) => ({
      name: text(c, 'Description') ?? '',
      value: text(c, 'Value') ?? '',
    })),
  };
}

export function readCiiLine(node: XmlNode): InvoiceLine {
  const agreement = child(node, 'SpecifiedLineTradeAgreement');
  const gross = child(agreement, 'GrossPriceProductTradePrice');
  const net = child(agreement, 'NetPriceProductTradePrice');
  const settlement = child(node, 'SpecifiedLineTradeSettlement');
  const tax = child(settlement, 'ApplicableTradeTax');
  const periodNode = child(settlement, 'BillingSpecifiedPeriod');
  const basis = child(net, 'BasisQuantity') ?? child(gross, 'BasisQuantity');
  return {
    id: text(node, 'AssociatedDocumentLineDocument', 'LineID') ?? '',
    note: text(node, 'AssociatedDocumentLineDocument', 'IncludedNote', 'Content'),
    quantity: requiredDecimal(
      'BilledQuantity',
      text(node, 'SpecifiedLineTradeDelivery', 'BilledQuantity'),
    ),
    unitCode: attribute(node, 'unitCode', 'SpecifiedLineTradeDelivery', 'BilledQuantity') ?? '',
    netAmount: requiredDecimal(
      'LineTotalAmount',
      text(settlement, 'SpecifiedTradeSettlementLineMonetarySummation', 'LineTotalAmount'),
    ),
    period: periodNode && {
      start: readCiiDate(periodNode, 'BillingSpecifiedPeriod/StartDateTime', 'StartDateTime'),
      end: readCiiDate(periodNode, 'BillingSpecifiedPeriod/EndDateTime', 'EndDateTime'),
    },
    orderLineReference: text(agreement, 'BuyerOrderReferencedDocument', 'LineID'),
    buyerAccountingReference: text(settlement, 'ReceivableSpecifiedTradeAccountingAccount', 'ID'),
    allowancesCharges: children(settlement, 'SpecifiedTradeAllowanceCharge').map(allowanceCharge),
    netPrice: requiredDecimal('NetPriceProductTradePrice', text(net, 'ChargeAmount')),
    priceDiscount: optionalDecimal(
      'AppliedTradeAllowanceCharge',
      text(gross, 'AppliedTradeAllowanceCharge', 'ActualAmount'),
    ),
    grossPrice: optionalDecimal('GrossPriceProductTradePrice', text(gross, 'ChargeAmount')),
    priceBaseQuantity: optionalDecimal('BasisQuantity', text(basis)),
    priceBaseUnitCode: attribute(basis, 'unitCode'),
    vatCategoryCode: vatCategory('ApplicableTradeTax/CategoryCode', text(tax, 'CategoryCode')),
    vatRate: optionalDecimal('RateApplicablePercent', text(tax, 'RateApplicablePercent')),
    ...product(child(node, 'SpecifiedTradeProduct')),
  };
}

export function readCiiVatBreakdown(node: XmlNode): VatBreakdown {
  return {
    categoryCode: vatCategory('ApplicableTradeTax/CategoryCode', text(node, 'CategoryCode')),
    rate: optionalDecimal('RateApplicablePercent', text(node, 'RateApplicablePercent')),
    taxableAmount: requiredDecimal('BasisAmount', text(node, 'BasisAmount')),
    taxAmount: requiredDecimal('CalculatedAmount', text(node, 'CalculatedAmount')),
    exemptionReason: text(node, 'ExemptionReason'),
    exemptionReasonCode: text(node, 'ExemptionReasonCode'),
  };
}
