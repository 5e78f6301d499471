// Every limit an invoice or credit note is checked against (docs/billing.md names them too).

/** Lines per invoice or credit note. */
export const invoiceLinesMax = 1000;
/** Fraction digits of a line quantity ("3.1234"). */
export const quantityDecimalsMax = 4;
/** Fraction digits of a unit price ("22.375"); the line net is rounded to the currency. */
export const unitPriceDecimalsMax = 4;
/** Characters of a line description (BT-153 item name). */
export const lineDescriptionLengthMax = 500;
/** Characters of the invoice note (BT-22). */
export const invoiceNoteLengthMax = 2000;
/** Characters of a credit note's reason. */
export const creditNoteReasonLengthMax = 500;
/** Characters of the buyer reference / Leitweg-ID (BT-10). */
export const buyerReferenceLengthMax = 200;
/** Days of payment terms (issue date + days = due date). */
export const paymentTermsDaysMax = 365;
/** Integer digits of a quantity or unit price: keeps every product far below `amountMinorMax`. */
export const quantityIntegerDigitsMax = 9;
export const unitPriceIntegerDigitsMax = 12;
/** UN/ECE Recommendation 20/21 unit codes are 1–3 upper-case letters or digits ("C62", "HUR"). */
export const unitCodePattern = /^[A-Z0-9]{1,3}$/;
/** The unit when a line names none: C62 "one" (piece). */
export const unitCodeDefault = 'C62';
