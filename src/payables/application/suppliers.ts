import {
  CommandMetadata,
  DomainError,
  ValidationError,
  deterministicId,
} from '../../event-sourcing/index.js';
import type { En16931Invoice } from '../../einvoice/index.js';
import type { Party, PartyMasterData } from '../../parties/index.js';
import type { PartiesService } from '../../parties/parties.module.js';

// The supplier of an incoming invoice: found by the seller's VAT id (BT-31), else tax number
// (BT-32), else exact name; else registered through the parties module with the seller's
// master data and IBAN (BT-84), so payment runs find it through PartiesLookup.

type Seller = En16931Invoice['seller'];

const droppable = ['iban', 'bic', 'email', 'taxNumber', 'vatId'] as const;

function masterOf(invoice: En16931Invoice): PartyMasterData {
  const seller: Seller = invoice.seller;
  const transfer = invoice.payment?.creditTransfers?.[0];
  const optional = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  const fields = {
    vatId: optional(seller.vatId),
    taxNumber: optional(seller.taxNumber),
    email: optional(seller.contact?.email),
    iban: optional(transfer?.iban),
    bic: optional(transfer?.bic),
  };
  return {
    name: seller.name,
    naturalPerson: false,
    address: {
      street: seller.address.line1 ?? '',
      postalCode: seller.address.postCode ?? '',
      city: seller.address.city ?? '',
      country: seller.address.countryCode,
    },
    ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
  };
}

export function findSupplier(
  parties: PartiesService,
  bookId: string,
  invoice: En16931Invoice,
): Promise<Party | undefined> {
  const { vatId, taxNumber, name } = invoice.seller;
  return parties.match(bookId, 'supplier', {
    ...(vatId ? { vatId } : {}),
    ...(taxNumber ? { taxNumber } : {}),
    name,
  });
}

/** What stands in for a postal code the parties module refuses (its country's format, all zeros). */
const placeholderPostalCodes: Record<string, string> = {
  DE: '00000',
  FR: '00000',
  AT: '0000',
  CH: '0000',
  NL: '0000 AA',
};
const placeholderStreet = '(nicht angegeben)';

/** The master data with every refused field left out (optional) or replaced (address). */
function repaired(master: PartyMasterData, refused: Set<string>, notes: string[]): PartyMasterData {
  const kept = Object.fromEntries(
    Object.entries(master).filter(
      ([field]) => !(droppable as readonly string[]).includes(field) || !refused.has(field),
    ),
  ) as unknown as PartyMasterData;
  for (const field of droppable)
    if (refused.has(field))
      notes.push(`the seller's ${field} "${String(master[field])}" was not usable and is left out`);
  const address = { ...kept.address };
  if (refused.has('address.street')) {
    address.street = placeholderStreet;
    notes.push(`the seller's street is missing: recorded as "${placeholderStreet}"`);
  }
  if (refused.has('address.postalCode')) {
    address.postalCode = placeholderPostalCodes[address.country] ?? '0';
    notes.push(
      `the seller's postal code "${master.address.postalCode}" was not usable: recorded as "${address.postalCode}"`,
    );
  }
  if (refused.has('address.city')) {
    address.city = '(nicht angegeben)';
    notes.push('the seller\'s city is missing: recorded as "(nicht angegeben)"');
  }
  return { ...kept, address };
}

/**
 * Registers the seller as a supplier. Real invoices carry imperfect master data: a field the
 * parties module refuses is left out (VAT id, IBAN, …) or, for the address, replaced by a
 * marked placeholder; `notes` says what was changed (the invoice shows them; correct the party
 * with PATCH …/parties/:id). Only a seller without any usable name is a 422.
 */
export async function registerSupplier(
  parties: PartiesService,
  bookId: string,
  invoice: En16931Invoice,
  metadata: CommandMetadata,
): Promise<{ party: Party; notes: string[] }> {
  let master = masterOf(invoice);
  const key = master.vatId ?? master.taxNumber ?? master.name.toLowerCase();
  const partyId = deterministicId('kontor.payables.supplier', bookId, key);
  const notes: string[] = [];
  for (let attempt = 0; ; attempt++) {
    try {
      const record = await parties.register(
        { type: 'RegisterParty', bookId, partyId, kind: 'supplier', master },
        { ...metadata, commandId: deterministicId('kontor.payables.register-supplier', partyId) },
      );
      return { party: record.party, notes };
    } catch (error) {
      if (!(error instanceof ValidationError) || attempt > 0)
        throw error instanceof ValidationError
          ? new DomainError(
              'invalid-invoice',
              `The seller ${invoice.seller.name} cannot be registered as a supplier (${error.message}); register the supplier first (POST /v1/books/${bookId}/parties) and send the invoice again`,
            )
          : error;
      master = repaired(master, new Set((error.fieldErrors ?? []).map((e) => e.field)), notes);
    }
  }
}
