import { Decider, FieldError, ValidationError } from '../../event-sourcing/index.js';
import { addressProblems, normalizeAddress } from './address.js';
import { CompanySettings, CompanySettingsChanged } from './company.events.js';
import { optionalFieldProblems, partyNameLengthMax } from './party.js';
import { normalizeIban, normalizeVatId } from './tax-ids.js';

export const registrationLengthMax = 200;
export const contactNameLengthMax = 200;

export interface ChangeCompanySettings {
  type: 'ChangeCompanySettings';
  bookId: string;
  settings: CompanySettings;
}

export interface CompanyState {
  settings?: CompanySettings;
}

const companyFields = [
  'name',
  'address',
  'vatId',
  'taxNumber',
  'registration',
  'email',
  'phone',
  'contactName',
  'iban',
  'bic',
] as const;

/** The company data replaces the previous wholesale (PUT); the same data again records nothing. */
export const companyDecider: Decider<ChangeCompanySettings, CompanySettingsChanged, CompanyState> =
  {
    initialState: () => ({}),
    decide(command, state) {
      const settings = validCompanySettings(command.settings);
      const changed = companyFields.filter(
        (field) =>
          JSON.stringify(sorted(state.settings?.[field])) !==
          JSON.stringify(sorted(settings[field])),
      );
      if (changed.length === 0) return [];
      return [
        { type: 'CompanySettingsChanged', data: { bookId: command.bookId, changed, ...settings } },
      ];
    },
    evolve(_state, event) {
      const { bookId: _bookId, changed: _changed, ...settings } = event.data;
      return { settings };
    },
  };

function sorted(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value ?? null;
  return Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
}

export function validCompanySettings(input: CompanySettings): CompanySettings {
  const problems: FieldError[] = [];
  const text = (field: 'name' | 'registration' | 'contactName', lengthMax: number) => {
    const value = input[field];
    if (value === undefined) return undefined;
    const trimmed = typeof value === 'string' ? value.trim() : '';
    if (trimmed === '') problems.push({ field, message: 'must not be blank' });
    else if (trimmed.length > lengthMax)
      problems.push({ field, message: `at most ${lengthMax} characters` });
    return trimmed;
  };
  const name = text('name', partyNameLengthMax);
  if (name === undefined) problems.push({ field: 'name', message: 'is required' });
  const registration = text('registration', registrationLengthMax);
  const contactName = text('contactName', contactNameLengthMax);
  const address =
    typeof input.address === 'object' && input.address !== null
      ? normalizeAddress({
          street: String(input.address.street ?? ''),
          postalCode: String(input.address.postalCode ?? ''),
          city: String(input.address.city ?? ''),
          country: String(input.address.country ?? ''),
        })
      : input.address;
  problems.push(...addressProblems(address));
  const settings: CompanySettings = {
    name: name ?? '',
    address,
    ...(input.vatId !== undefined ? { vatId: normalizeVatId(input.vatId) } : {}),
    ...(input.taxNumber !== undefined ? { taxNumber: input.taxNumber.trim() } : {}),
    ...(registration !== undefined ? { registration } : {}),
    ...(input.email !== undefined ? { email: input.email.trim() } : {}),
    ...(input.phone !== undefined ? { phone: input.phone.trim() } : {}),
    ...(contactName !== undefined ? { contactName } : {}),
    ...(input.iban !== undefined ? { iban: normalizeIban(input.iban) } : {}),
    ...(input.bic !== undefined ? { bic: input.bic.replace(/\s/g, '').toUpperCase() } : {}),
  };
  problems.push(...optionalFieldProblems(settings));
  if (problems.length > 0)
    throw new ValidationError(
      problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '),
      problems,
    );
  return settings;
}

/** A seller field an e-invoice needs and the company data lacks, with the rule that needs it. */
export interface MissingSellerField {
  field: string;
  rules: string[];
  message: string;
}

/**
 * The seller data EN 16931 and XRechnung 3.0 require (and §14 Abs. 4 UStG: full name and
 * address, a tax number or VAT id) that the company settings do not have. Empty: an invoice can
 * be issued. Billing answers 422 `business-rule` naming these.
 */
export function missingSellerFields(company: CompanySettings | undefined): MissingSellerField[] {
  const missing: MissingSellerField[] = [];
  const need = (absent: boolean, field: string, rules: string[], message: string) => {
    if (absent) missing.push({ field, rules, message });
  };
  const blank = (value: string | undefined) => value === undefined || value.trim() === '';
  need(blank(company?.name), 'name', ['BR-06'], 'the seller name (BT-27)');
  need(
    blank(company?.address?.street),
    'address.street',
    ['§14 UStG'],
    'the seller street (BT-35)',
  );
  need(blank(company?.address?.city), 'address.city', ['BR-DE-3'], 'the seller city (BT-37)');
  need(
    blank(company?.address?.postalCode),
    'address.postalCode',
    ['BR-DE-4'],
    'the seller post code (BT-38)',
  );
  need(
    blank(company?.address?.country),
    'address.country',
    ['BR-08', 'BR-09'],
    'the seller country (BT-40)',
  );
  need(
    blank(company?.vatId) && blank(company?.taxNumber),
    'vatId',
    ['BR-DE-16', '§14 UStG'],
    'the seller VAT id (BT-31) or tax number (BT-32)',
  );
  need(
    blank(company?.vatId) && blank(company?.registration),
    'registration',
    ['BR-CO-26'],
    'the seller VAT id (BT-31) or legal registration (BT-30), e.g. "Amtsgericht München HRB 123456"',
  );
  need(
    blank(company?.contactName),
    'contactName',
    ['BR-DE-2', 'BR-DE-5'],
    'the seller contact point (BT-41)',
  );
  need(blank(company?.phone), 'phone', ['BR-DE-6'], 'the seller contact telephone (BT-42)');
  need(
    blank(company?.email),
    'email',
    ['BR-DE-7', 'PEPPOL-EN16931-R020'],
    'the seller contact e-mail (BT-43) and electronic address (BT-34)',
  );
  return missing;
}
