import { CommandMetadata } from '../../event-sourcing/index.js';
import { InMemoryEventStore } from '../../infrastructure/memory/in-memory-event-store.js';
import { BookWorkers } from '../../ledger/application/book-workers.js';
import { RunBookCommand } from '../../ledger/application/ledger-bus.commands.js';
import { LedgerCommandGateSlot } from '../../ledger/application/ledger-command-gate.js';
import { RunBookCommandHandler } from '../../ledger/application/ledger-command.handlers.js';
import { LedgerCommands } from '../../ledger/application/ledger-commands.js';
import { PostJournalEntry } from '../../ledger/index.js';
import { ApprovalGate, approvalIdFor } from './approval-gate.js';
import { ApprovalPolicies } from './approval-policies.js';
import { ApprovalRequests } from './approval-requests.js';

const bookId = 'gate-twin';
const clerk = { id: 'clerk', name: 'Clerk' };
const clock = { now: () => new Date('2026-03-02T08:00:00.000Z') };

function metadata(commandId: string): CommandMetadata {
  return { actor: clerk, correlationId: commandId, commandId };
}

/**
 * The ledger's command handler with the approval gate, on one store. `beforeCheck` runs as the
 * gate is asked, after the command's dry run: what a twin of it (same command id) on another
 * path does meanwhile.
 */
async function setUp() {
  const store = new InMemoryEventStore(clock);
  const ledger = new LedgerCommands(new BookWorkers(store));
  const requests = new ApprovalRequests(store);
  const policies = new ApprovalPolicies(store);
  const gate = new ApprovalGate(policies, requests, clock);
  const hooks: { beforeCheck?: () => Promise<unknown> } = {};
  const slot = new LedgerCommandGateSlot();
  slot.install({
    mayHold: (book, action) => gate.mayHold(book, action),
    check: async (request) => {
      await hooks.beforeCheck?.();
      return gate.check(request);
    },
    withdraw: (request, approvalId) => gate.withdraw(request, approvalId),
  });
  const setup = [
    { type: 'OpenBook', bookId, name: 'Twin', baseCurrency: 'EUR' },
    { type: 'OpenAccount', bookId, code: '1200', name: 'Receivables', accountType: 'asset' },
    { type: 'OpenAccount', bookId, code: '4000', name: 'Revenue', accountType: 'revenue' },
  ] as const;
  for (const [index, command] of setup.entries())
    await ledger.execute(command, metadata(`setup-${index}`));
  await policies.define(
    {
      type: 'DefineApprovalPolicy',
      book: bookId,
      policyId: 'four-eyes',
      name: 'Four eyes',
      action: 'journal-entry.post',
      steps: [{ role: 'approver', approvals: 1 }],
    },
    { actor: { id: 'carol', name: 'Carol' }, correlationId: 'policy', commandId: 'policy' },
  );
  return { ledger, requests, hooks, handler: new RunBookCommandHandler(ledger, slot) };
}

const posting: PostJournalEntry = {
  type: 'PostJournalEntry',
  bookId,
  entryId: 'entry-1',
  effectiveDate: '2026-03-02',
  description: 'consulting',
  lines: [
    { account: '1200', debit: '12000.00' },
    { account: '4000', credit: '12000.00' },
  ],
};
const requester = { ...clerk, roles: ['accountant'] };

describe('ApprovalGate through the ledger command handler', () => {
  it('holds a posting a policy matches', async () => {
    const { handler } = await setUp();
    const outcome = await handler.execute(
      new RunBookCommand(posting, metadata('post-1'), requester),
    );
    expect(outcome).toMatchObject({
      status: 'pending_approval',
      approvalId: approvalIdFor('post-1'),
    });
  });

  it('withdraws the request and answers with the entry when a twin posted it meanwhile', async () => {
    const { handler, ledger, requests, hooks } = await setUp();
    // The twin's gate read the policies before the policy was in force: it ran at once.
    hooks.beforeCheck = () => ledger.execute(posting, metadata('post-1'));
    const outcome = await handler.execute(
      new RunBookCommand(posting, metadata('post-1'), requester),
    );
    expect(outcome).toMatchObject({
      status: 'done',
      result: { entryId: 'entry-1', repeated: true },
    });
    const { state } = await requests.load(approvalIdFor('post-1'));
    expect(state.status).toBe('cancelled');
  });
});
