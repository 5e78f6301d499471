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

/**
 * Registers the seller as a supplier. An optional field the parties module refuses (an IBAN
 * with a wrong check digit, say) is left out rather than refusing the invoice; a seller without
 * a usable name or address cannot be a supplier: 422 `invalid-invoice`.
 */
export async function registerSupplier(
  parties: PartiesService,
  bookId: string,
  invoice: En16931Invoice,
  metadata: CommandMetadata,
): Promise<Party> {
  let master = masterOf(invoice);
  const key = master.vatId ?? master.taxNumber ?? master.name.toLowerCase();
  const partyId = deterministicId('kontor.payables.supplier', bookId, key);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const record = await parties.register(
        { type: 'RegisterParty', bookId, partyId, kind: 'supplier', master },
        { ...metadata, commandId: deterministicId('kontor.payables.register-supplier', partyId) },
      );
      return record.party;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const refused = new Set((error.fieldErrors ?? []).map((e) => e.field));
      const fixable = droppable.filter((field) => refused.has(field));
      if (attempt === 0 && fixable.length === refused.size && fixable.length > 0) {
        master = Object.fromEntries(
          Object.entries(master).filter(([field]) => !fixable.includes(field as never)),
        ) as unknown as PartyMasterData;
        continue;
      }
      throw new DomainError(
        'invalid-invoice',
        `The seller ${invoice.seller.name} cannot be registered as a supplier (${error.message}); register the supplier first (POST /v1/books/${bookId}/parties with its VAT id) and send the invoice again`,
      );
    }
  }
  throw new DomainError(
    'invalid-invoice',
    `The seller ${invoice.seller.name} cannot be registered`,
  );
}
