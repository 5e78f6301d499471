// The EN 16931 semantic model of an invoice or credit note, free of any syntax (UBL, CII).
// Field comments name the business term (BT-n) or group (BG-n) of EN 16931-1:2017, so a
// reader can look each one up in the standard or in the XRechnung 3.0 specification.

/**
 * A canonical decimal string: an optional '-', digits without leading zeros, and an optional
 * fraction without trailing zeros ("1234.56", "3.5", "0", "-12.3"). Amounts, quantities, prices
 * and rates are always carried this way, never as numbers; see decimal.ts for arithmetic.
 */
export type Decimal = string;

/** A calendar date, ISO 8601 "YYYY-MM-DD". */
export type IsoDate = string;

/**
 * UNTDID 1001 document type (BT-3): 380 commercial invoice, 381 credit note; incoming invoices
 * may also carry 384 (corrected invoice), 389 (self-billed), 326 (partial), 875/876/877.
 */
export type InvoiceTypeCode = string;

/** The type codes Kontor issues: 380 invoice, 381 credit note. */
export const issuedTypeCodes = ['380', '381'] as const;

/** UNTDID 5305 VAT category (BT-95, BT-102, BT-118, BT-151). */
export type VatCategoryCode = 'S' | 'Z' | 'E' | 'AE' | 'K' | 'G' | 'O' | 'L' | 'M';

export const vatCategoryCodes: readonly VatCategoryCode[] = [
  'S',
  'Z',
  'E',
  'AE',
  'K',
  'G',
  'O',
  'L',
  'M',
];

/** BG-5 / BG-8 / BG-12 / BG-15 postal address. */
export interface PostalAddress {
  line1?: string; // BT-35 / BT-50
  line2?: string; // BT-36 / BT-51
  line3?: string; // BT-162 / BT-163
  city?: string; // BT-37 / BT-52
  postCode?: string; // BT-38 / BT-53
  countrySubdivision?: string; // BT-39 / BT-54
  countryCode: string; // BT-40 / BT-55, ISO 3166-1 alpha-2
}

/** BT-34 / BT-49 electronic address with its scheme (EAS code: "EM" e-mail, "9930", "0204"). */
export interface ElectronicAddress {
  value: string;
  scheme: string;
}

/** An identifier with an optional scheme (ISO 6523 ICD, e.g. "0088" GLN). */
export interface SchemedId {
  id: string;
  scheme?: string;
}

/** BG-6 seller contact / BG-9 buyer contact; XRechnung requires all three for the seller. */
export interface Contact {
  name?: string; // BT-41 / BT-56
  phone?: string; // BT-42 / BT-57
  email?: string; // BT-43 / BT-58
}

/** BG-4 seller. */
export interface Seller {
  name: string; // BT-27 (registration name)
  tradingName?: string; // BT-28
  identifiers?: SchemedId[]; // BT-29
  legalRegistrationId?: SchemedId; // BT-30 (e.g. Handelsregister "HRB 1234")
  vatId?: string; // BT-31 (USt-IdNr., "DE123456789")
  taxNumber?: string; // BT-32 (Steuernummer, scheme "FC")
  additionalLegalInfo?: string; // BT-33
  electronicAddress?: ElectronicAddress; // BT-34
  address: PostalAddress; // BG-5
  contact?: Contact; // BG-6
}

/** BG-7 buyer. */
export interface Buyer {
  name: string; // BT-44
  tradingName?: string; // BT-45
  identifier?: SchemedId; // BT-46
  legalRegistrationId?: SchemedId; // BT-47
  vatId?: string; // BT-48
  electronicAddress?: ElectronicAddress; // BT-49
  address: PostalAddress; // BG-8
  contact?: Contact; // BG-9
}

/** BG-10 payee, when it differs from the seller. */
export interface Payee {
  name: string; // BT-59
  identifier?: SchemedId; // BT-60
  legalRegistrationId?: SchemedId; // BT-61
}

/** BG-11 seller tax representative. */
export interface TaxRepresentative {
  name: string; // BT-62
  vatId: string; // BT-63
  address: PostalAddress; // BG-12
}

/** BG-13 delivery information. */
export interface Delivery {
  partyName?: string; // BT-70
  locationId?: SchemedId; // BT-71
  date?: IsoDate; // BT-72 actual delivery date
  address?: PostalAddress; // BG-15
}

/** BG-14 invoicing period / BG-26 line period. */
export interface Period {
  start?: IsoDate; // BT-73 / BT-134
  end?: IsoDate; // BT-74 / BT-135
}

/** BG-17 credit transfer. */
export interface CreditTransfer {
  iban: string; // BT-84 (payment account identifier; an IBAN for SEPA)
  accountName?: string; // BT-85
  bic?: string; // BT-86
}

/** BG-19 direct debit. */
export interface DirectDebit {
  mandateReference?: string; // BT-89
  creditorId?: string; // BT-90
  debitedAccount?: string; // BT-91
}

/** BG-16 payment instructions. */
export interface PaymentInstructions {
  meansCode: string; // BT-81, UNTDID 4461 (58 SEPA credit transfer, 59 SEPA direct debit, 30, 48...)
  meansText?: string; // BT-82
  remittanceInformation?: string; // BT-83 (Verwendungszweck)
  creditTransfers?: CreditTransfer[]; // BG-17
  cardAccount?: { accountNumber: string; holderName?: string }; // BG-18 (BT-87, BT-88)
  directDebit?: DirectDebit; // BG-19
}

/** BG-3 preceding invoice reference (a credit note names the invoice it corrects). */
export interface PrecedingInvoice {
  number: string; // BT-25
  issueDate?: IsoDate; // BT-26
}

