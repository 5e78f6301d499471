import { EventSchema } from '../../event-sourcing/index.js';
import { partyKinds, paymentTermsDaysMax, personalFields } from './party.js';
import { keyClasses } from './personal-retention.js';

/**
 * One field sealed with AES-256-GCM (docs/adr/0015; the format of personal-data-cipher.ts), for
 * every event schema that carries a party's sealed fields.
 */
export const sealedValueSchema = {
  type: 'string',
  pattern: '^kx1\\.(contact|records)\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]{22}$',
};

const text = { type: 'string', minLength: 1 };
const address = {
  type: 'object',
  required: ['street', 'postalCode', 'city', 'country'],
  additionalProperties: false,
  properties: {
    street: text,
    postalCode: text,
    city: text,
    country: { type: 'string', pattern: '^[A-Z]{2}$' },
  },
};
const personalData = {
  type: 'object',
  description:
    "A natural person's personal data (GDPR): erasure replaces this object, nothing else holds it",
  required: ['name', 'address'],
  additionalProperties: false,
  properties: { name: text, address, email: text, phone: text, iban: text },
};
const masterData = {
  naturalPerson: { type: 'boolean' },
  name: text,
  address,
  email: text,
  phone: text,
  iban: { type: 'string', pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$' },
  personal: personalData,
  sealed: {
    type: 'object',
    description:
      "A natural person's personal fields, each sealed (AES-256-GCM) under the party's key of its retention class, kept outside the log: destroying the key erases the field",
    required: ['name', 'address'],
    additionalProperties: false,
    properties: Object.fromEntries(personalFields.map((field) => [field, sealedValueSchema])),
  },
  vatId: { type: 'string', pattern: '^[A-Z]{2}[A-Z0-9+*]{2,16}$' },
  taxNumber: text,
  bic: { type: 'string', pattern: '^[A-Z0-9]{8}([A-Z0-9]{3})?$' },
  buyerReference: text,
  defaultExpenseAccount: { type: 'string', pattern: '^[A-Za-z0-9]{1,32}$' },
  paymentTermsDays: { type: 'integer', minimum: 0, maximum: paymentTermsDaysMax },
};
/** A company's name and address at the top, a natural person's under `personal` (and only there). */
const nameAndAddressSomewhere = {
  if: { properties: { naturalPerson: { const: true } } },
  then: {
    oneOf: [
      { required: ['personal'], properties: { personal: true } },
      { required: ['sealed'], properties: { sealed: true } },
    ],
    properties: {
      personal: true,
      sealed: true,
      name: false,
      address: false,
      email: false,
      phone: false,
      iban: false,
    },
  },
  else: {
    required: ['name', 'address'],
    properties: { name: true, address: true, personal: false, sealed: false },
  },
};

const datePattern = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
const retention = {
  retainedUntil: { type: ['string', 'null'], pattern: datePattern },
  erasableFrom: { type: ['string', 'null'], pattern: datePattern },
  basis: {
    type: 'array',
    items: {
      type: 'object',
      required: ['kind', 'lastDate', 'retainedUntil'],
      additionalProperties: false,
      properties: {
        kind: { enum: ['invoices', 'bookings'] },
        lastDate: { type: 'string', pattern: datePattern },
        retainedUntil: { type: 'string', pattern: datePattern },
      },
    },
  },
};

const erasureEventSchemas: readonly EventSchema[] = [
  {
    type: 'PartyErasureRequested',
    schemaVersion: 1,
    description:
      'A natural person asked for erasure (GDPR Art. 17): e-mail and phone are erased with it, name, address and IBAN on `erasableFrom` (the end of the retention of the invoices and bookings naming them; null: at once). The party is restricted from then on.',
    schema: {
      type: 'object',
      required: ['partyId', 'bookId', 'reason', 'retainedUntil', 'erasableFrom', 'basis'],
      additionalProperties: false,
      properties: { partyId: text, bookId: text, reason: text, ...retention },
    },
  },
  {
    type: 'PartyFieldsErased',
    schemaVersion: 1,
    description:
      'The personal fields of one retention class were erased: their key is destroyed, every copy of their ciphertext (log, backups, relayed events) is unreadable from now on.',
    schema: {
      type: 'object',
      required: ['partyId', 'bookId', 'keyClass', 'fields'],
      additionalProperties: false,
      properties: {
        partyId: text,
        bookId: text,
        keyClass: { enum: [...keyClasses] },
        fields: { type: 'array', items: { enum: [...personalFields] }, minItems: 1 },
      },
    },
  },
  {
    type: 'PartyErasureRescheduled',
    schemaVersion: 1,
    description:
      'A record naming the party made after the erasure request (a booking) extended the retention: name, address and IBAN are erased on the new `erasableFrom`.',
    schema: {
      type: 'object',
      required: ['partyId', 'bookId', 'retainedUntil', 'erasableFrom', 'basis'],
      additionalProperties: false,
      properties: { partyId: text, bookId: text, ...retention },
    },
  },
];

export const partyEventSchemas: readonly EventSchema[] = [
  ...erasureEventSchemas,
  {
    type: 'PartyRegistered',
    schemaVersion: 1,
    description:
      'A customer (Debitor) or supplier (Kreditor) was registered in the book with its personal account number; a natural person’s name, address, e-mail, phone and IBAN are under `personal`.',
    schema: {
      type: 'object',
      required: ['partyId', 'bookId', 'kind', 'number', 'naturalPerson'],
      additionalProperties: false,
      properties: {
        partyId: text,
        bookId: text,
        kind: { enum: [...partyKinds] },
        number: { type: 'string', pattern: '^[0-9]{5}$' },
        ...masterData,
        idempotencyKey: text,
        requestHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      },
      ...nameAndAddressSomewhere,
    },
  },
  {
    type: 'PartyChanged',
    schemaVersion: 1,
    description:
      "A party's master data changed: the event holds all of it as it is now, and `changed` names the fields that differ (the earlier events keep the history).",
    schema: {
      type: 'object',
      required: ['partyId', 'bookId', 'kind', 'number', 'changed', 'naturalPerson'],
      additionalProperties: false,
      properties: {
        partyId: text,
        bookId: text,
        kind: { enum: [...partyKinds] },
        number: { type: 'string', pattern: '^[0-9]{5}$' },
        changed: { type: 'array', items: text, minItems: 1 },
        ...masterData,
      },
      ...nameAndAddressSomewhere,
    },
  },
  {
    type: 'CompanySettingsChanged',
    schemaVersion: 1,
    description:
      'The book’s company data (the seller on its invoices) was set: the whole data as it is now; `changed` names the fields that differ. Issued invoices keep the data they were issued with.',
    schema: {
      type: 'object',
      required: ['bookId', 'changed', 'name', 'address'],
      additionalProperties: false,
      properties: {
        bookId: text,
        changed: { type: 'array', items: text, minItems: 1 },
        name: text,
        address,
        vatId: masterData.vatId,
        taxNumber: text,
        registration: text,
        email: text,
        phone: text,
        contactName: text,
        iban: masterData.iban,
        bic: masterData.bic,
      },
    },
  },
];
