import { canonicalDecimal } from '../decimal.js';
import type { Decimal } from '../en16931.model.js';

// A failed business rule: its id as EN 16931-1 (BR-…), XRechnung (BR-DE-…) or PEPPOL name it,
// and a message that says which values broke it.

export interface RuleViolation {
  rule: string;
  message: string;
}

export type Rule = (id: string, failed: boolean, message: () => string) => void;

/** A collector: rule(id, failed, message) records the violation when `failed`. */
export function collector(): { rule: Rule; violations: RuleViolation[] } {
  const violations: RuleViolation[] = [];
  return {
    violations,
    rule: (id, failed, message) => {
      if (failed) violations.push({ rule: id, message: message() });
    },
  };
}

export function missing(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

/** Whether a value is a usable decimal (readers leave '' for an absent mandatory amount). */
export function isAmount(value: Decimal | undefined): value is Decimal {
  return value !== undefined && value !== '' && canonicalDecimal(value) !== undefined;
}
