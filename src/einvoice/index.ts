// The e-invoice format module: the EN 16931 model, its rule checks, and the UBL / CII /
// Factur-X adapters. Pure functions over bytes and plain objects; no framework, no database.
export * from './domain/en16931.model.js';
export * from './domain/decimal.js';
export * from './adapters/invoice-read-error.js';
export { xmlLimits } from './adapters/safe-xml.js';
export { readInvoiceXml, type InvoiceSyntax, type ReadInvoice } from './adapters/read-invoice.js';
export { renderUbl } from './adapters/ubl-writer.js';
export { renderCii } from './adapters/cii-writer.js';
export { checkInvoiceRules } from './domain/rules/check-invoice.js';
export type { RuleViolation } from './domain/rules/rule.js';
export { expectedLineNet, lineNetToleranceAmount } from './domain/rules/arithmetic-rules.js';
export { expectedTaxAmount } from './domain/rules/vat-rules.js';
export { xrechnungTypeCodes, isXrechnung } from './domain/rules/xrechnung-rules.js';
export {
  renderFacturXPdf,
  facturXFileName,
  facturXConformanceLevel,
} from './adapters/facturx-pdf.js';
export {
  extractEmbeddedInvoiceXml,
  readInvoicePdf,
  pdfLimits,
  embeddedInvoiceFileNames,
} from './adapters/facturx-extract.js';
export { readIncomingInvoice, type IncomingInvoice } from './adapters/read-incoming.js';
export { renderXrechnung } from './adapters/render-xrechnung.js';
export {
  lineNetAmount,
  vatBreakdownOf,
  documentTotalsOf,
  type ExemptionReason,
} from './domain/totals.js';
export { parseXmlSafely, type ParsedXml } from './adapters/safe-xml.js';
export {
  child,
  children,
  text as xmlText,
  attribute as xmlAttribute,
} from './adapters/xml-node.js';
export type { XmlNode } from './adapters/xml-node.js';
export {
  group as xmlGroup,
  leaf as xmlLeaf,
  serializeXml,
  type XmlChild,
  type XmlElement,
} from './adapters/xml-tree.js';
