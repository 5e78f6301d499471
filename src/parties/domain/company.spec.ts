import { ValidationError } from '../../event-sourcing/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { CompanySettings } from './company.events.js';
import { ChangeCompanySettings, companyDecider, missingSellerFields } from './company.js';

const spec = deciderSpec(companyDecider);
const address = { street: 'Industriestr. 5', postalCode: '80331', city: 'München', country: 'DE' };
const complete: CompanySettings = {
  name: 'ACME GmbH',
  address,
  vatId: 'DE987654321',
  email: 'rechnung@acme.example',
  phone: '+49 89 123456',
  contactName: 'Erika Muster',
};
const put = (settings: CompanySettings): ChangeCompanySettings => ({
  type: 'ChangeCompanySettings',
  bookId: 'acme',
  settings,
});

describe('ChangeCompanySettings', () => {
  it('records the whole data; the first time every given field counts as changed', () => {
    spec
      .given([])
      .when(put(complete))
      .then([
        {
          type: 'CompanySettingsChanged',
          data: {
            bookId: 'acme',
            changed: ['name', 'address', 'vatId', 'email', 'phone', 'contactName'],
            ...complete,
          },
        },
      ]);
  });

  it('records nothing for the same data again, and names only what changed', () => {
    const first = companyDecider.decide(put(complete), companyDecider.initialState());
    spec
      .given(first)
      .when(put({ ...complete, vatId: 'de 987 654 321' }))
      .then([]);
    const { phone: _phone, ...withoutPhone } = complete;
    spec
      .given(first)
      .when(put({ ...withoutPhone, iban: 'DE89 3704 0044 0532 0130 00' }))
      .then([
        {
          type: 'CompanySettingsChanged',
          data: {
            bookId: 'acme',
            changed: ['phone', 'iban'],
            ...withoutPhone,
            iban: 'DE89370400440532013000',
          },
        },
      ]);
  });

  it('refuses invalid data (400)', () => {
    spec
      .given([])
      .when(put({ ...complete, vatId: 'DE1', address: { ...address, country: 'Deutschland' } }))
      .thenThrows(ValidationError, 'validation');
    spec
      .given([])
      .when(put({ ...complete, name: '  ' }))
      .thenThrows(ValidationError, 'validation');
  });
});

describe('missingSellerFields', () => {
  it('is empty for complete seller data (with a VAT id, no registration is needed)', () => {
    expect(missingSellerFields(complete)).toEqual([]);
  });

  it('names everything for no company data at all', () => {
    expect(missingSellerFields(undefined).map((missing) => missing.field)).toEqual([
      'name',
      'address.street',
      'address.city',
      'address.postalCode',
      'address.country',
      'vatId',
      'registration',
      'contactName',
      'phone',
      'email',
    ]);
  });

  it('with a tax number only, needs the registration (BR-CO-26), not the VAT id', () => {
    const { vatId: _vatId, ...rest } = complete;
    const missing = missingSellerFields({ ...rest, taxNumber: '143/123/45678' });
    expect(missing).toEqual([
      { field: 'registration', rules: ['BR-CO-26'], message: expect.stringContaining('BT-30') },
    ]);
    expect(
      missingSellerFields({
        ...rest,
        taxNumber: '143/123/45678',
        registration: 'Amtsgericht München HRB 1',
      }),
    ).toEqual([]);
  });

  it('names the XRechnung contact rules', () => {
    const { contactName: _c, phone: _p, ...rest } = complete;
    expect(missingSellerFields(rest).flatMap((missing) => missing.rules)).toEqual([
      'BR-DE-2',
      'BR-DE-5',
      'BR-DE-6',
    ]);
  });
});
