import { AssertionFailed, ConflictError, ValidationError } from '../../event-sourcing/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { gateableActionOf } from '../application/ledger-command-gate.js';
import {
  bookId,
  openBookWithAccounts as openBookWithFixtureAccounts,
  refusal,
  stateAfter,
} from '../testing/book.test-fixtures.js';
import { PostDocument } from './book.commands.js';
import { bookDecider } from './book.decider.js';
import { BookStreamEvent, JournalEntryPostedData } from './book.events.js';
import { findDocument } from './book.state.js';
import { fromBookSnapshot, toBookSnapshot } from './book.snapshot.js';
import { documentEventSchemas, documentSummary, registerDocumentType } from './document-types.js';
import { IdempotencyMismatchError, UnbalancedEntryError } from './ledger.errors.js';

registerDocumentType({
  type: 'SpecInvoiceIssued',
  description: 'A test document (spec only).',
  schema: {
    type: 'object',
    required: ['customer'],
    additionalProperties: false,
    properties: { customer: { type: 'string', minLength: 1 } },
  },
});

const spec = deciderSpec(bookDecider);
const openBookWithAccounts: BookStreamEvent[] = [
  ...openBookWithFixtureAccounts,
  {
    type: 'TaxCodeDefined',
    data: {
      code: 'USt19',
      name: 'Umsatzsteuer 19 %',
      kind: 'output',
      rates: [{ validFrom: '2021-01-01', ratePercent: '19' }],
      outputAccount: '8400',
    },
  },
];

function postDocument(overrides: Partial<PostDocument> = {}, id = 'inv-1'): PostDocument {
  return {
    type: 'PostDocument',
    bookId,
    document: { type: 'SpecInvoiceIssued', id, data: { customer: 'c-1' } },
    numbering: { series: 'RE-2027' },
    entry: {
      entryId: `entry-${id}`,
      effectiveDate: '2027-01-15',
      description: 'Invoice to c-1',
      lines: [
        { account: '1200', debit: '119.00', party: 'c-1' },
        { account: '8400', credit: '119.00', taxCode: 'USt19' },
      ],
    },
    ...overrides,
  };
}

function entryData(id: string, number: string | undefined): JournalEntryPostedData {
  return {
    entryId: `entry-${id}`,
    effectiveDate: '2027-01-15',
    description: 'Invoice to c-1',
    ...(number === undefined ? {} : { reference: number }),
    lines: [
      { account: '1200', side: 'debit', amountMinor: '11900', currency: 'EUR', party: 'c-1' },
      { account: '8400', side: 'credit', amountMinor: '11900', currency: 'EUR', taxCode: 'USt19' },
    ],
    metadata: { documentType: 'SpecInvoiceIssued', documentId: id },
  };
}

function issued(id: string, sequence: number, series = 'RE-2027'): BookStreamEvent[] {
  const number = `${series}-${String(sequence).padStart(5, '0')}`;
  return [
    {
      type: 'SpecInvoiceIssued',
      data: {
        customer: 'c-1',
        documentId: id,
        number,
        numbering: { series, sequence },
        entryId: `entry-${id}`,
      },
    },
    { type: 'JournalEntryPosted', data: entryData(id, number) },
  ];
}

describe('PostDocument: allowed', () => {
  it('records the document with the next number and posts its entry, referenced by the number', () => {
    spec.given(openBookWithAccounts).when(postDocument()).then(issued('inv-1', 1));
  });

  it('numbers gap-free per series: the next number follows the last, another series starts at 1', () => {
    const given = [...openBookWithAccounts, ...issued('inv-1', 1), ...issued('inv-2', 2)];
    spec.given(given).when(postDocument({}, 'inv-3')).then(issued('inv-3', 3));
    spec
      .given(given)
      .when(postDocument({ numbering: { series: 'RE-2028' } }, 'inv-3'))
      .then(issued('inv-3', 1, 'RE-2028'));
  });

  it('records an unnumbered document with the entry reference as given', () => {
    const command = postDocument({ numbering: undefined });
    command.entry = { ...command.entry, reference: 'BANK-7' };
    spec
      .given(openBookWithAccounts)
      .when(command)
      .then([
        {
          type: 'SpecInvoiceIssued',
          data: { customer: 'c-1', documentId: 'inv-1', entryId: 'entry-inv-1' },
        },
        {
          type: 'JournalEntryPosted',
          data: { ...entryData('inv-1', undefined), reference: 'BANK-7' },
        },
      ]);
  });

  it('answers the same document again (same entry) with no events: a repeat', () => {
    spec
      .given([...openBookWithAccounts, ...issued('inv-1', 1)])
      .when(postDocument())
      .then([]);
  });

  it('answers an idempotent retry with no events, and keeps the key on the entry', () => {
    const idempotency = { key: 'k-1', requestHash: 'h-1' };
    const [document, entry] = bookDecider.decide(
      postDocument({ idempotency }),
      stateAfter(openBookWithAccounts),
    );
    expect(entry).toEqual({
      type: 'JournalEntryPosted',
      data: { ...entryData('inv-1', 'RE-2027-00001'), idempotencyKey: 'k-1', requestHash: 'h-1' },
    });
    const given = [...openBookWithAccounts, document!, entry!];
    spec.given(given).when(postDocument({ idempotency }, 'inv-2')).then([]);
    spec
      .given(given)
      .when(postDocument({ idempotency: { key: 'k-1', requestHash: 'other' } }, 'inv-2'))
      .thenThrows(IdempotencyMismatchError);
  });

  it('refers to a known document and closes it; the state knows series, documents and closed ones', () => {
    const credit = postDocument(
      {
        numbering: { series: 'GS-2027' },
        refersTo: { documentId: 'inv-1', mustBeOpen: true },
        closes: 'inv-1',
      },
      'cn-1',
    );
    const events = bookDecider.decide(
      credit,
      stateAfter([...openBookWithAccounts, ...issued('inv-1', 1)]),
    );
    expect(events[0]!.data).toMatchObject({
      refersTo: 'inv-1',
      closes: 'inv-1',
      number: 'GS-2027-00001',
    });
    const state = stateAfter([...openBookWithAccounts, ...issued('inv-1', 1), ...events]);
    expect(findDocument(state, 'inv-1')).toEqual({
      type: 'SpecInvoiceIssued',
      entryId: 'entry-inv-1',
      number: 'RE-2027-00001',
      status: 'closed',
    });
    expect(findDocument(state, 'cn-1')?.status).toBe('open');
    expect(state.status === 'open' && [...state.series]).toEqual([
      ['RE-2027', 1],
      ['GS-2027', 1],
    ]);
    expect(fromBookSnapshot(toBookSnapshot(state))).toEqual(state);
  });
});

