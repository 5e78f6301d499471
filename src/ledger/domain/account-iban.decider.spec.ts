import { ConflictError, NotFoundError } from '../../event-sourcing/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { bookDecider } from './book.decider.js';
import { BookEvent } from './book.events.js';
import { toBookSnapshot, fromBookSnapshot } from './book.snapshot.js';
import {
  accountOpened,
  bookId,
  bookOpened,
  refusal,
  stateAfter,
} from '../testing/book.test-fixtures.js';

const spec = deciderSpec(bookDecider);
const iban = 'DE02120300000000202051';
const change = (code: string, value: string | null) =>
  ({ type: 'ChangeAccountIban', bookId, code, iban: value }) as const;
const changed = (code: string, value: string | null): BookEvent => ({
  type: 'AccountIbanChanged',
  data: { code, iban: value },
});

describe('ChangeAccountIban', () => {
  it('given a chart bank account without an IBAN, when it gets one in print format, then it carries it in electronic format', () => {
    spec
      .given([bookOpened, accountOpened('1200')])
      .when(change('1200', 'de02 1203 0000 0000 2020 51'))
      .then([changed('1200', iban)]);
  });

  it('given the account has the IBAN, when it is given again, then nothing happens; null removes it', () => {
    const given = [bookOpened, accountOpened('1200'), changed('1200', iban)];
    spec.given(given).when(change('1200', iban)).then([]);
    spec
      .given(given)
      .when(change('1200', null))
      .then([changed('1200', null)]);
    spec
      .given([...given, changed('1200', null)])
      .when(change('1200', null))
      .then([]);
  });

  it('when the IBAN fails its checksum, or the account is no asset, then the field "iban" is refused', () => {
    const given = [bookOpened, accountOpened('1200'), accountOpened('4970', 'expense')];
    expect(refusal(given, change('1200', 'DE02120300000000202052'))).toMatchObject({
      code: 'validation',
      fieldErrors: [{ field: 'iban', message: /checksum/ }],
    });
    expect(refusal(given, change('4970', iban))).toMatchObject({
      code: 'validation',
      fieldErrors: [{ field: 'iban', message: /asset/ }],
    });
  });

  it('given 1210 has the IBAN, when 1200 is given it, then 409 names 1210; once 1210 gives it up, 1200 may take it', () => {
    const given = [bookOpened, accountOpened('1200'), accountOpened('1210'), changed('1210', iban)];
    expect(refusal(given, change('1200', iban))).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('account 1210'),
    });
    spec
      .given([...given, changed('1210', null)])
      .when(change('1200', iban))
      .then([changed('1200', iban)]);
  });

  it('refuses an unknown account (404) and a closed one (409)', () => {
    spec.given([bookOpened]).when(change('1200', iban)).thenThrows(NotFoundError, 'not-found');
    spec
      .given([bookOpened, accountOpened('1200'), { type: 'AccountClosed', data: { code: '1200' } }])
      .when(change('1200', iban))
      .thenThrows(ConflictError, 'conflict');
  });

  it('the state and its snapshot follow the change', () => {
    const state = stateAfter([bookOpened, accountOpened('1200'), changed('1200', iban)]);
    const restored = fromBookSnapshot(JSON.parse(JSON.stringify(toBookSnapshot(state))));
    expect(restored).toEqual(state);
    expect(restored?.status === 'open' && restored.accounts.get('1200')?.iban).toBe(iban);
  });
});
