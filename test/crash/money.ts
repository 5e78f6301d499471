/**
 * The harness's own money arithmetic (independent of src/): decimal strings at the API, bigint
 * minor units in the sums the checks compare against.
 */
export const crashCurrencies = ['EUR', 'USD', 'JPY'] as const;
export type CrashCurrency = (typeof crashCurrencies)[number];

const minorDigits: Record<CrashCurrency, number> = { EUR: 2, USD: 2, JPY: 0 };

export function formatMinor(minor: bigint, currency: CrashCurrency): string {
  const digits = minorDigits[currency];
  const sign = minor < 0n ? '-' : '';
  const magnitude = (minor < 0n ? -minor : minor).toString().padStart(digits + 1, '0');
  return digits === 0
    ? `${sign}${magnitude}`
    : `${sign}${magnitude.slice(0, -digits)}.${magnitude.slice(-digits)}`;
}

/** Parses what the API answers ("-1234.56", "1234"); refuses anything else. */
export function parseMinor(text: string, currency: string): bigint {
  const digits = minorDigits[currency as CrashCurrency];
  if (digits === undefined) throw new Error(`the crash harness does not know ${currency}`);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match || (match[3] ?? '').length > digits)
    throw new Error(`not a ${currency} amount: ${JSON.stringify(text)}`);
  const minor = BigInt(match[2]! + (match[3] ?? '').padEnd(digits, '0'));
  return match[1] === '-' ? -minor : minor;
}
