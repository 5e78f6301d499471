import { SqlDatabase, SqlValue, toBigInt } from '../../infrastructure/sql/index.js';
import { ItemWithMovements } from '../domain/aging.js';
import { OpenItemKind } from '../domain/open-items.js';

export interface ItemsQuery {
  kind: OpenItemKind;
  asOf: string;
  party?: string;
}

/** Reads the open-items tables; the as-of arithmetic is the pure domain's (aging.ts). */
export class OpenItemsReadModel {
  constructor(private readonly db: SqlDatabase) {}

  /** Items issued on or before `asOf`, with their movements up to it. */
  async items(book: string, query: ItemsQuery): Promise<ItemWithMovements[]> {
    const where = ['i.book = ?', 'i.kind = ?', 'i.effective_date <= ?'];
    const params: SqlValue[] = [book, query.kind, query.asOf];
    if (query.party !== undefined) {
      where.push('i.party = ?');
      params.push(query.party);
    }
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT i.item_id, i.kind, i.account, i.party, i.currency, i.document_type, i.number,
              i.issue_date, i.due_date, i.effective_date, i.amount_minor, m.effective_date AS m_date, m.amount_minor AS m_amount
         FROM open_items i
         LEFT JOIN open_item_movements m ON m.book = i.book AND m.item_id = i.item_id AND m.effective_date <= ?
        WHERE ${where.join(' AND ')}
        ORDER BY i.party, i.due_date, i.position, i.item_id`,
      [query.asOf, ...params],
    );
    const items = new Map<string, ItemWithMovements>();
    for (const row of rows) {
      const id = String(row.item_id);
      let item = items.get(id);
      if (item === undefined) {
        item = {
          itemId: id,
          kind: row.kind as OpenItemKind,
          account: String(row.account),
          party: String(row.party),
          currency: String(row.currency),
          documentType: String(row.document_type),
          number: row.number === null ? undefined : String(row.number),
          issueDate: String(row.issue_date),
          dueDate: String(row.due_date),
          effectiveDate: String(row.effective_date),
          amountMinor: toBigInt(row.amount_minor),
          movements: [],
        };
        items.set(id, item);
      }
      if (row.m_date !== null && row.m_date !== undefined)
        (item.movements as { effectiveDate: string; amountMinor: bigint }[]).push({
          effectiveDate: String(row.m_date),
          amountMinor: toBigInt(row.m_amount),
        });
    }
    return [...items.values()];
  }

  async hasParty(book: string, party: string): Promise<boolean> {
    const rows = await this.db.query(
      'SELECT 1 FROM open_items WHERE book = ? AND party = ? LIMIT 1',
      [book, party],
    );
    return rows.length > 0;
  }

  /** One item (any kind), with all its movements; undefined when unknown. */
  async item(book: string, itemId: string): Promise<ItemWithMovements | undefined> {
    const [row] = await this.db.query<{ kind: string; party: string; item_id: string }>(
      `SELECT kind, party, item_id FROM open_items WHERE book = ? AND (item_id = ? OR number = ?)
        ORDER BY CASE WHEN item_id = ? THEN 0 ELSE 1 END LIMIT 1`,
      [book, itemId, itemId, itemId],
    );
    if (row === undefined) return undefined;
    const items = await this.items(book, {
      kind: row.kind as OpenItemKind,
      asOf: '9999-12-31',
      party: row.party,
    });
    return items.find((item) => item.itemId === row.item_id);
  }

  /** Whether a document (a payment, an invoice) with this id reached the open items. */
  async hasDocument(book: string, documentId: string): Promise<boolean> {
    const rows = await this.db.query(
      'SELECT 1 FROM open_item_documents WHERE book = ? AND document_id = ? LIMIT 1',
      [book, documentId],
    );
    return rows.length > 0;
  }

  /** The tax shares of an invoice (InvoiceIssued totals.taxes), for the Skonto VAT correction. */
  async invoiceTaxes(
    book: string,
    invoiceId: string,
  ): Promise<
    { taxCode: string; ratePercent: string; baseMinor: bigint; amountMinor: bigint }[] | undefined
  > {
    const [row] = await this.db.query<{ taxes: string | null }>(
      "SELECT taxes FROM open_item_documents WHERE book = ? AND document_id = ? AND type = 'InvoiceIssued'",
      [book, invoiceId],
    );
    if (!row?.taxes) return undefined;
    const taxes = JSON.parse(row.taxes) as Record<string, unknown>[];
    return taxes.map((t) => ({
      taxCode: String(t.taxCode),
      ratePercent: String(t.ratePercent),
      baseMinor: BigInt(String(t.baseMinor)),
      amountMinor: BigInt(String(t.amountMinor)),
      ...(typeof t.outputAccount === 'string' ? { outputAccount: t.outputAccount } : {}),
    }));
  }

  /** Sum of open amounts (signed debit − credit) per account and currency as of a date. */
  async totalsByAccount(
    book: string,
    asOf: string,
  ): Promise<{ account: string; currency: string; minor: bigint }[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT account, currency, SUM(amount) AS total FROM (
          SELECT account, currency, amount_minor AS amount FROM open_items WHERE book = ? AND effective_date <= ?
          UNION ALL
          SELECT i.account, i.currency, m.amount_minor FROM open_item_movements m
            JOIN open_items i ON i.book = m.book AND i.item_id = m.item_id
           WHERE m.book = ? AND m.effective_date <= ? AND i.effective_date <= ?
        ) t GROUP BY account, currency ORDER BY account, currency`,
      [book, asOf, book, asOf, asOf],
    );
    return rows.map((row) => ({
      account: String(row.account),
      currency: String(row.currency),
      minor: toBigInt(row.total),
    }));
  }
}
