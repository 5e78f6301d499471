import {
  ConflictError,
  Decider,
  DomainEvent,
  NotFoundError,
  ValidationError,
} from '../../../event-sourcing/index.js';
import { dunningLevelMax } from './dunning.js';

/** A run's proposal lives in its own stream; confirming it is a document on the book stream. */
export const dunningRunStreamPrefix = 'dunning-run-';
export function dunningRunStreamId(runId: string): string {
  return `${dunningRunStreamPrefix}${runId}`;
}
/** The book's dunning settings (fees per level, base rates with their effective dates). */
export const dunningSettingsStreamPrefix = 'dunning-settings-';
export function dunningSettingsStreamId(bookId: string): string {
  return `${dunningSettingsStreamPrefix}${bookId}`;
}

/** A notice as events carry it: money in decimal-string minor units. */
export interface DunningNoticeData {
  partyId: string;
  level: number;
  currency: string;
  openMinor: string;
  feeMinor: string;
  interestMinor: string;
  interestPoints: number;
  items: {
    invoiceId: string;
    number?: string;
    dueDate: string;
    openMinor: string;
    daysOverdue: number;
    interestMinor: string;
  }[];
}

export interface DunningRunProposedData {
  runId: string;
  bookId: string;
  asOf: string;
  notices: DunningNoticeData[];
}

/** The document event of a confirmed run (PostDocument on the book stream, with its entry). */
export interface DunningRunConfirmedData {
  documentId: string;
  runId: string;
  asOf: string;
  notices: DunningNoticeData[];
  receivablesAccount: string;
  feesAccount?: string;
  interestAccount?: string;
  entryId?: string;
}

export type DunningRunProposed = DomainEvent<'DunningRunProposed', DunningRunProposedData>;

export interface ProposeDunningRun {
  type: 'ProposeDunningRun';
  runId: string;
  bookId: string;
  asOf: string;
  notices: DunningNoticeData[];
}

export type DunningRunState =
  { status: 'none' } | { status: 'proposed'; run: DunningRunProposedData };

/** The proposal's stream: proposed once; the same run id again is a conflict. */
export const dunningRunDecider: Decider<ProposeDunningRun, DunningRunProposed, DunningRunState> = {
  initialState: () => ({ status: 'none' }),
  decide(command, state) {
    if (state.status !== 'none')
      throw new ConflictError(`Dunning run ${command.runId} exists already`);
    for (const notice of command.notices)
      if (notice.level < 1 || notice.level > dunningLevelMax)
        throw new ValidationError(`Notice level ${notice.level} is outside 1–${dunningLevelMax}`);
    const { type: _type, ...data } = command;
    return [{ type: 'DunningRunProposed', data }];
  },
  evolve: (_state, event) => ({ status: 'proposed', run: event.data }),
};

export function requireProposedRun(state: DunningRunState, runId: string): DunningRunProposedData {
  if (state.status === 'none') throw new NotFoundError(`Unknown dunning run ${runId}`);
  return state.run;
}
