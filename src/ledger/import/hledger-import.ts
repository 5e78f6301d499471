import { DomainError, formatAmount, parseAmount } from '../../event-sourcing/index.js';
import { AccountType } from '../domain/book.events.js';
import { accountCodeLengthMax } from '../domain/book.rules.js';
import {
  IdempotencyKeys,
  ImportedAccount,
  ImportedEntry,
  ImportRefusal,
  ParsedImport,
  signedLine,
} from './imported.js';

/**
 * The plain subset of the hledger journal format (docs/import.md): dated transactions whose
 * postings carry amounts in ISO 4217 codes (`-12.50 EUR`, `EUR 12.50`), at most one posting
 * without an amount (it takes the balance), comments, and `account` directives naming a type
 * (`; type:A`) or a Kontor code (`; code:1200`). Anything else is refused with its line and
 * reason; a refused transaction is not imported at all.
 */
export function parseHledger(text: string): ParsedImport {
  const parser = new HledgerParser();
  text.split(/\r?\n/).forEach((line, index) => parser.line(line, index + 1));
  parser.end();
  return parser.result();
}

interface Posting {
  account: string;
  amount?: { value: string; currency: string };
  memo?: string;
}

type Priced = Posting & { amount: NonNullable<Posting['amount']> };

interface OpenTransaction {
  line: number;
  lines: string[];
  date: string;
  description: string;
  reference?: string;
  postings: Posting[];
  problem?: string;
}

/** Ignored directives: they change nothing the subset's postings mean. */
const harmlessDirectives = /^(commodity|payee|tag|P|decimal-mark\s+\.)(\s|$)/;
const headerPattern =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(=\S+)?(?:\s+[*!])?(?:\s+\(([^)]*)\))?\s*(.*)$/;
const amountAfter = /^(-?\d+(?:\.\d+)?)\s*([A-Z]{3})$/;
const amountBefore = /^([A-Z]{3})\s*(-?\d+(?:\.\d+)?)$/;

const typeTags: Record<string, AccountType> = {
  A: 'asset',
  C: 'asset',
  L: 'liability',
  E: 'equity',
  R: 'revenue',
  X: 'expense',
};
const typeOfTopLevel: Record<string, AccountType> = {
  assets: 'asset',
  asset: 'asset',
  liabilities: 'liability',
  liability: 'liability',
  equity: 'equity',
  income: 'revenue',
  revenue: 'revenue',
  revenues: 'revenue',
  expenses: 'expense',
  expense: 'expense',
};

class HledgerParser {
  private readonly entries: ImportedEntry[] = [];
  private readonly refusals: ImportRefusal[] = [];
  private readonly declared = new Map<string, { type?: AccountType; code?: string }>();
  private readonly used = new Map<string, ImportedAccount>();
  private readonly keys = new IdempotencyKeys('hledger');
  private open: OpenTransaction | undefined;

