import { ValidationError } from '../../event-sourcing/index.js';

// EN 16931 totals in minor units (bigint): line net = quantity × unit price rounded half away
// from zero to the currency's minor unit; one tax group per tax code over the sum of its line
// nets, tax = base × rate / 100 rounded the same way; gross = net + Σ tax. No floating point.

/** A decimal string as an integer scaled by 10^scale ("1.25", scale 4 → 12500n). */
export interface Scaled {
  units: bigint;
  scale: number;
}

const decimalPattern = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/** A non-negative decimal string with at most `decimalsMax` fraction digits, or undefined. */
export function parseScaled(text: string, decimalsMax: number, integerDigitsMax = 18) {
  const match = typeof text === 'string' ? decimalPattern.exec(text) : null;
  if (!match) return undefined;
  const whole = match[1]!;
  const fraction = match[2] ?? '';
  if (fraction.length > decimalsMax || whole.length > integerDigitsMax) return undefined;
  return { units: BigInt(whole + fraction), scale: fraction.length } satisfies Scaled;
}

/** units / 10^drop rounded half away from zero ("kaufmännisch"). */
export function roundHalfAwayFromZero(units: bigint, drop: number): bigint {
  if (drop <= 0) return units * 10n ** BigInt(-drop);
  const divisor = 10n ** BigInt(drop);
  const magnitude = units < 0n ? -units : units;
  const rounded = (magnitude + divisor / 2n) / divisor;
  return units < 0n ? -rounded : rounded;
}

/** quantity × unit price in minor units of a currency with `digits` fraction digits. */
export function lineNetMinor(quantity: Scaled, unitPrice: Scaled, digits: number): bigint {
  return roundHalfAwayFromZero(
    quantity.units * unitPrice.units,
    quantity.scale + unitPrice.scale - digits,
  );
}

/** base × rate / 100 in minor units, the rate a decimal percentage ("19", "5.5"). */
export function taxMinor(baseMinor: bigint, ratePercent: Scaled): bigint {
  return roundHalfAwayFromZero(baseMinor * ratePercent.units, ratePercent.scale + 2);
}

export interface TotalsLine {
  quantity: string;
  unitPrice: string;
  taxCode: string;
  ratePercent: string;
}

export interface TaxTotal {
  taxCode: string;
  ratePercent: string;
  baseMinor: bigint;
  amountMinor: bigint;
}

export interface InvoiceTotals {
  lineNetsMinor: bigint[];
  netMinor: bigint;
  taxes: TaxTotal[];
  grossMinor: bigint;
}

function scaledOrThrow(text: string, decimalsMax: number, field: string): Scaled {
  const scaled = parseScaled(text, decimalsMax);
  if (!scaled)
    throw new ValidationError(`Invalid decimal ${JSON.stringify(text)}`, [
      {
        field,
        message: `expected a non-negative decimal string with at most ${decimalsMax} decimals`,
      },
    ]);
  return scaled;
}

/**
 * The totals of lines in a currency with `digits` minor-unit digits; tax groups in order of
 * first appearance. Inputs are validated by the caller; malformed decimals throw a ValidationError.
 */
export function invoiceTotals(lines: readonly TotalsLine[], digits: number): InvoiceTotals {
  const groups = new Map<string, { ratePercent: string; rate: Scaled; baseMinor: bigint }>();
  const lineNetsMinor = lines.map((line, index) => {
    const quantity = scaledOrThrow(line.quantity, 18, `lines[${index}].quantity`);
    const price = scaledOrThrow(line.unitPrice, 18, `lines[${index}].unitPrice`);
    const net = lineNetMinor(quantity, price, digits);
    const group = groups.get(line.taxCode) ?? {
      ratePercent: line.ratePercent,
      rate: scaledOrThrow(line.ratePercent, 18, `lines[${index}].taxCode`),
      baseMinor: 0n,
    };
    group.baseMinor += net;
    groups.set(line.taxCode, group);
    return net;
  });
  const taxes = [...groups].map(([taxCode, group]) => ({
    taxCode,
    ratePercent: group.ratePercent,
    baseMinor: group.baseMinor,
    amountMinor: taxMinor(group.baseMinor, group.rate),
  }));
  const netMinor = lineNetsMinor.reduce((sum, net) => sum + net, 0n);
  const grossMinor = taxes.reduce((sum, tax) => sum + tax.amountMinor, netMinor);
  return { lineNetsMinor, netMinor, taxes, grossMinor };
}
