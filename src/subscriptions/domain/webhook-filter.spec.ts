import { webhookWants } from './webhook-filter.js';

const actor = { id: 'key_1', name: 'Ada' };
const posted = {
  type: 'JournalEntryPosted',
  metadata: { actor, correlationId: 'c', book: 'acme' },
};
const keyIssued = { type: 'ApiKeyIssued', metadata: { actor, correlationId: 'c' } };

describe('webhookWants', () => {
  it('takes everything without filters', () => {
    expect(webhookWants({}, posted)).toBe(true);
    expect(webhookWants({}, keyIssued)).toBe(true);
  });

  it('filters by type', () => {
    expect(webhookWants({ types: ['JournalEntryPosted'] }, posted)).toBe(true);
    expect(webhookWants({ types: ['JournalEntryPosted'] }, keyIssued)).toBe(false);
  });

  it('filters by book; events without a book never match a book filter', () => {
    expect(webhookWants({ books: ['acme'] }, posted)).toBe(true);
    expect(webhookWants({ books: ['other'] }, posted)).toBe(false);
    expect(webhookWants({ books: ['acme'] }, keyIssued)).toBe(false);
  });
});
