import { addressProblems } from './address.js';
import {
  bicProblem,
  ibanProblem,
  normalizeIban,
  normalizeVatId,
  vatIdFormats,
  vatIdProblem,
} from './tax-ids.js';

describe('VAT ids', () => {
  it.each([
    'DE123456789',
    'ATU12345678',
    'FR12345678901',
    'FRXX123456789',
    'NL123456789B01',
    'EL123456789',
    'ESX1234567X',
    'IE1234567WA',
    'XI123456789',
    'GB123456789',
    'CHE123456789MWST',
    'SE123456789001',
    'BE0123456789',
  ])('accepts %s', (vatId) => {
    expect(vatIdProblem(vatId)).toBeUndefined();
  });

  it('accepts the example of every country in the table', () => {
    for (const [prefix, format] of Object.entries(vatIdFormats)) {
      expect([prefix, vatIdProblem(format.example)]).toEqual([prefix, undefined]);
    }
  });

  it.each([
    ['DE12345678', 'DE VAT id'],
    ['DE1234567890', 'DE VAT id'],
    ['ATU1234567', 'AT VAT id'],
    ['NL123456789', 'NL VAT id'],
    ['GR123456789', 'known country prefix'],
    ['US123456789', 'known country prefix'],
    ['123456789', 'known country prefix'],
  ])('refuses %s (%s)', (vatId, reason) => {
    expect(vatIdProblem(vatId)).toContain(reason);
  });

  it('normalizes what people type: spaces, dots, hyphens, lower case', () => {
    expect(normalizeVatId(' de 123.456-789 ')).toBe('DE123456789');
    expect(vatIdProblem(normalizeVatId('che-123.456.789 mwst'))).toBeUndefined();
  });
});

describe('IBAN and BIC', () => {
  it('accepts valid IBANs in print or electronic format (ibantools: format and mod-97)', () => {
    for (const iban of [
      'DE89 3704 0044 0532 0130 00',
      'de89370400440532013000',
      'AT611904300234573201',
      'GB29 NWBK 6016 1331 9268 19',
    ])
      expect(ibanProblem(normalizeIban(iban))).toBeUndefined();
  });

  it('names why an IBAN is refused', () => {
    expect(ibanProblem('DE89370400440532013001')).toContain('checksum');
    expect(ibanProblem('DE8937040044053201300')).toContain('length');
    expect(ibanProblem('QQ89370400440532013000')).toContain('country');
  });

  it('checks BICs', () => {
    expect(bicProblem('COBADEFFXXX')).toBeUndefined();
    expect(bicProblem('COBADEFF')).toBeUndefined();
    expect(bicProblem('COBADE')).toContain('ISO 9362');
  });
});

describe('addresses', () => {
  const address = { street: 'Weg 1', postalCode: '10115', city: 'Berlin', country: 'DE' };

  it('accepts a complete address and checks postal codes of known countries', () => {
    expect(addressProblems(address)).toEqual([]);
    expect(addressProblems({ ...address, country: 'GB', postalCode: 'SW1A 1AA' })).toEqual([]);
    expect(addressProblems({ ...address, postalCode: '1011' })).toEqual([
      { field: 'address.postalCode', message: 'is not a DE postal code: five digits, e.g. 10115' },
    ]);
  });

  it('wants ISO 3166 alpha-2 countries in upper case and every part present', () => {
    expect(addressProblems({ ...address, country: 'de' }).map((p) => p.field)).toEqual([
      'address.country',
    ]);
    expect(addressProblems({ ...address, country: 'XX' }).map((p) => p.field)).toEqual([
      'address.country',
    ]);
    expect(addressProblems(undefined).map((p) => p.field)).toEqual(['address']);
    expect(
      addressProblems({ street: ' ', postalCode: '', city: '', country: 'DE' }).map((p) => p.field),
    ).toEqual(['address.street', 'address.city', 'address.postalCode']);
  });
});
