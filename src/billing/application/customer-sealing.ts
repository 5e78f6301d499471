import type { PartiesLookup } from '../../parties/index.js';
import type { PersonalDataCipher } from '../../parties/parties.module.js';
import type { InvoiceDraft } from '../domain/invoice-draft.js';
import type { CustomerSnapshot, PostalAddressSnapshot } from '../domain/issued-documents.js';

/**
 * A private customer's name, address and e-mail in billing's document events (InvoiceIssued,
 * CreditNoteIssued), sealed under the buyer party's keys (PERSONAL_DATA_CIPHER, docs/adr/0015):
 * `customer.sealed` instead of `name`, `address`, `electronicAddress`. Reads (the API and the
 * XRechnung/ZUGFeRD/PDF renderings) open them; erased fields read empty and are listed in
 * `customer.erased`. A company's data stays as it is.
 */
export class CustomerSealing {
  constructor(
    private readonly cipher: PersonalDataCipher,
    private readonly parties: PartiesLookup,
  ) {}

  /** A draft's customer as shown: a private customer's name from the party (drafts omit it). */
  async draftCustomer(bookId: string, customer: InvoiceDraft['customer']) {
    if (customer.name !== undefined) return customer;
    const party = await this.parties.find(bookId, customer.partyId);
    return { ...customer, name: party?.name ?? '' };
  }

  async openDraft<Draft extends InvoiceDraft>(bookId: string, draft: Draft): Promise<Draft> {
    return { ...draft, customer: await this.draftCustomer(bookId, draft.customer) };
  }

  async seal(bookId: string, customer: CustomerSnapshot, naturalPerson: boolean) {
    if (!naturalPerson) return customer;
    const { name, address, electronicAddress, ...rest } = customer;
    const sealed = await this.cipher.seal(
      { bookId, partyId: customer.partyId },
      { name, address, ...(electronicAddress ? { email: electronicAddress } : {}) },
    );
    return { ...rest, sealed } as CustomerSnapshot;
  }

  async open(bookId: string, customer: CustomerSnapshot): Promise<CustomerSnapshot> {
    if (!customer.sealed) return customer;
    const { sealed, ...rest } = customer;
    const opened = await this.cipher.open({ bookId, partyId: customer.partyId }, sealed);
    const values = opened.values as {
      name?: string;
      address?: PostalAddressSnapshot;
      email?: CustomerSnapshot['electronicAddress'];
    };
    return {
      ...rest,
      name: values.name ?? '',
      address: values.address ?? { countryCode: '' },
      ...(values.email ? { electronicAddress: values.email } : {}),
      ...(opened.erased.length > 0 ? { erased: opened.erased } : {}),
    };
  }
}