/** BT-21 / BT-22 invoice note with its optional UNTDID 4451 subject code. */
export interface InvoiceNote {
  text: string; // BT-22
  subjectCode?: string; // BT-21
}

/** BG-20 document allowance / BG-21 document charge. */
export interface DocumentAllowanceCharge {
  isCharge: boolean; // false: allowance (BG-20), true: charge (BG-21)
  amount: Decimal; // BT-92 / BT-99
  baseAmount?: Decimal; // BT-93 / BT-100
  percentage?: Decimal; // BT-94 / BT-101
  vatCategoryCode: VatCategoryCode; // BT-95 / BT-102
  vatRate?: Decimal; // BT-96 / BT-103
  reason?: string; // BT-97 / BT-104
  reasonCode?: string; // BT-98 / BT-105
}

/** BG-27 line allowance / BG-28 line charge. */
export interface LineAllowanceCharge {
  isCharge: boolean;
  amount: Decimal; // BT-136 / BT-141
  baseAmount?: Decimal; // BT-137 / BT-142
  percentage?: Decimal; // BT-138 / BT-143
  reason?: string; // BT-139 / BT-144
  reasonCode?: string; // BT-140 / BT-145
}

/** BG-32 item attribute. */
export interface ItemAttribute {
  name: string; // BT-160
  value: string; // BT-161
}

/** BG-25 invoice line. */
export interface InvoiceLine {
  id: string; // BT-126
  note?: string; // BT-127
  quantity: Decimal; // BT-129 (up to 4 decimals when Kontor issues it)
  unitCode: string; // BT-130, UN/ECE Rec 20/21 ("C62" piece, "HUR" hour, "XPP" package)
  netAmount: Decimal; // BT-131 = quantity × net price / base quantity + charges − allowances
  period?: Period; // BG-26
  orderLineReference?: string; // BT-132
  buyerAccountingReference?: string; // BT-133
  allowancesCharges?: LineAllowanceCharge[]; // BG-27 / BG-28
  netPrice: Decimal; // BT-146
  priceDiscount?: Decimal; // BT-147
  grossPrice?: Decimal; // BT-148
  priceBaseQuantity?: Decimal; // BT-149
  priceBaseUnitCode?: string; // BT-150
  vatCategoryCode: VatCategoryCode; // BT-151
  vatRate?: Decimal; // BT-152 (absent for category O)
  name: string; // BT-153
  description?: string; // BT-154
  sellerItemId?: string; // BT-155
  buyerItemId?: string; // BT-156
  standardItemId?: SchemedId; // BT-157
  classifications?: SchemedId[]; // BT-158 (scheme = list id)
  originCountry?: string; // BT-159
  attributes?: ItemAttribute[]; // BG-32
}

/** BG-23 VAT breakdown, one per category and rate. */
export interface VatBreakdown {
  categoryCode: VatCategoryCode; // BT-118
  rate?: Decimal; // BT-119 (absent for category O)
  taxableAmount: Decimal; // BT-116
  taxAmount: Decimal; // BT-117
  exemptionReason?: string; // BT-120 (AE, K, E, G, O, Z: why no VAT is charged)
  exemptionReasonCode?: string; // BT-121 (VATEX code, e.g. "VATEX-EU-AE")
}

/** BG-22 document totals. */
export interface DocumentTotals {
  lineNetTotal: Decimal; // BT-106 = Σ BT-131
  allowanceTotal?: Decimal; // BT-107 = Σ BT-92
  chargeTotal?: Decimal; // BT-108 = Σ BT-99
  taxExclusiveTotal: Decimal; // BT-109 = BT-106 − BT-107 + BT-108
  vatTotal?: Decimal; // BT-110 = Σ BT-117
  taxInclusiveTotal: Decimal; // BT-112 = BT-109 + BT-110
  prepaidAmount?: Decimal; // BT-113
  roundingAmount?: Decimal; // BT-114
  payableAmount: Decimal; // BT-115 = BT-112 − BT-113 + BT-114
}

/** An EN 16931 invoice (BT-3 380 …) or credit note (BT-3 381). */
export interface En16931Invoice {
  customizationId: string; // BT-24 (specification identifier)
  profileId?: string; // BT-23 (business process)
  number: string; // BT-1
  issueDate: IsoDate; // BT-2
  typeCode: InvoiceTypeCode; // BT-3
  currency: string; // BT-5, ISO 4217
  taxPointDate?: IsoDate; // BT-7
  dueDate?: IsoDate; // BT-9
  buyerReference?: string; // BT-10 (Leitweg-ID for German public buyers)
  projectReference?: string; // BT-11
  contractReference?: string; // BT-12
  purchaseOrderReference?: string; // BT-13
  salesOrderReference?: string; // BT-14
  notes?: InvoiceNote[]; // BT-21 / BT-22
  precedingInvoices?: PrecedingInvoice[]; // BG-3
  invoicingPeriod?: Period; // BG-14
  seller: Seller; // BG-4
  buyer: Buyer; // BG-7
  payee?: Payee; // BG-10
  taxRepresentative?: TaxRepresentative; // BG-11
  delivery?: Delivery; // BG-13
  payment?: PaymentInstructions; // BG-16
  paymentTerms?: string; // BT-20
  allowancesCharges?: DocumentAllowanceCharge[]; // BG-20 / BG-21
  totals: DocumentTotals; // BG-22
  vatBreakdown: VatBreakdown[]; // BG-23
  lines: InvoiceLine[]; // BG-25
}

/** BT-24 for XRechnung 3.0. */
export const xrechnungCustomizationId =
  'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0';

/** BT-23 for the PEPPOL BIS Billing process, the default XRechnung business process. */
export const peppolBillingProfileId = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';
