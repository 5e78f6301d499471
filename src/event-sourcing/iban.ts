import { ValidationErrorsIBAN, electronicFormatIBAN, validateIBAN } from 'ibantools';

/** The IBAN in electronic format (no spaces, upper case). */
export function normalizeIban(value: string): string {
  return electronicFormatIBAN(value) ?? value;
}

const ibanErrorText: Partial<Record<ValidationErrorsIBAN, string>> = {
  [ValidationErrorsIBAN.NoIBANCountry]: 'starts with no known IBAN country code',
  [ValidationErrorsIBAN.WrongBBANLength]: "has the wrong length for its country's IBAN",
  [ValidationErrorsIBAN.WrongBBANFormat]: "does not have its country's IBAN format",
  [ValidationErrorsIBAN.ChecksumNotNumber]: 'has no numeric check digits (positions 3–4)',
  [ValidationErrorsIBAN.WrongIBANChecksum]: 'fails the IBAN checksum (a typing error?)',
  [ValidationErrorsIBAN.WrongAccountBankBranchChecksum]: "fails its country's bank/branch checksum",
};

/** Why an (electronic format) IBAN is not valid (ISO 13616 format and mod-97 checksum), or undefined. */
export function ibanProblem(iban: string): string | undefined {
  const result = validateIBAN(iban);
  if (result.valid) return undefined;
  const reasons = result.errorCodes.map((code) => ibanErrorText[code]).filter(Boolean);
  return `is not a valid IBAN: ${reasons.length > 0 ? reasons.join(', ') : 'check it'} (e.g. DE89370400440532013000)`;
}
