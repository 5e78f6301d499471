import { EventSchema } from '../../event-sourcing/index.js';
import { partyKinds, paymentTermsDaysMax } from './party.js';

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
    required: ['personal'],
    properties: {
      personal: true,
      name: false,
      address: false,
      email: false,
      phone: false,
      iban: false,
    },
  },
  else: {
    required: ['name', 'address'],
    properties: { name: true, address: true, personal: false },
  },
};

export const partyEventSchemas: readonly EventSchema[] = [
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
