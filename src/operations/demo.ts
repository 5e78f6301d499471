import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { AppModule } from '../app.module.js';
import {
  ApprovalPolicies,
  ApprovalRequests,
  approvalExecutionReactorName,
} from '../approvals/approvals.module.js';
import { KontorConfig } from '../config.js';
import { Clock, assert, deterministicId, newId } from '../event-sourcing/index.js';
import { CLOCK } from '../infrastructure/tokens.js';
import { ProjectionsService } from '../infrastructure/projections/index.js';
import { JournalLineInput } from '../ledger/index.js';
import { RunBookCommand } from '../ledger/ledger.module.js';
import { openStore } from '../main.js';
import { seedInvoices } from './demo-invoices.js';
import { seedLedger } from './demo-ledger.js';
import { DemoContext } from './demo-context.js';

export type DemoStep = (context: DemoContext) => Promise<void>;

const demoActor = { id: 'demo', name: 'kontor demo' };

/**
 * The demo, in order: the ledger is seeded first, then the approvals (a policy on the book and
 * some decisions). A module with something to show adds its step to this list.
 */
export const demoSteps: DemoStep[] = [seedLedger, seedApprovals, seedInvoices];

export interface DemoOptions {
  book?: string;
}

/** `kontor demo`: boots the app without HTTP, runs every demo step, waits for the read models. */
export async function runDemo(config: KontorConfig, options: DemoOptions = {}): Promise<string> {
  const eventStore = await openStore(config);
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config, eventStore }),
    { logger: ['error', 'warn'] },
  );
  const book = options.book ?? `demo-${newId().slice(0, 8)}`;
  let position = 0n;
  const correlationId = newId();
  const context: DemoContext = {
    app,
    book,
    metadata: (step) => ({
      actor: demoActor,
      correlationId,
      commandId: deterministicId('kontor-demo', book, step),
    }),
    log: (line) => console.error(line),
    reached: (reached) => {
      if (reached > position) position = reached;
    },
  };
  try {
    for (const step of demoSteps) await step(context);
    await app.get(ProjectionsService).waitForAll(position);
  } finally {
    await app.close();
  }
  return book;
}

const demoApprover = {
  keyId: 'demo-approver',
  name: 'Petra Prüferin',
  roles: ['approver' as const],
};
const demoController = {
  keyId: 'demo-controller',
  name: 'Max Kontrolle',
  roles: ['approver' as const],
};

/**
 * A four-eyes policy on the book (postings from 10,000 EUR), two postings it holds back, one
 * approved (the reactor posts it) and one rejected. The deciding persons have no API keys: the
 * demo decides through the approvals module directly, as the HTTP handlers would.
 */
async function seedApprovals(context: DemoContext): Promise<void> {
  const { app, book } = context;
  const policy = await app.get(ApprovalPolicies).define(
    {
      type: 'DefineApprovalPolicy',
      book,
      policyId: deterministicId('kontor-demo-policy', book),
      name: 'Vier-Augen-Prinzip ab 10.000 EUR',
      action: 'journal-entry.post',
      condition: { minAmount: '10000.00', currency: 'EUR' },
      steps: [{ role: 'approver', approvals: 1 }],
      expiresAfter: 'P14D',
    },
    context.metadata('approval-policy'),
  );
  context.reached(policy.position!);
  const prepayment = await approveAndExecutePrepayment(context);
  const consulting = await rejectConsultingFee(context);
  context.log(
    `approvals: policy "Vier-Augen-Prinzip ab 10.000 EUR", approval ${prepayment} approved and executed, ${consulting} rejected`,
  );
}

/** Holds back the Q2 rent prepayment and approves it; returns its approval id. */
async function approveAndExecutePrepayment(context: DemoContext): Promise<string> {
  const { app } = context;
  const requests = app.get(ApprovalRequests);
  const prepayment = await heldPosting(context, 'prepayment-q2', 'Mietvorauszahlung Q2', [
    { account: '4210', debit: '13500.00' },
    { account: '1200', credit: '13500.00' },
  ]);
  const grant = await requests.handle(
    prepayment,
    {
      type: 'GrantApproval',
      approvalId: prepayment,
      by: demoApprover,
      comment: 'Mietvertrag geprüft',
      now: demoNow(context),
    },
    decisionMetadata(context, 'approve-prepayment-q2', demoApprover),
  );
  // The reactor posts the entry; wait until it has, so the demo ends with the outcome recorded.
  const projections = app.get(ProjectionsService);
  if (projections.isStarted)
    await projections
      .runner(approvalExecutionReactorName)
      .waitFor(grant.position!, projections.consistencyTimeoutMilliseconds);
  const executed = await requests.load(prepayment);
  context.reached(executed.events[executed.events.length - 1]!.position);
  return prepayment;
}

/** Holds back the consulting fee and rejects it; returns its approval id. */
async function rejectConsultingFee(context: DemoContext): Promise<string> {
  const consulting = await heldPosting(
    context,
    'consulting-fee',
    'Beratungshonorar Strategieprojekt',
    [
      { account: '4930', debit: '11000.00' },
      { account: '1600', credit: '11000.00' },
    ],
  );
  const rejection = await context.app.get(ApprovalRequests).handle(
    consulting,
    {
      type: 'RejectApproval',
      approvalId: consulting,
      by: demoController,
      reason: 'Kein Angebot und keine Bestellung vorhanden',
      now: demoNow(context),
    },
    decisionMetadata(context, 'reject-consulting-fee', demoController),
  );
  context.reached(rejection.position!);
  return consulting;
}

function demoNow(context: DemoContext): string {
  return context.app.get<Clock>(CLOCK).now().toISOString();
}

/** The metadata of a decision: the deciding person is the actor. */
function decisionMetadata(
  context: DemoContext,
  step: string,
  person: { keyId: string; name: string },
) {
  return {
    ...context.metadata(step),
    actor: { id: person.keyId, name: person.name },
    book: context.book,
  };
}

/** Posts through the CommandBus (so the approval gate applies) and expects the posting held back. */
async function heldPosting(
  context: DemoContext,
  step: string,
  description: string,
  lines: JournalLineInput[],
): Promise<string> {
  const command = {
    type: 'PostJournalEntry' as const,
    bookId: context.book,
    entryId: deterministicId('kontor-demo-entry', context.book, step),
    effectiveDate: '2026-03-31',
    description,
    lines,
  };
  const outcome = await context.app.get(CommandBus).execute(
    new RunBookCommand(command, context.metadata(step), {
      ...demoActor,
      roles: ['accountant'],
    }),
  );
  assert(outcome.status === 'pending_approval', `the demo posting ${step} is held for approval`);
  context.reached(outcome.position);
  return outcome.approvalId;
}
