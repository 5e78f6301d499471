import type { CompanySettings, Party, PartiesLookup } from '../../parties/index.js';
import type { SellerSnapshot } from '../domain/issued-documents.js';
import type { BillingCustomer, BillingLookups } from './billing-lookups.js';

// Customers and the company (seller) from the parties module, as billing snapshots them.

export function customerOf(party: Party): BillingCustomer {
  return {
    partyId: party.id,
    number: party.number,
    name: party.name,
    address: {
      line1: party.address.street,
      city: party.address.city,
      postCode: party.address.postalCode,
      countryCode: party.address.country,
    },
    ...(party.vatId ? { vatId: party.vatId } : {}),
    ...(party.buyerReference ? { buyerReference: party.buyerReference } : {}),
    ...(party.email ? { electronicAddress: { value: party.email, scheme: 'EM' } } : {}),
    ...(party.paymentTermsDays !== undefined ? { paymentTermsDays: party.paymentTermsDays } : {}),
    ...(party.naturalPerson ? { naturalPerson: true } : {}),
  };
}

export function sellerOf(company: CompanySettings): SellerSnapshot {
  const contact = {
    ...(company.contactName ? { name: company.contactName } : {}),
    ...(company.phone ? { phone: company.phone } : {}),
    ...(company.email ? { email: company.email } : {}),
  };
  return {
    name: company.name,
    address: {
      ...(company.address?.street ? { line1: company.address.street } : {}),
      ...(company.address?.city ? { city: company.address.city } : {}),
      ...(company.address?.postalCode ? { postCode: company.address.postalCode } : {}),
      countryCode: company.address?.country ?? '',
    },
    ...(company.vatId ? { vatId: company.vatId } : {}),
    ...(company.taxNumber ? { taxNumber: company.taxNumber } : {}),
    ...(company.registration ? { registration: company.registration } : {}),
    ...(Object.keys(contact).length ? { contact } : {}),
    ...(company.iban ? { iban: company.iban } : {}),
    ...(company.bic ? { bic: company.bic } : {}),
  };
}

/** Customers (only parties of kind customer) and the company from PartiesLookup. */
export function partiesSource(
  parties: PartiesLookup,
): Pick<BillingLookups, 'customer' | 'company'> {
  return {
    async customer(bookId, idOrNumber) {
      const party = await parties.find(bookId, idOrNumber);
      return party && party.kind === 'customer' ? customerOf(party) : undefined;
    },
    async company(bookId) {
      const company = await parties.company(bookId);
      return company && sellerOf(company);
    },
  };
}
