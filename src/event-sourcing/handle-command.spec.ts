import { InMemoryEventStore } from '../infrastructure/memory/in-memory-event-store.js';
import { WrongExpectedRevisionError } from './errors.js';
import { EventStore } from './event-store.js';
import { appendAttemptsMax, CommandTarget, handleCommand } from './handle-command.js';

type Noted = { type: 'Noted'; data: { note: string } };
type Note = { note: string };

const metadata = { actor: { id: 'k1', name: 'Erika' }, correlationId: 'c1', commandId: 'cmd-1' };

/** The stream's notes, read in full at each load; `decide` refuses nothing and repeats nothing twice. */
function notes(store: EventStore, streamId = 'notes'): CommandTarget<Note, Noted, string[]> {
  return {
    streamId,
    load: async () => {
      const events = await store.readStream(streamId);
      return {
        state: events.map((event) => (event.data as Noted['data']).note),
        revision: events.length - 1,
      };
    },
    decide: (command, state) =>
      state.includes(command.note) ? [] : [{ type: 'Noted', data: { note: command.note } }],
  };
}

/** Another writer appends to the stream before each of our first `times` appends. */
function racedBy(store: EventStore, times: number): EventStore {
  const append = store.append.bind(store);
  let raced = 0;
  store.append = async (streamId, events, options) => {
    if (raced < times) {
      raced++;
      await append(
        streamId,
        [{ eventId: `other-${raced}`, type: 'Noted', data: { note: `other ${raced}` }, metadata }],
        { expectedRevision: 'any' },
      );
    }
    return append(streamId, events, options);
  };
  return store;
}

describe('handleCommand', () => {
  it('given an empty stream, when a command decides an event, then it is appended with no_stream', async () => {
    const store = new InMemoryEventStore();
    const appended = await handleCommand(store, notes(store), { note: 'a' }, metadata);
    expect(appended?.lastRevision).toBe(0);
    expect((await store.readStream('notes')).map((event) => event.data)).toEqual([{ note: 'a' }]);
  });

  it('answers undefined and appends nothing when the command decides nothing (a repeat)', async () => {
    const store = new InMemoryEventStore();
    await handleCommand(store, notes(store), { note: 'a' }, metadata);
    const again = await handleCommand(
      store,
      notes(store),
      { note: 'a' },
      { ...metadata, commandId: 'cmd-2' },
    );
    expect(again).toBeUndefined();
    expect(await store.readStream('notes')).toHaveLength(1);
  });

  it('after a lost revision race, loads and decides again against what the other writer appended', async () => {
    const store = racedBy(new InMemoryEventStore(), appendAttemptsMax - 1);
    const decidedAgainst: string[][] = [];
    const appended = await handleCommand(
      store,
      notes(store),
      (state: string[]) => {
        decidedAgainst.push([...state]);
        return { note: `after ${state.length}` };
      },
      metadata,
    );
    expect(decidedAgainst).toHaveLength(appendAttemptsMax);
    expect(decidedAgainst[appendAttemptsMax - 1]).toHaveLength(appendAttemptsMax - 1);
    expect(appended?.lastRevision).toBe(appendAttemptsMax - 1);
  });

  it(`refuses with the WrongExpectedRevisionError after ${appendAttemptsMax} lost races`, async () => {
    const store = racedBy(new InMemoryEventStore(), appendAttemptsMax);
    await expect(handleCommand(store, notes(store), { note: 'a' }, metadata)).rejects.toThrow(
      WrongExpectedRevisionError,
    );
    expect(await store.readStream('notes')).toHaveLength(appendAttemptsMax);
  });

  it('with a fixed expected revision, a lost race is not retried', async () => {
    const store = racedBy(new InMemoryEventStore(), 1);
    await expect(
      handleCommand(store, notes(store), { note: 'a' }, metadata, {
        expectedRevision: 'no_stream',
      }),
    ).rejects.toThrow(WrongExpectedRevisionError);
    expect((await store.readStream('notes')).map((event) => event.data)).toEqual([
      { note: 'other 1' },
    ]);
  });
});
