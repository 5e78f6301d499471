import type { VatCategoryCode } from '../../einvoice/index.js';

// How a book's tax code (src/ledger's `taxCodeOn` result) reads on an invoice: its EN 16931
// VAT category, and the note § 14a UStG requires for reverse charge and intra-EU supplies.

/** The fields of a tax code billing relies on (structurally the ledger's `taxCodeOn` result). */
export interface InvoiceTaxCode {
  code: string;
  name?: string;
  kind: string;
  ratePercent: string;
  outputAccount?: string;
  revenueAccount?: string;
}

export interface VatTreatment {
  category: VatCategoryCode;
  /** BT-120 / BT-121: the reason no VAT is charged (required for AE, K, E, G, O). */
  exemption?: { reason: string; code: string };
  /** Both the seller's and the buyer's VAT id must be on the invoice (§ 14a Abs. 1, 3 UStG). */
  needsBothVatIds: boolean;
}

export const reverseChargeNote = 'Steuerschuldnerschaft des Leistungsempfängers (§ 13b UStG)';
export const intraEuSupplyNote =
  'Steuerfreie innergemeinschaftliche Lieferung (§ 4 Nr. 1 Buchst. b, § 6a UStG)';
export const exportNote = 'Steuerfreie Ausfuhrlieferung (§ 4 Nr. 1 Buchst. a, § 6 UStG)';
export const exemptNote = 'Steuerfreie Leistung (§ 4 UStG)';

const byCode: Record<string, VatTreatment> = {
  RC13b: {
    category: 'AE',
    exemption: { reason: reverseChargeNote, code: 'VATEX-EU-AE' },
    needsBothVatIds: true,
  },
  IGL: {
    category: 'K',
    exemption: { reason: intraEuSupplyNote, code: 'VATEX-EU-IC' },
    needsBothVatIds: true,
  },
};

const byKind: Record<string, VatTreatment> = {
  'reverse-charge': byCode.RC13b!,
  'intra-eu-supply': byCode.IGL!,
  export: {
    category: 'G',
    exemption: { reason: exportNote, code: 'VATEX-EU-G' },
    needsBothVatIds: false,
  },
  exempt: {
    category: 'E',
    exemption: { reason: exemptNote, code: 'VATEX-EU-132' },
    needsBothVatIds: false,
  },
};

/**
 * The VAT treatment of a tax code: RC13b / IGL (or a kind naming reverse charge / intra-EU
 * supply, export, exemption) as above; otherwise a positive rate is standard-rated (S) and
 * 0 % zero-rated (Z, e.g. § 12 Abs. 3 UStG). Undefined for a code that is not output tax.
 */
export function vatTreatmentOf(taxCode: InvoiceTaxCode): VatTreatment | undefined {
  const known = byCode[taxCode.code] ?? byKind[taxCode.kind];
  if (known) return known;
  if (/input|vorsteuer|acquisition/i.test(taxCode.kind)) return undefined;
  const zero = /^0+(\.0+)?$/.test(taxCode.ratePercent);
  return { category: zero ? 'Z' : 'S', needsBothVatIds: false };
}

/**
 * The rate the invoice charges: the code's rate for S and Z; 0 for reverse charge, intra-EU
 * supply, export and exemptions (the chart's RC13b carries 19 %: the rate the recipient owes).
 */
export function invoiceRateOf(taxCode: InvoiceTaxCode): string {
  const category = vatTreatmentOf(taxCode)?.category;
  return category === 'S' || category === 'Z' ? taxCode.ratePercent : '0';
}
