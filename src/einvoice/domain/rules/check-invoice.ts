import type { En16931Invoice } from '../en16931.model.js';
import { checkArithmetic } from './arithmetic-rules.js';
import { collector, type RuleViolation } from './rule.js';
import { checkStructure } from './structure-rules.js';
import { checkVatCategories } from './vat-rules.js';
import { checkXrechnung, isXrechnung } from './xrechnung-rules.js';

/**
 * Every failed rule of the invoice, each with its id: EN 16931 mandatory fields and calculation
 * rules, the VAT category rules of S, Z, E, AE, K, G, O, the line net (PEPPOL-EN16931-R120),
 * and the XRechnung BR-DE rules when BT-24 names XRechnung. An empty list: every checked rule
 * holds. Not the full KoSIT Schematron (see docs/einvoice.md).
 */
export function checkInvoiceRules(invoice: En16931Invoice): RuleViolation[] {
  const { rule, violations } = collector();
  checkStructure(invoice, rule);
  checkArithmetic(invoice, rule);
  checkVatCategories(invoice, rule);
  if (isXrechnung(invoice)) checkXrechnung(invoice, rule);
  return violations;
}
