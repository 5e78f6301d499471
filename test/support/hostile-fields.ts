/** Field generators and fixture ids the hostile-input fuzzer builds its endpoint bodies from. */
import fc from 'fast-check';
import { oddAmounts, oddDates, oddTimes } from './hostile.js';

export const roles = ['admin', 'accountant', 'approver', 'auditor', 'compliance', 'subscriber'];

/** Ids and names that exist in the fuzzed app (made in beforeAll). */
export interface Fixtures {
  book: string;
  accounts: string[];
  entryId: string;
  closedPeriod: string;
  openPeriod: string;
  spareKeyId: string;
  approvalId?: string;
  policyId?: string;
  partyId?: string;
  projection: string;
}

export interface EndpointSpec {
  /** A plausible body (undefined: the endpoint takes none). */
  body?: (fixtures: Fixtures) => fc.Arbitrary<unknown>;
  /** Good values of path parameters (hostile ones are mixed in for every parameter). */
  params: (fixtures: Fixtures) => Record<string, string[]>;
  headers?: Record<string, fc.Arbitrary<string>>;
}

export const text = (max: number) => fc.string({ minLength: 1, maxLength: max });
export const amount = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .bigInt({ min: 1n, max: 10n ** 12n })
      .map((cents) => `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`),
  },
  { weight: 1, arbitrary: fc.constantFrom(...oddAmounts) },
);
export const date = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .date({ min: new Date('2019-01-01'), max: new Date('2031-12-31'), noInvalidDate: true })
      .map((at) => at.toISOString().slice(0, 10)),
  },
  { weight: 1, arbitrary: fc.constantFrom(...oddDates) },
);
export const time = fc.oneof(
  fc
    .date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true })
    .map((at) => at.toISOString()),
  fc.constantFrom(...oddTimes),
);
export const taxCode = fc.constantFrom('USt19', 'VSt7', 'RC13b', 'X1', '', 'us t');
export const currency = fc.constantFrom('EUR', 'JPY', 'BHD', 'USD', 'XXX', 'eur', 'EU', 'EURO');

/** parties: the shapes of a party's and the company's fields, good and bad. */
export const partyAddress = fc.record({
  street: text(30),
  postalCode: fc.constantFrom('10115', '1011', 'SW1A 1AA', ''),
  city: text(30),
  country: fc.constantFrom('DE', 'AT', 'GB', 'de', 'XX', 'DEU'),
});
export const vatId = fc.constantFrom(
  'DE123456789',
  'DE 123 456 789',
  'ATU12345678',
  'DE1',
  'XX123',
);
export const iban = fc.constantFrom(
  'DE89370400440532013000',
  'DE89 3704 0044 0532 0130 00',
  'DE89370400440532013001',
  'QQ00',
);

export function partyBody(requiredKeys: ('kind' | 'name' | 'address')[]) {
  return fc.record(
    {
      kind: fc.constantFrom('customer', 'supplier', 'employee'),
      number: fc.constantFrom('10001', '69999', '70001', '99999', '100000', '0', 'abc'),
      name: text(40),
      naturalPerson: fc.boolean(),
      address: partyAddress,
      vatId,
      taxNumber: fc.constantFrom('143/123/45678', ''),
      email: fc.constantFrom('a@b.de', 'x'),
      phone: fc.constantFrom('+49 30 1', '?'),
      iban,
      bic: fc.constantFrom('COBADEFFXXX', 'XYZ'),
      buyerReference: fc.oneof(text(30), fc.constant(null)),
      paymentTermsDays: fc.integer({ min: -5, max: 400 }),
    },
    { requiredKeys },
  );
}
