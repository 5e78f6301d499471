import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumberString, IsOptional, IsString, Length } from 'class-validator';
import { formatAmount } from '../../event-sourcing/index.js';
import {
  reopenCauses,
  type StatementLineState,
  type StatementLineStatus,
} from '../statements/bank-statement.js';
import { matchRules } from '../statements/statement-matching.js';

const idTextLengthMax = 128;
export const statementLineStatuses: readonly StatementLineStatus[] = [
  'matched',
  'unmatched',
  'assigned',
];
export const statementLinesPageMax = 1000;

export class BankStatementQuery {
  @ApiPropertyOptional({ description: 'Ledger (bank) account of the statement', example: '1200' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  account?: string;
}

export class StatementLinesQuery {
  @ApiPropertyOptional({ enum: statementLineStatuses })
  @IsOptional()
  @IsIn(statementLineStatuses)
  status?: StatementLineStatus;

  @ApiPropertyOptional({ description: `At most ${statementLinesPageMax} lines (default)` })
  @IsOptional()
  @IsNumberString({ no_symbols: true })
  @Length(1, 5)
  limit?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsNumberString({ no_symbols: true })
  @Length(1, 6)
  cursor?: string;
}

export class AssignLineRequest {
  @ApiPropertyOptional({
    description: 'The open item (invoice id or number) the line pays',
    example: 'RE-2027-00001',
  })
  @IsOptional()
  @IsString()
  @Length(1, idTextLengthMax)
  invoice?: string;

  @ApiPropertyOptional({
    description: 'The account booked against the bank account (fees, interest)',
    example: '4970',
  })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  account?: string;
}

/** As long as a journal entry's description: the reason becomes the reversal's. */
const unassignReasonLengthMax = 1000;

export class UnassignLineRequest {
  @ApiProperty({
    description: 'Why the assignment is undone (the description of the reversing entry)',
    example: 'wrong account: was a refund',
    maxLength: unassignReasonLengthMax,
  })
  @IsString()
  @Length(1, unassignReasonLengthMax)
  reason!: string;
}

export class LineUnassignedResponse {
  @ApiProperty() statement!: string;
  @ApiProperty() n!: number;
  @ApiProperty({ enum: ['unmatched'] }) status!: 'unmatched';
  @ApiProperty({ description: "The entry that reversed the assignment's entry" })
  reversalEntryId!: string;
  @ApiProperty({ description: 'Log position of the reopening' }) position!: number;
}

export class CounterpartyResponse {
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional() iban?: string;
}

export class EarlierAssignmentResponse {
  @ApiProperty({ description: 'The open item or the account it was assigned to' })
  matchedTo!: string;
  @ApiProperty({ description: 'Its entry, never posted' }) entryId!: string;
  @ApiPropertyOptional({ description: 'The approval that held it' }) approvalId?: string;
  @ApiProperty({ enum: reopenCauses, description: 'Why the line waits again' }) cause!: string;
  @ApiPropertyOptional({ description: '`unassigned`: why' }) reason?: string;
  @ApiPropertyOptional({ description: "`unassigned`: the entry that reversed the assignment's" })
  reversalEntryId?: string;
}

export class StatementLineResponse {
  @ApiProperty({ description: 'From 1, in file order within the statement' }) n!: number;
  @ApiPropertyOptional({ description: 'The statement the line belongs to' }) statement?: string;
  @ApiProperty() date!: string;
  @ApiProperty() amount!: string;
  @ApiProperty() currency!: string;
  @ApiProperty({ enum: ['credit', 'debit'] }) direction!: string;
  @ApiProperty({ description: 'Entry reference (NtryRef / AcctSvcrRef)' }) reference!: string;
  @ApiPropertyOptional() endToEndId?: string;
  @ApiPropertyOptional({ description: 'Ustrd' }) remittance?: string;
  @ApiProperty({ type: CounterpartyResponse }) counterparty!: CounterpartyResponse;
  @ApiProperty({ enum: statementLineStatuses }) status!: string;
  @ApiPropertyOptional({ description: 'The open item (invoice id), or the account assigned' })
  matchedTo?: string;
  @ApiPropertyOptional({ enum: matchRules }) rule?: string;
  @ApiPropertyOptional({ description: 'The payment posted for the line' }) payment?: string;
  @ApiPropertyOptional({ description: 'The entry of an assignment' }) entryId?: string;
  @ApiPropertyOptional({ description: 'An assignment held for approval' }) approvalId?: string;
  @ApiPropertyOptional({
    type: [EarlierAssignmentResponse],
    description: 'Assignments that did not stand (their approval ended unexecuted), oldest first',
  })
  earlier?: EarlierAssignmentResponse[];
}

export class ImportedStatementResponse {
  @ApiProperty() id!: string;
  @ApiProperty() account!: string;
  @ApiProperty({ description: 'Stmt/Id' }) statementId!: string;
  @ApiProperty() entries!: number;
  @ApiProperty() matched!: number;
  @ApiProperty() unmatched!: number;
  @ApiProperty({ description: 'Lines assigned by hand since an earlier import' })
  assigned!: number;
}

export class BankStatementImportResponse {
  @ApiProperty({ description: 'The (first) statement of the file' }) id!: string;
  @ApiProperty() account!: string;
  @ApiProperty({ description: 'Booked lines of the file' }) entries!: number;
  @ApiProperty() matched!: number;
  @ApiProperty({ description: 'Lines waiting for assignment' }) unmatched!: number;
  @ApiProperty({ description: 'Lines assigned by hand since an earlier import' })
  assigned!: number;
  @ApiProperty({ type: [ImportedStatementResponse] }) statements!: ImportedStatementResponse[];
  @ApiProperty({ type: [StatementLineResponse] }) lines!: StatementLineResponse[];
  @ApiProperty({ description: 'Log position of the last event appended (0: nothing new)' })
  position!: number;
}

export class BankStatementResponse {
  @ApiProperty() id!: string;
  @ApiProperty() account!: string;
  @ApiProperty({ description: 'Stmt/Id' }) statementId!: string;
  @ApiProperty({ description: 'Latest booking date of its lines' }) date!: string;
  @ApiProperty() entries!: number;
  @ApiProperty() matched!: number;
  @ApiProperty() unmatched!: number;
  @ApiProperty() assigned!: number;
}

export class BankStatementsPageResponse {
  @ApiProperty({ type: [BankStatementResponse] }) items!: BankStatementResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class StatementLinesPageResponse {
  @ApiProperty({ type: [StatementLineResponse] }) items!: StatementLineResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class LineAssignedResponse {
  @ApiProperty() statement!: string;
  @ApiProperty() n!: number;
  @ApiProperty({ enum: ['assigned'] }) status!: 'assigned';
  @ApiProperty({ description: 'The open item or the account' }) matchedTo!: string;
  @ApiPropertyOptional() payment?: string;
  @ApiProperty() entryId!: string;
  @ApiPropertyOptional({ description: 'The entry waits for this approval' }) approvalId?: string;
  @ApiProperty() position!: number;
}

export function lineResponse(
  { data, status, assignment, earlier }: StatementLineState,
  statement?: string,
): StatementLineResponse {
  const matchedTo = data.match?.item ?? assignment?.invoice ?? assignment?.account;
  return {
    n: data.n,
    ...(statement !== undefined ? { statement } : {}),
    date: data.date,
    amount: formatAmount(BigInt(data.amountMinor), data.currency),
    currency: data.currency,
    direction: data.direction,
    reference: data.entryReference,
    ...(data.endToEndId !== undefined ? { endToEndId: data.endToEndId } : {}),
    ...(data.remittance !== undefined ? { remittance: data.remittance } : {}),
    counterparty: {
      ...(data.counterpartyName !== undefined ? { name: data.counterpartyName } : {}),
      ...(data.counterpartyIban !== undefined ? { iban: data.counterpartyIban } : {}),
    },
    status,
    ...(matchedTo !== undefined ? { matchedTo } : {}),
    ...(data.match?.rule !== undefined ? { rule: data.match.rule } : {}),
    ...((data.match?.payment ?? assignment?.payment)
      ? { payment: data.match?.payment ?? assignment?.payment }
      : {}),
    ...(assignment !== undefined ? { entryId: assignment.entryId } : {}),
    ...(assignment?.approvalId !== undefined ? { approvalId: assignment.approvalId } : {}),
    ...(earlier.length > 0
      ? {
          earlier: earlier.map(({ assignment: failed, reopened }) => ({
            matchedTo: failed.invoice ?? failed.account ?? '',
            entryId: failed.entryId,
            ...(failed.approvalId !== undefined ? { approvalId: failed.approvalId } : {}),
            cause: reopened.cause,
            ...(reopened.reason !== undefined ? { reason: reopened.reason } : {}),
            ...(reopened.reversalEntryId !== undefined
              ? { reversalEntryId: reopened.reversalEntryId }
              : {}),
          })),
        }
      : {}),
  };
}
