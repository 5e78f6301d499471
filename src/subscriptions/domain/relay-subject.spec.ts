import { relaySubject, subjectToken } from './relay-subject.js';

const natsTokenForbidden = /[\s.*>]/;

describe('relay subjects', () => {
  it('is kontor.<book>.<type> for a book event and kontor.-.<type> for one of no book', () => {
    expect(relaySubject('kontor', { type: 'JournalEntryPosted', metadata: meta('acme') })).toBe(
      'kontor.acme.JournalEntryPosted',
    );
    expect(relaySubject('kontor', { type: 'ApiKeyIssued', metadata: meta(undefined) })).toBe(
      'kontor.-.ApiKeyIssued',
    );
  });

  it('encodes what NATS subjects and AMQP topic keys cannot hold, reversibly', () => {
    for (const book of ['acme.gmbh', 'a b', 'x*y', 'x>y', 'a#b', 'tab\there', "o'(k)!~", 'ä/ö']) {
      const token = subjectToken(book);
      expect(token).not.toMatch(natsTokenForbidden);
      expect(token).not.toMatch(/#/);
      expect(decodeURIComponent(token)).toBe(book);
    }
    expect(subjectToken('acme.gmbh')).toBe('acme%2Egmbh');
    expect(subjectToken('acme-gmbh_1')).toBe('acme-gmbh_1');
    expect(subjectToken('acme.gmbh')).not.toBe(subjectToken('acme_gmbh'));
  });
});

function meta(book: string | undefined) {
  return {
    actor: { id: 'k', name: 'K' },
    correlationId: 'c',
    causationId: 'c',
    commandId: 'c',
    ...(book === undefined ? {} : { book }),
  };
}
