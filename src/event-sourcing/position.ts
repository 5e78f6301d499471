/**
 * The largest global log position Kontor accepts or hands out: positions leave as JSON numbers,
 * exact up to 2^53 − 1 (far below the stores' 2^63 − 1, and a billion events a day for
 * 24,000 years). A position given from outside (fromPosition, consistentWith, Last-Event-ID,
 * cursors, --until-position, digests) above it is a validation error, never a driver RangeError.
 */
export const positionMax = BigInt(Number.MAX_SAFE_INTEGER);

const decimalPosition = /^\d{1,16}$/;

/** What a position given from outside must be, for error messages. */
export const positionExpected = `an integer from 0 to ${positionMax}`;

/** Decimal text → a position from 0 to positionMax, or undefined when it is not one. */
export function parsePosition(text: string): bigint | undefined {
  if (!decimalPosition.test(text)) return undefined;
  const position = BigInt(text);
  return position <= positionMax ? position : undefined;
}
