import { FieldError } from '../../event-sourcing/index.js';

/** ISO 3166-1 alpha-2 country codes (officially assigned), plus XI (Northern Ireland, VAT). */
export const countryCodes: ReadonlySet<string> = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS ' +
    'BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE ' +
    'EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM ' +
    'HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC ' +
    'LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA ' +
    'NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO ' +
    'TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XI'
  ).split(' '),
);

export const streetLengthMax = 200;
export const postalCodeLengthMax = 16;
export const cityLengthMax = 100;

/** A postal address (EN 16931 BG-5 / BG-8: BT-35, BT-38, BT-37, BT-40). */
export interface Address {
  street: string;
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
}

const postalCodePatterns: Readonly<Record<string, { pattern: RegExp; expected: string }>> = {
  DE: { pattern: /^\d{5}$/, expected: 'five digits, e.g. 10115' },
  AT: { pattern: /^\d{4}$/, expected: 'four digits, e.g. 1010' },
  CH: { pattern: /^\d{4}$/, expected: 'four digits, e.g. 8001' },
  NL: { pattern: /^\d{4} ?[A-Z]{2}$/, expected: 'e.g. 1011 AB' },
  FR: { pattern: /^\d{5}$/, expected: 'five digits, e.g. 75001' },
};
const postalCodePattern = /^[A-Za-z0-9][A-Za-z0-9 -]*$/;

/** The address trimmed, country upper-cased (what is stored). */
export function normalizeAddress(address: Address): Address {
  return {
    street: address.street.trim(),
    postalCode: address.postalCode.trim(),
    city: address.city.trim(),
    country: address.country.trim().toUpperCase(),
  };
}

/** What is wrong with a (normalized) address, fields named under `prefix` (`address.city`). */
export function addressProblems(address: unknown, prefix = 'address'): FieldError[] {
  if (typeof address !== 'object' || address === null)
    return [
      { field: prefix, message: 'is required: { street, postalCode, city, country (ISO 3166) }' },
    ];
  const value = address as Partial<Record<keyof Address, unknown>>;
  const problems: FieldError[] = [];
  const text = (field: keyof Address, lengthMax: number) => {
    const raw = value[field];
    if (typeof raw !== 'string' || raw.trim() === '')
      problems.push({ field: `${prefix}.${field}`, message: 'is required and must not be blank' });
    else if (raw.length > lengthMax)
      problems.push({ field: `${prefix}.${field}`, message: `at most ${lengthMax} characters` });
  };
  text('street', streetLengthMax);
  text('city', cityLengthMax);
  text('postalCode', postalCodeLengthMax);
  const country = typeof value.country === 'string' ? value.country : '';
  if (!countryCodes.has(country))
    problems.push({
      field: `${prefix}.country`,
      message: `must be an ISO 3166-1 alpha-2 country code in upper case (DE, AT, FR …), got ${JSON.stringify(value.country ?? null)}`,
    });
  const postalCode = typeof value.postalCode === 'string' ? value.postalCode : '';
  if (postalCode !== '' && problems.every((p) => p.field !== `${prefix}.postalCode`)) {
    const rule = postalCodePatterns[country];
    if (rule && !rule.pattern.test(postalCode))
      problems.push({
        field: `${prefix}.postalCode`,
        message: `is not a ${country} postal code: ${rule.expected}`,
      });
    else if (!rule && !postalCodePattern.test(postalCode))
      problems.push({
        field: `${prefix}.postalCode`,
        message: 'letters, digits, spaces and hyphens only',
      });
  }
  return problems;
}
