import type { Decimal } from './en16931.model.js';

// Exact decimal arithmetic on canonical decimal strings through bigint scaled integers: a value
// v with scale s is the integer v × 10^s. No floating point anywhere.

const decimalText = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** A number as written in XML ("336.90", "+1", "30.00000", ".5") in canonical form, or undefined. */
export function canonicalDecimal(text: string): Decimal | undefined {
  const match = decimalText.exec(text.trim());
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = ''] = match;
  if (whole === '' && fraction === '') return undefined;
  const scaled = BigInt(`${whole}${fraction}` || '0');
  return scaledToDecimal(sign === '-' ? -scaled : scaled, fraction.length);
}

/** Whether text already is a canonical decimal. */
export function isCanonicalDecimal(text: string): boolean {
  return canonicalDecimal(text) === text;
}

/** The number of fraction digits of a decimal ("1.25" → 2, "3" → 0). */
export function fractionDigits(value: Decimal): number {
  const dot = value.indexOf('.');
  return dot < 0 ? 0 : value.length - dot - 1;
}

/** The integer value × 10^scale; throws RangeError when the value has more fraction digits. */
export function decimalToScaled(value: Decimal, scale: number): bigint {
  const canonical = canonicalDecimal(value);
  if (canonical === undefined) throw new RangeError(`not a decimal: "${value}"`);
  const digits = fractionDigits(canonical);
  if (digits > scale) throw new RangeError(`${value} has more than ${scale} fraction digits`);
  const negative = canonical.startsWith('-');
  const [whole = '0', fraction = ''] = canonical.replace('-', '').split('.');
  const scaled = BigInt(`${whole}${fraction.padEnd(scale, '0')}`);
  return negative ? -scaled : scaled;
}

/** The canonical decimal of units / 10^scale. */
export function scaledToDecimal(units: bigint, scale: number): Decimal {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  const body = fraction === '' ? whole : `${whole}.${fraction}`;
  return negative && body !== '0' ? `-${body}` : body;
}

/** units / 10^drop rounded half away from zero (the commercial rounding EN 16931 assumes). */
export function roundScaled(units: bigint, drop: number): bigint {
  if (drop <= 0) return units * 10n ** BigInt(-drop);
  const divisor = 10n ** BigInt(drop);
  const magnitude = units < 0n ? -units : units;
  const rounded = (magnitude + divisor / 2n) / divisor;
  return units < 0n ? -rounded : rounded;
}

/** The value rounded half away from zero to `scale` fraction digits. */
export function roundDecimal(value: Decimal, scale: number): Decimal {
  const digits = fractionDigits(value);
  if (digits <= scale) return value;
  return scaledToDecimal(roundScaled(decimalToScaled(value, digits), digits - scale), scale);
}

function commonScale(values: readonly Decimal[]): number {
  return Math.max(0, ...values.map(fractionDigits));
}

/** The exact sum. */
export function addDecimals(...values: Decimal[]): Decimal {
  const scale = commonScale(values);
  const sum = values.reduce((total, value) => total + decimalToScaled(value, scale), 0n);
  return scaledToDecimal(sum, scale);
}

/** The exact difference a − b. */
export function subtractDecimals(a: Decimal, b: Decimal): Decimal {
  return addDecimals(a, negateDecimal(b));
}

/** −value. */
export function negateDecimal(value: Decimal): Decimal {
  if (value === '0') return value;
  return value.startsWith('-') ? value.slice(1) : `-${value}`;
}

/** The exact product. */
export function multiplyDecimals(a: Decimal, b: Decimal): Decimal {
  const scaleA = fractionDigits(a);
  const scaleB = fractionDigits(b);
  return scaledToDecimal(decimalToScaled(a, scaleA) * decimalToScaled(b, scaleB), scaleA + scaleB);
}

/** a / b rounded half away from zero to `scale` fraction digits; throws on b = 0. */
export function divideDecimals(a: Decimal, b: Decimal, scale: number): Decimal {
  const scaleA = fractionDigits(a);
  const scaleB = fractionDigits(b);
  const divisor = decimalToScaled(b, scaleB);
  if (divisor === 0n) throw new RangeError('division by zero');
  // a / b = (A / 10^sa) / (B / 10^sb); compute with two guard digits, then round.
  const shift = scale + 2 + scaleB - scaleA;
  const numerator = decimalToScaled(a, scaleA) * 10n ** BigInt(Math.max(shift, 0));
  const quotient = numerator / divisor / 10n ** BigInt(Math.max(-shift, 0));
  return scaledToDecimal(roundScaled(quotient, 2), scale);
}

/** −1, 0 or 1 as a < b, a = b, a > b. */
export function compareDecimals(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const scale = commonScale([a, b]);
  const difference = decimalToScaled(a, scale) - decimalToScaled(b, scale);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** The value with at least `minFractionDigits` digits after the point, for writing XML/PDF. */
export function formatDecimal(value: Decimal, minFractionDigits: number): string {
  const digits = fractionDigits(value);
  if (digits >= minFractionDigits) return value;
  const padded = `${digits === 0 ? `${value}.` : value}${'0'.repeat(minFractionDigits - digits)}`;
  return minFractionDigits === 0 ? value : padded;
}