describe('PostDocument: refused, nothing recorded', () => {
  const given = [...openBookWithAccounts, ...issued('inv-1', 1)];

  it('refuses a known document id with another entry (409)', () => {
    const command = postDocument();
    command.entry = { ...command.entry, entryId: 'entry-other' };
    spec.given(given).when(command).thenThrows(ConflictError);
    expect(String((refusal(given, command) as Error).message)).toContain('already exists');
  });

  it('refuses a known entry id under a new document (409)', () => {
    const command = postDocument({}, 'inv-2');
    command.entry = { ...command.entry, entryId: 'entry-inv-1' };
    spec.given(given).when(command).thenThrows(ConflictError);
  });

  it('refuses a reference to an unknown document, or to a closed one when it must be open (409)', () => {
    spec
      .given(given)
      .when(postDocument({ refersTo: { documentId: 'nope' } }, 'cn-1'))
      .thenThrows(ConflictError);
    const closing = bookDecider.decide(
      postDocument({ closes: 'inv-1' }, 'cn-1'),
      stateAfter(given),
    );
    const afterClose = [...given, ...closing];
    spec
      .given(afterClose)
      .when(postDocument({ refersTo: { documentId: 'inv-1', mustBeOpen: true } }, 'cn-2'))
      .thenThrows(ConflictError);
    spec
      .given(afterClose)
      .when(postDocument({ closes: 'inv-1' }, 'cn-2'))
      .thenThrows(ConflictError);
    // Without mustBeOpen a closed document may still be referred to.
    expect(
      bookDecider.decide(
        postDocument({ refersTo: { documentId: 'inv-1' } }, 'cn-2'),
        stateAfter(afterClose),
      ),
    ).toHaveLength(2);
  });

  it('refuses an entry PostJournalEntry would refuse (unbalanced)', () => {
    const command = postDocument({}, 'inv-2');
    command.entry = {
      ...command.entry,
      lines: [
        { account: '1200', debit: '119.00' },
        { account: '8400', credit: '100.00' },
      ],
    };
    spec.given(given).when(command).thenThrows(UnbalancedEntryError);
  });

  it('refuses a malformed document id or series (400, fields named)', () => {
    const error = refusal(given, postDocument({ numbering: { series: 'RE 2027' } }, 'inv 2'));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors?.map((e) => e.field)).toEqual([
      'document.id',
      'numbering.series',
    ]);
  });

  it('asserts (a bug of the owning module) on an unregistered type or data outside its schema', () => {
    const unknownType = postDocument({}, 'inv-2');
    unknownType.document = { ...unknownType.document, type: 'NeverRegistered' };
    spec.given(given).when(unknownType).thenThrows(AssertionFailed);
    const badData = postDocument({}, 'inv-2');
    badData.document = { ...badData.document, data: { customer: 7 } };
    spec.given(given).when(badData).thenThrows(AssertionFailed);
  });
});

describe('document types and the gate', () => {
  it('lists the registered type with the ledger fields merged into its schema', () => {
    const schema = documentEventSchemas().find((entry) => entry.type === 'SpecInvoiceIssued');
    expect(schema?.schema).toMatchObject({
      required: ['documentId', 'entryId', 'customer'],
      additionalProperties: false,
      properties: { documentId: { type: 'string' }, numbering: { type: 'object' } },
    });
  });

  it('summarises a document event for the audit trail: the default names type, number and entry', () => {
    expect(
      documentSummary(
        'SpecInvoiceIssued',
        { documentId: 'inv-1', number: 'RE-2027-00001', entryId: 'e-1' },
        'Erika',
      ),
    ).toBe('Erika recorded SpecInvoiceIssued RE-2027-00001 (entry e-1)');
    expect(documentSummary('NeverRegistered', { documentId: 'x' }, 'Erika')).toBeUndefined();
  });

  it('gates PostDocument as its gate.action when it is a document action, else never', () => {
    expect(gateableActionOf(postDocument({ gate: { action: 'invoice.issue' } }))).toBe(
      'invoice.issue',
    );
    expect(gateableActionOf(postDocument({ gate: { action: 'credit-note.issue' } }))).toBe(
      'credit-note.issue',
    );
    expect(gateableActionOf(postDocument({ gate: { action: 'payment.receive' } }))).toBeUndefined();
    expect(gateableActionOf(postDocument())).toBeUndefined();
  });
});
