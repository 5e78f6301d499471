// `npm run bench -- einvoice [--lines N] [--runs R]`: time to render and read one invoice of N
// lines (default 1,000) as XRechnung UBL, CII and Factur-X PDF, and to check its rules; the
// baseline is fast-xml-parser's plain parse of the same bytes (no limits, no mapping), so the
// read figures say what the safe parsing and the model mapping cost. Figures: docs/benchmarks.md.
import { XMLParser } from 'fast-xml-parser';
import {
  checkInvoiceRules,
  readInvoicePdf,
  readInvoiceXml,
  renderCii,
  renderFacturXPdf,
  renderUbl,
  type En16931Invoice,
} from '../src/einvoice/index.js';
import { sampleInvoice } from '../src/einvoice/test-support/sample-invoice.js';

function invoiceOf(lines: number): En16931Invoice {
  const invoice = sampleInvoice();
  const line = invoice.lines[2]!; // 2 × 30.25 at 7 %
  invoice.lines = Array.from({ length: lines }, (_, i) => ({ ...line, id: String(i + 1) }));
  const baseCents = BigInt(lines) * 6050n;
  const taxCents = (baseCents * 7n + 50n) / 100n; // half up
  const euros = (cents: bigint) => `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
  const [base, tax, total] = [baseCents, taxCents, baseCents + taxCents];
  invoice.vatBreakdown = [
    { categoryCode: 'S', rate: '7', taxableAmount: euros(base), taxAmount: euros(tax) },
  ];
  invoice.totals = {
    lineNetTotal: euros(base),
    taxExclusiveTotal: euros(base),
    vatTotal: euros(tax),
    taxInclusiveTotal: euros(total),
    payableAmount: euros(total),
  };
  return invoice;
}

async function median(runs: number, work: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

export async function run(args: string[]): Promise<void> {
  const option = (name: string, fallback: number) => {
    const index = args.indexOf(`--${name}`);
    return index === -1 ? fallback : Number(args[index + 1]);
  };
  const lines = option('lines', 1_000);
  const runs = option('runs', 20);
  const invoice = invoiceOf(lines);
  const violations = checkInvoiceRules(invoice);
  if (violations.length) throw new Error(`bench invoice breaks ${violations[0]!.rule}`);
  const ubl = renderUbl(invoice);
  const cii = renderCii(invoice);
  const pdf = await renderFacturXPdf(invoice);
  const plain = new XMLParser({ ignoreAttributes: false });
  const baseline = await median(runs, () => plain.parse(ubl.toString('utf8')));
  const rows: [string, number][] = [
    ['plain XMLParser.parse of the UBL (baseline)', baseline],
    ['renderUbl', await median(runs, () => renderUbl(invoice))],
    ['renderCii', await median(runs, () => renderCii(invoice))],
    ['renderFacturXPdf', await median(runs, () => renderFacturXPdf(invoice))],
    ['readInvoiceXml (UBL)', await median(runs, () => readInvoiceXml(ubl))],
    ['readInvoiceXml (CII)', await median(runs, () => readInvoiceXml(cii))],
    ['readInvoicePdf', await median(runs, () => readInvoicePdf(pdf))],
    ['checkInvoiceRules', await median(runs, () => checkInvoiceRules(invoice))],
  ];
  console.log(
    `einvoice: ${lines} lines; UBL ${ubl.length} B, CII ${cii.length} B, PDF ${pdf.length} B; median of ${runs} runs`,
  );
  for (const [name, ms] of rows)
    console.log(
      `${name.padEnd(46)} ${ms.toFixed(1).padStart(8)} ms  ${(ms / baseline).toFixed(1).padStart(6)} × baseline`,
    );
}
