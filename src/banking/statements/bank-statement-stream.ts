import {
  CommandMetadata,
  EventStore,
  fold,
  handleCommand,
  LoadedStream,
} from '../../event-sourcing/index.js';
import {
  BankStatementCommand,
  BankStatementEvent,
  bankStatementDecider,
  BankStatementState,
  bankStatementStreamId,
} from './bank-statement.js';

/** Statement id's stream, folded. */
export async function loadBankStatement(
  store: EventStore,
  id: string,
): Promise<LoadedStream<BankStatementState>> {
  const events = await store.readStream(bankStatementStreamId(id));
  return {
    state: fold(bankStatementDecider, events as unknown as BankStatementEvent[]),
    revision: events.length - 1,
  };
}

/** Decides `command` on statement id's stream and appends what it decides. */
export function decideOnStatement(
  store: EventStore,
  id: string,
  command: BankStatementCommand,
  metadata: CommandMetadata,
) {
  return handleCommand(
    store,
    {
      streamId: bankStatementStreamId(id),
      load: () => loadBankStatement(store, id),
      decide: bankStatementDecider.decide,
    },
    command,
    metadata,
  );
}