  line(raw: string, number: number): void {
    if (/^\s/.test(raw) && raw.trim() !== '') return this.indented(raw, number);
    this.end();
    const line = raw.trimEnd();
    if (line === '' || /^[;#*]/.test(line)) return;
    if (line.startsWith('account ')) return this.accountDirective(line, number);
    if (harmlessDirectives.test(line)) return;
    const header = headerPattern.exec(line);
    if (!header) return this.refuse(number, outsideSubset(line));
    const [, year, month, day, secondary, code, rest] = header;
    const description = stripComment(rest ?? '').text;
    this.open = {
      line: number,
      lines: [raw],
      date: `${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`,
      description: description === '' ? '(no description)' : description,
      ...(code ? { reference: code } : {}),
      postings: [],
      ...(secondary ? { problem: 'secondary dates (date=date2) are outside the subset' } : {}),
    };
  }

  end(): void {
    const open = this.open;
    this.open = undefined;
    if (open === undefined) return;
    try {
      if (open.problem) throw new Error(open.problem);
      this.entries.push(this.entryOf(open));
    } catch (error) {
      this.refuse(open.line, error instanceof Error ? error.message : String(error));
    }
  }

  result(): ParsedImport {
    return { entries: this.entries, refusals: this.refusals, accounts: [...this.used.values()] };
  }

  private indented(raw: string, number: number): void {
    const open = this.open;
    if (open === undefined) return this.refuse(number, 'an indented line outside a transaction');
    open.lines.push(raw);
    const trimmed = raw.trim();
    if (trimmed.startsWith(';') || trimmed.startsWith('#')) return;
    if (open.problem) return;
    try {
      open.postings.push(postingOf(trimmed, number));
    } catch (error) {
      open.problem = error instanceof Error ? error.message : String(error);
    }
  }

  private accountDirective(line: string, number: number): void {
    const { text: name, comment } = stripComment(line.slice('account '.length));
    const type = /(?:^|[\s,])type:\s*([A-Za-z]+)/.exec(comment ?? '')?.[1];
    const code = /(?:^|[\s,])code:\s*([^\s,]+)/.exec(comment ?? '')?.[1];
    const mapped = type === undefined ? undefined : typeTags[type[0]!.toUpperCase()];
    if (type !== undefined && mapped === undefined)
      return this.refuse(number, `account type ${type} is not one of A, L, E, R, X, C`);
    this.declared.set(name, { ...(mapped ? { type: mapped } : {}), ...(code ? { code } : {}) });
  }

  private entryOf(open: OpenTransaction): ImportedEntry {
    if (open.postings.length < 2) throw new Error('a transaction needs at least two postings');
    const lines = balancedPostings(open.postings).map((posting) =>
      signedLine(
        this.accountCode(posting.account),
        posting.amount.value,
        posting.amount.currency,
        posting.memo,
      ),
    );
    return {
      line: open.line,
      idempotencyKey: this.keys.keyOf(open.lines.join('\n').trim()),
      entry: {
        effectiveDate: open.date,
        description: open.description,
        ...(open.reference ? { reference: open.reference } : {}),
        lines,
      },
    };
  }

  /** The Kontor code of an hledger account (`assets:bank` → `assets.bank`, or its `code:` tag). */
  private accountCode(name: string): string {
    const declared = this.declared.get(name);
    const code = declared?.code ?? name.replace(/:/g, '.').replace(/ /g, '_');
    if (!/^[A-Za-z0-9._-]+$/.test(code) || code.length > accountCodeLengthMax)
      throw new Error(
        `account ${name} does not make a Kontor account code (letters, digits, ".", "_", "-"; at most ${accountCodeLengthMax}): declare one with \`account ${name}  ; code:…\``,
      );
    const type = declared?.type ?? typeOfTopLevel[name.split(':')[0]!.toLowerCase()];
    if (type === undefined)
      throw new Error(
        `the type of account ${name} is unknown: declare it with \`account ${name}  ; type:A\` (A, L, E, R or X)`,
      );
    if (!this.used.has(code)) this.used.set(code, { code, name, type });
    return code;
  }

  private refuse(line: number, reason: string): void {
    this.refusals.push({ line, reason });
  }
}

function outsideSubset(line: string): string {
  const word = line.split(/\s/)[0]!;
  return `"${word.slice(0, 20)}" is outside the supported subset (dated transactions, comments, account/commodity directives)`;
}

function stripComment(text: string): { text: string; comment?: string } {
  const at = text.indexOf(';');
  if (at < 0) return { text: text.trim() };
  return { text: text.slice(0, at).trim(), comment: text.slice(at + 1).trim() };
}

function postingOf(trimmed: string, number: number): Posting {
  const { text, comment } = stripComment(trimmed.replace(/^[*!]\s+/, ''));
  const [account, ...rest] = text.split(/\s{2,}|\t+/);
  const amountText = rest.join(' ').trim();
  if (/^[([]/.test(account!))
    throw new Error(`line ${number}: virtual postings are outside the subset`);
  if (amountText.includes('@'))
    throw new Error(`line ${number}: prices (@) are outside the subset`);
  if (amountText.includes('='))
    throw new Error(`line ${number}: balance assertions are outside the subset`);
  const memo = comment || undefined;
  if (amountText === '') return { account: account!, ...(memo ? { memo } : {}) };
  const after = amountAfter.exec(amountText);
  const before = after ? undefined : amountBefore.exec(amountText);
  if (!after && !before)
    throw new Error(
      `line ${number}: amount "${amountText.slice(0, 40)}" is not in the subset (a number like -1234.56 with an ISO 4217 code, e.g. "-1234.56 EUR")`,
    );
  const amount = after
    ? { value: after[1]!, currency: after[2]! }
    : { value: before![2]!, currency: before![1]! };
  return { account: account!, amount, ...(memo ? { memo } : {}) };
}

/** The one posting without an amount takes the balance of the others (in their one currency). */
function balancedPostings(postings: Posting[]): Priced[] {
  const elided = postings.filter((posting) => posting.amount === undefined);
  if (elided.length === 0) return postings as Priced[];
  if (elided.length > 1) throw new Error('more than one posting without an amount');
  const currencies = new Set(postings.flatMap((posting) => posting.amount?.currency ?? []));
  if (currencies.size !== 1)
    throw new Error('a posting without an amount needs the others in exactly one currency');
  const [currency] = currencies as Set<string>;
  let sum = 0n;
  for (const posting of postings)
    if (posting.amount) sum += minorOf(posting.amount.value, currency!);
  const balance = { value: formatAmount(-sum, currency!), currency: currency! };
  return postings.map((posting): Priced =>
    posting.amount ? (posting as Priced) : { ...posting, amount: balance },
  );
}

function minorOf(value: string, currency: string): bigint {
  const negative = value.startsWith('-');
  try {
    const minor = parseAmount(negative ? value.slice(1) : value, currency);
    return negative ? -minor : minor;
  } catch (error) {
    throw new Error(error instanceof DomainError ? error.message : String(error));
  }
}
