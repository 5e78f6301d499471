import type {
  Buyer,
  Contact,
  Delivery,
  Payee,
  PaymentInstructions,
  PostalAddress,
  SchemedId,
  Seller,
  TaxRepresentative,
} from '../domain/en16931.model.js';
import { group, leaf, type XmlElement } from './xml-tree.js';

// UBL 2.1 party, address and payment elements of the EN 16931 UBL binding (shared by the
// Invoice and CreditNote writers).

/** The scheme UBL uses on cac:PartyIdentification for the SEPA creditor id (BT-90). */
export const sepaCreditorScheme = 'SEPA';

export function ublAddress(name: string, address: PostalAddress | undefined) {
  if (!address) return undefined;
  return group(name, [
    leaf('cbc:StreetName', address.line1),
    leaf('cbc:AdditionalStreetName', address.line2),
    leaf('cbc:CityName', address.city),
    leaf('cbc:PostalZone', address.postCode),
    leaf('cbc:CountrySubentity', address.countrySubdivision),
    group('cac:AddressLine', [leaf('cbc:Line', address.line3)]),
    group('cac:Country', [leaf('cbc:IdentificationCode', address.countryCode)]),
  ]);
}

function contact(value: Contact | undefined) {
  if (!value) return undefined;
  return group('cac:Contact', [
    leaf('cbc:Name', value.name),
    leaf('cbc:Telephone', value.phone),
    leaf('cbc:ElectronicMail', value.email),
  ]);
}

function partyIdentification(id: SchemedId | undefined) {
  if (!id) return undefined;
  return group('cac:PartyIdentification', [leaf('cbc:ID', id.id, { schemeID: id.scheme })]);
}

function taxScheme(companyId: string | undefined, scheme: string) {
  if (!companyId) return undefined;
  return group('cac:PartyTaxScheme', [
    leaf('cbc:CompanyID', companyId),
    group('cac:TaxScheme', [leaf('cbc:ID', scheme)]),
  ]);
}

function partyName(name: string | undefined) {
  return group('cac:PartyName', [leaf('cbc:Name', name)]);
}

export function ublSeller(seller: Seller, payment: PaymentInstructions | undefined): XmlElement {
  const creditorId = payment?.directDebit?.creditorId;
  const party = group('cac:Party', [
    leaf('cbc:EndpointID', seller.electronicAddress?.value, {
      schemeID: seller.electronicAddress?.scheme,
    }),
    (seller.identifiers ?? []).map(partyIdentification),
    creditorId ? partyIdentification({ id: creditorId, scheme: sepaCreditorScheme }) : undefined,
    partyName(seller.tradingName),
    ublAddress('cac:PostalAddress', seller.address),
    taxScheme(seller.vatId, 'VAT'),
    taxScheme(seller.taxNumber, 'FC'),
    group('cac:PartyLegalEntity', [
      leaf('cbc:RegistrationName', seller.name),
      leaf('cbc:CompanyID', seller.legalRegistrationId?.id, {
        schemeID: seller.legalRegistrationId?.scheme,
      }),
      leaf('cbc:CompanyLegalForm', seller.additionalLegalInfo),
    ]),
    contact(seller.contact),
  ]);
  return group('cac:AccountingSupplierParty', [party]) as XmlElement;
}

export function ublBuyer(buyer: Buyer): XmlElement {
  const party = group('cac:Party', [
    leaf('cbc:EndpointID', buyer.electronicAddress?.value, {
      schemeID: buyer.electronicAddress?.scheme,
    }),
    partyIdentification(buyer.identifier),
    partyName(buyer.tradingName),
    ublAddress('cac:PostalAddress', buyer.address),
    taxScheme(buyer.vatId, 'VAT'),
    group('cac:PartyLegalEntity', [
      leaf('cbc:RegistrationName', buyer.name),
      leaf('cbc:CompanyID', buyer.legalRegistrationId?.id, {
        schemeID: buyer.legalRegistrationId?.scheme,
      }),
    ]),
    contact(buyer.contact),
  ]);
  return group('cac:AccountingCustomerParty', [party]) as XmlElement;
}

export function ublPayee(payee: Payee | undefined) {
  if (!payee) return undefined;
  return group('cac:PayeeParty', [
    partyIdentification(payee.identifier),
    partyName(payee.name),
    group('cac:PartyLegalEntity', [
      leaf('cbc:CompanyID', payee.legalRegistrationId?.id, {
        schemeID: payee.legalRegistrationId?.scheme,
      }),
    ]),
  ]);
}

export function ublTaxRepresentative(representative: TaxRepresentative | undefined) {
  if (!representative) return undefined;
  return group('cac:TaxRepresentativeParty', [
    partyName(representative.name),
    ublAddress('cac:PostalAddress', representative.address),
    taxScheme(representative.vatId, 'VAT'),
  ]);
}

export function ublDelivery(delivery: Delivery | undefined) {
  if (!delivery) return undefined;
  return group('cac:Delivery', [
    leaf('cbc:ActualDeliveryDate', delivery.date),
    group('cac:DeliveryLocation', [
      leaf('cbc:ID', delivery.locationId?.id, { schemeID: delivery.locationId?.scheme }),
      ublAddress('cac:Address', delivery.address),
    ]),
    group('cac:DeliveryParty', [partyName(delivery.partyName)]),
  ]);
}

/** One cac:PaymentMeans per credit transfer account (UBL repeats the group), else one. */
export function ublPaymentMeans(
  payment: PaymentInstructions | undefined,
  creditNoteDueDate: string | undefined,
) {
  if (!payment) return [];
  const meansCode = leaf('cbc:PaymentMeansCode', payment.meansCode, { name: payment.meansText });
  const common = (account: XmlElement | undefined) =>
    group('cac:PaymentMeans', [
      meansCode,
      leaf('cbc:PaymentDueDate', creditNoteDueDate),
      leaf('cbc:PaymentID', payment.remittanceInformation),
      payment.cardAccount &&
        group('cac:CardAccount', [
          leaf('cbc:PrimaryAccountNumberID', payment.cardAccount.accountNumber),
          leaf('cbc:NetworkID', 'NA'),
          leaf('cbc:HolderName', payment.cardAccount.holderName),
        ]),
      account,
      payment.directDebit &&
        group('cac:PaymentMandate', [
          leaf('cbc:ID', payment.directDebit.mandateReference),
          group('cac:PayerFinancialAccount', [leaf('cbc:ID', payment.directDebit.debitedAccount)]),
        ]),
    ]);
  const transfers = payment.creditTransfers ?? [];
  if (transfers.length === 0) return [common(undefined)];
  return transfers.map((transfer) =>
    common(
      group('cac:PayeeFinancialAccount', [
        leaf('cbc:ID', transfer.iban),
        leaf('cbc:Name', transfer.accountName),
        group('cac:FinancialInstitutionBranch', [leaf('cbc:ID', transfer.bic)]),
      ]),
    ),
  );
}
