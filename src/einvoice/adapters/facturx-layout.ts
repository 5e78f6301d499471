import { type PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import type { En16931Invoice, PostalAddress } from '../domain/en16931.model.js';
import { germanAmount, germanDate, germanNumber } from './german-format.js';

// The human-readable page(s) of the invoice PDF: A4, seller and buyer, lines, VAT, totals,
// payment. Plain drawing with pdf-lib; everything derives from the model (deterministic).

const pageSize: [number, number] = [595.28, 841.89]; // A4 in points
const margin = 50;
const lineHeight = 13;
const columns = {
  position: margin,
  name: margin + 30,
  quantity: 330,
  price: 420,
  net: 495,
  vat: 545,
};

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

class Writer {
  page!: PDFPage;
  y = 0;
  private readonly characterSets = new Map<PDFFont, Set<number>>();
  constructor(
    private readonly document: PDFDocument,
    private readonly fonts: Fonts,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.document.addPage(pageSize);
    this.y = pageSize[1] - margin;
  }

  /** Text the font can encode (WinAnsi for the standard fonts); others become '?'. */
  private safe(text: string, font: PDFFont): string {
    let supported = this.characterSets.get(font);
    if (!supported) this.characterSets.set(font, (supported = new Set(font.getCharacterSet())));
    return [...text.replace(/[\r\n\t]+/g, ' ')]
      .map((char) => (supported.has(char.codePointAt(0) ?? 0) ? char : '?'))
      .join('');
  }

  text(value: string, x: number, options: { bold?: boolean; size?: number; right?: boolean } = {}) {
    const font = options.bold ? this.fonts.bold : this.fonts.regular;
    const size = options.size ?? 9;
    const text = this.safe(value, font);
    const width = options.right ? font.widthOfTextAtSize(text, size) : 0;
    this.page.drawText(text, { x: x - width, y: this.y, size, font, color: rgb(0, 0, 0) });
  }

  advance(lines = 1): void {
    this.y -= lineHeight * lines;
    if (this.y < margin + lineHeight * 2) this.newPage();
  }

  rule(): void {
    this.page.drawLine({
      start: { x: margin, y: this.y + 9 },
      end: { x: pageSize[0] - margin, y: this.y + 9 },
      thickness: 0.5,
    });
  }
}

function addressLines(name: string, address: PostalAddress): string[] {
  return [
    name,
    address.line1,
    address.line2,
    address.line3,
    [address.postCode, address.city].filter(Boolean).join(' '),
    address.countryCode,
  ].filter((line): line is string => !!line);
}

function header(w: Writer, invoice: En16931Invoice): void {
  const { seller, buyer } = invoice;
  w.text(invoice.typeCode === '381' ? 'Gutschrift' : 'Rechnung', margin, { bold: true, size: 16 });
  w.text(seller.name, pageSize[0] - margin, { bold: true, right: true });
  w.advance(2);
  const sellerLines = addressLines('', seller.address).slice(0, 5);
  const sellerIds = [
    seller.vatId && `USt-IdNr.: ${seller.vatId}`,
    seller.taxNumber && `Steuernummer: ${seller.taxNumber}`,
    seller.contact?.email,
    seller.contact?.phone,
  ].filter((line): line is string => !!line);
  const buyerLines = addressLines(buyer.name, buyer.address);
  if (buyer.vatId) buyerLines.push(`USt-IdNr.: ${buyer.vatId}`);
  const rows = Math.max(buyerLines.length, sellerLines.length + sellerIds.length);
  const right = [...sellerLines, ...sellerIds];
  for (let row = 0; row < rows; row++) {
    w.text(buyerLines[row] ?? '', margin);
    w.text(right[row] ?? '', pageSize[0] - margin, { right: true });
    w.advance();
  }
  w.advance();
  const facts: [string, string | undefined][] = [
    [invoice.typeCode === '381' ? 'Gutschriftsnummer' : 'Rechnungsnummer', invoice.number],
    ['Rechnungsdatum', germanDate(invoice.issueDate)],
    ['Leistungsdatum', germanDate(invoice.delivery?.date)],
    [
      'Leistungszeitraum',
      invoice.invoicingPeriod &&
        `${germanDate(invoice.invoicingPeriod.start)} – ${germanDate(invoice.invoicingPeriod.end)}`,
    ],
    ['Fällig am', germanDate(invoice.dueDate)],
    ['Käuferreferenz (Leitweg-ID)', invoice.buyerReference],
    ['Bezug auf Rechnung', invoice.precedingInvoices?.map((p) => p.number).join(', ')],
  ];
  for (const [label, value] of facts.filter(([, value]) => value)) {
    w.text(`${label}:`, margin, { bold: true });
    w.text(value ?? '', margin + 150);
    w.advance();
  }
  w.advance();
}

function lines(w: Writer, invoice: En16931Invoice): void {
  const head = (): void => {
    w.text('Pos.', columns.position, { bold: true });
    w.text('Bezeichnung', columns.name, { bold: true });
    w.text('Menge', columns.quantity, { bold: true, right: true });
    w.text('Einzelpreis', columns.price, { bold: true, right: true });
    w.text('Netto', columns.net, { bold: true, right: true });
    w.text('USt', columns.vat, { bold: true, right: true });
    w.advance();
    w.rule();
  };
  head();
  for (const line of invoice.lines) {
    const pageBefore = w.page;
    w.text(line.id.slice(0, 6), columns.position);
    w.text(line.name.slice(0, 45), columns.name);
    w.text(`${germanNumber(line.quantity)} ${line.unitCode}`, columns.quantity, { right: true });
    w.text(germanNumber(line.netPrice, 2), columns.price, { right: true });
    w.text(germanNumber(line.netAmount, 2), columns.net, { right: true });
    w.text(
      line.vatRate === undefined ? line.vatCategoryCode : `${germanNumber(line.vatRate)} %`,
      columns.vat,
      { right: true },
    );
    w.advance();
    if (w.page !== pageBefore) head();
  }
  w.rule();
  w.advance();
}

function totals(w: Writer, invoice: En16931Invoice): void {
  const { totals: t, currency } = invoice;
  const row = (label: string, value: string | undefined, bold = false) => {
    if (value === undefined || value === '') return;
    w.text(label, columns.price, { bold, right: true });
    w.text(germanAmount(value, currency), columns.vat, { bold, right: true });
    w.advance();
  };
  row('Summe netto', t.lineNetTotal);
  row('Nachlässe', t.allowanceTotal);
  row('Zuschläge', t.chargeTotal);
  row('Gesamt netto', t.taxExclusiveTotal);
  for (const b of invoice.vatBreakdown)
    row(
      `USt ${b.categoryCode} ${b.rate === undefined ? '' : `${germanNumber(b.rate)} %`} auf ${germanAmount(b.taxableAmount, currency)}`,
      b.taxAmount,
    );
  row('Gesamtbetrag', t.taxInclusiveTotal, true);
  row('Bereits gezahlt', t.prepaidAmount);
  row('Zahlbetrag', t.payableAmount, true);
  w.advance();
}

function footer(w: Writer, invoice: En16931Invoice): void {
  const reasons = invoice.vatBreakdown.map((b) => b.exemptionReason).filter(Boolean);
  const transfer = invoice.payment?.creditTransfers?.[0];
  const texts = [
    invoice.paymentTerms,
    transfer &&
      `Bankverbindung: IBAN ${transfer.iban}${transfer.bic ? `, BIC ${transfer.bic}` : ''}`,
    invoice.payment?.remittanceInformation &&
      `Verwendungszweck: ${invoice.payment.remittanceInformation}`,
    ...reasons,
    ...(invoice.notes ?? []).map((note) => note.text),
  ];
  for (const text of texts.filter((value): value is string => !!value)) {
    for (let at = 0; at < text.length; at += 100) {
      w.text(text.slice(at, at + 100), margin);
      w.advance();
    }
  }
}

/** Draws the invoice onto new pages of the document. */
export function drawInvoice(document: PDFDocument, fonts: Fonts, invoice: En16931Invoice): void {
  const w = new Writer(document, fonts);
  header(w, invoice);
  lines(w, invoice);
  totals(w, invoice);
  footer(w, invoice);
}
