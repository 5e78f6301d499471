import { ConflictError, FieldError, formatAmount } from '../../../event-sourcing/index.js';
import { OpenItemView } from '../../domain/aging.js';
import { BusinessRuleError } from '../../domain/payment.js';

/** SEPA credit transfers are in euro; pain.001 (EPC) takes nothing else. */
export const paymentRunCurrency = 'EUR';
/** The open items a run pays: those of booked incoming invoices. */
export const payableDocumentType = 'IncomingInvoiceBooked';
/** Items in one run at most (one pain.001 file; banks take far more, the log's append does not). */
export const paymentRunItemsMax = 1_000;

export type PaymentSelection = { dueUntil: string } | { invoiceIds: readonly string[] };

/**
 * The open payables a run pays. By due date: every booked incoming invoice in euro with an open
 * amount, due on or before `dueUntil`, not in another run. By ids: each must be such an invoice
 * (422 naming the first that is not), and in no other run (409).
 */
export function selectPayables(
  open: readonly OpenItemView[],
  selection: PaymentSelection,
  runOf: (invoiceId: string) => string | undefined,
): OpenItemView[] {
  const payable = (item: OpenItemView) =>
    item.kind === 'payable' &&
    item.documentType === payableDocumentType &&
    item.currency === paymentRunCurrency &&
    item.openMinor > 0n;
  const chosen =
    'dueUntil' in selection
      ? open.filter(
          (item) =>
            payable(item) && item.dueDate <= selection.dueUntil && runOf(item.itemId) === undefined,
        )
      : byIds(open, selection.invoiceIds, payable, runOf);
  if (chosen.length === 0)
    throw new BusinessRuleError(
      'dueUntil' in selection
        ? `Nothing to pay: no booked incoming invoice in EUR is open and due on or before ${selection.dueUntil} outside another payment run`
        : 'Nothing to pay: no items',
    );
  if (chosen.length > paymentRunItemsMax)
    throw new BusinessRuleError(
      `A payment run pays at most ${paymentRunItemsMax} invoices; ${chosen.length} are due: choose an earlier dueUntil or list the items`,
    );
  return chosen;
}

function byIds(
  open: readonly OpenItemView[],
  ids: readonly string[],
  payable: (item: OpenItemView) => boolean,
  runOf: (invoiceId: string) => string | undefined,
): OpenItemView[] {
  const byId = new Map(open.map((item) => [item.itemId, item]));
  const problems: FieldError[] = [];
  const chosen: OpenItemView[] = [];
  for (const [index, id] of [...new Set(ids)].entries()) {
    const item = byId.get(id);
    if (item === undefined || !payable(item)) {
      problems.push({ field: `items[${index}]`, message: notPayableReason(id, item) });
      continue;
    }
    const other = runOf(id);
    if (other !== undefined)
      throw new ConflictError(
        `Incoming invoice ${id} (${item.number ?? id}) is already in payment run ${other}`,
      );
    chosen.push(item);
  }
  if (problems.length > 0)
    throw new BusinessRuleError(
      `Not payable in a run: ${problems.map((p) => p.message).join('; ')}`,
      problems,
    );
  return chosen;
}

function notPayableReason(id: string, item: OpenItemView | undefined): string {
  if (item === undefined) return `${id} is no booked incoming invoice of this book`;
  if (item.kind !== 'payable' || item.documentType !== payableDocumentType)
    return `${id} is no incoming invoice`;
  if (item.currency !== paymentRunCurrency)
    return `${id} (${item.number ?? id}) is in ${item.currency}; SEPA credit transfers are in EUR`;
  return `${id} (${item.number ?? id}) has nothing open (${formatAmount(item.openMinor, item.currency)})`;
}
