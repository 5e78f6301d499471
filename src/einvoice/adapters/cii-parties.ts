import type {
  Buyer,
  Contact,
  Delivery,
  ElectronicAddress,
  IsoDate,
  Payee,
  PaymentInstructions,
  PostalAddress,
  SchemedId,
  Seller,
  TaxRepresentative,
} from '../domain/en16931.model.js';
import { group, leaf, type XmlElement } from './xml-tree.js';

// UN/CEFACT CII D16B trade parties, addresses, delivery and payment means (EN 16931 CII binding).

export function ciiDate(name: string, date: IsoDate | undefined, prefix = 'udt') {
  return group(name, [
    leaf(`${prefix}:DateTimeString`, date?.replace(/-/g, ''), { format: date ? '102' : undefined }),
  ]);
}

export function ciiAddress(address: PostalAddress | undefined) {
  if (!address) return undefined;
  return group('ram:PostalTradeAddress', [
    leaf('ram:PostcodeCode', address.postCode),
    leaf('ram:LineOne', address.line1),
    leaf('ram:LineTwo', address.line2),
    leaf('ram:LineThree', address.line3),
    leaf('ram:CityName', address.city),
    leaf('ram:CountryID', address.countryCode),
    leaf('ram:CountrySubDivisionName', address.countrySubdivision),
  ]);
}

function contact(value: Contact | undefined) {
  if (!value) return undefined;
  return group('ram:DefinedTradeContact', [
    leaf('ram:PersonName', value.name),
    group('ram:TelephoneUniversalCommunication', [leaf('ram:CompleteNumber', value.phone)]),
    group('ram:EmailURIUniversalCommunication', [leaf('ram:URIID', value.email)]),
  ]);
}

/** An identifier without scheme is a ram:ID, with scheme a ram:GlobalID. */
function ids(values: readonly (SchemedId | undefined)[]) {
  const defined = values.filter((id): id is SchemedId => id !== undefined);
  return [
    defined.filter((id) => !id.scheme).map((id) => leaf('ram:ID', id.id)),
    defined
      .filter((id) => id.scheme)
      .map((id) => leaf('ram:GlobalID', id.id, { schemeID: id.scheme })),
  ];
}

function legalOrganization(registration: SchemedId | undefined, tradingName: string | undefined) {
  return group('ram:SpecifiedLegalOrganization', [
    leaf('ram:ID', registration?.id, { schemeID: registration?.scheme }),
    leaf('ram:TradingBusinessName', tradingName),
  ]);
}

function uri(address: ElectronicAddress | undefined) {
  return group('ram:URIUniversalCommunication', [
    leaf('ram:URIID', address?.value, { schemeID: address?.scheme }),
  ]);
}

function taxRegistration(id: string | undefined, scheme: 'VA' | 'FC') {
  return group('ram:SpecifiedTaxRegistration', [leaf('ram:ID', id, { schemeID: scheme })]);
}

export function ciiSeller(seller: Seller): XmlElement | undefined {
  return group('ram:SellerTradeParty', [
    ids(seller.identifiers ?? []),
    leaf('ram:Name', seller.name),
    leaf('ram:Description', seller.additionalLegalInfo),
    legalOrganization(seller.legalRegistrationId, seller.tradingName),
    contact(seller.contact),
    ciiAddress(seller.address),
    uri(seller.electronicAddress),
    taxRegistration(seller.vatId, 'VA'),
    taxRegistration(seller.taxNumber, 'FC'),
  ]);
}

export function ciiBuyer(buyer: Buyer): XmlElement | undefined {
  return group('ram:BuyerTradeParty', [
    ids([buyer.identifier]),
    leaf('ram:Name', buyer.name),
    legalOrganization(buyer.legalRegistrationId, buyer.tradingName),
    contact(buyer.contact),
    ciiAddress(buyer.address),
    uri(buyer.electronicAddress),
    taxRegistration(buyer.vatId, 'VA'),
  ]);
}

export function ciiTaxRepresentative(representative: TaxRepresentative | undefined) {
  if (!representative) return undefined;
  return group('ram:SellerTaxRepresentativeTradeParty', [
    leaf('ram:Name', representative.name),
    ciiAddress(representative.address),
    taxRegistration(representative.vatId, 'VA'),
  ]);
}

export function ciiPayee(payee: Payee | undefined) {
  if (!payee) return undefined;
  return group('ram:PayeeTradeParty', [
    ids([payee.identifier]),
    leaf('ram:Name', payee.name),
    legalOrganization(payee.legalRegistrationId, undefined),
  ]);
}

/** ram:ApplicableHeaderTradeDelivery is mandatory in CII, so it is written even when empty. */
export function ciiDelivery(delivery: Delivery | undefined): XmlElement {
  const name = 'ram:ApplicableHeaderTradeDelivery';
  const element = group(name, [
    group('ram:ShipToTradeParty', [
      ids([delivery?.locationId]),
      leaf('ram:Name', delivery?.partyName),
      ciiAddress(delivery?.address),
    ]),
    group('ram:ActualDeliverySupplyChainEvent', [
      ciiDate('ram:OccurrenceDateTime', delivery?.date),
    ]),
  ]);
  return element ?? { name, attributes: [], children: [] };
}

export function ciiPaymentMeans(payment: PaymentInstructions | undefined) {
  if (!payment) return [];
  const means = (account: XmlElement | undefined, bic: string | undefined) =>
    group('ram:SpecifiedTradeSettlementPaymentMeans', [
      leaf('ram:TypeCode', payment.meansCode),
      leaf('ram:Information', payment.meansText),
      payment.cardAccount &&
        group('ram:ApplicableTradeSettlementFinancialCard', [
          leaf('ram:ID', payment.cardAccount.accountNumber),
          leaf('ram:CardholderName', payment.cardAccount.holderName),
        ]),
      group('ram:PayerPartyDebtorFinancialAccount', [
        leaf('ram:IBANID', payment.directDebit?.debitedAccount),
      ]),
      account,
      group('ram:PayeeSpecifiedCreditorFinancialInstitution', [leaf('ram:BICID', bic)]),
    ]);
  const transfers = payment.creditTransfers ?? [];
  if (transfers.length === 0) return [means(undefined, undefined)];
  return transfers.map((transfer) =>
    means(
      group('ram:PayeePartyCreditorFinancialAccount', [
        leaf('ram:IBANID', transfer.iban),
        leaf('ram:AccountName', transfer.accountName),
      ]),
      transfer.bic,
    ),
  );
}
