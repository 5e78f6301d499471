import fc from 'fast-check';
import { commandEventId, deterministicId, newId } from './ids.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newId', () => {
  it('is a UUID v7 carrying the time in its first 48 bits', () => {
    const at = Date.UTC(2026, 2, 31, 12, 0, 0, 123);
    const id = newId(at);
    expect(id).toMatch(uuidPattern);
    expect(id[14]).toBe('7');
    expect(parseInt(id.replace('-', '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts by time: an id made a millisecond later sorts after', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 47 }), (at) => {
        expect(newId(at) < newId(at + 1)).toBe(true);
      }),
    );
  });

  it('differs between two ids of the same millisecond', () => {
    const at = Date.now();
    expect(newId(at)).not.toBe(newId(at));
  });
});

describe('commandEventId', () => {
  it('keeps a UUIDv7 command id time prefix and derives the rest deterministically', () => {
    const commandId = newId(Date.UTC(2026, 0, 1));
    const first = commandEventId(commandId, 0);
    expect(first).toMatch(uuidPattern);
    expect(first.slice(0, 13)).toBe(commandId.slice(0, 13));
    expect(first[14]).toBe('8');
    expect(commandEventId(commandId, 0)).toBe(first);
    expect(commandEventId(commandId, 1)).not.toBe(first);
    expect(first.slice(13)).toBe(deterministicId(commandId, '0').slice(13));
  });

  it('gives events of later commands later ids', () => {
    const earlier = newId(Date.UTC(2026, 0, 1));
    const later = newId(Date.UTC(2026, 0, 1, 0, 0, 0, 1));
    expect(commandEventId(earlier, 5) < commandEventId(later, 0)).toBe(true);
  });

  it('is the plain deterministicId for any other command id (ids already stored stay the same)', () => {
    const keyed = deterministicId('kontor.ledger.journal-entry.command', 'book', 'key-1');
    expect(commandEventId(keyed, 0)).toBe(deterministicId(keyed, '0'));
    expect(commandEventId('cmd-1', 2)).toBe(deterministicId('cmd-1', '2'));
    const v4 = '0b9e6c1e-3f0a-4c6d-9a51-2f7f4b1c8d20';
    expect(commandEventId(v4, 0)).toBe(deterministicId(v4, '0'));
  });
});
