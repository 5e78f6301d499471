import { DomainError, FieldError } from '../../event-sourcing/index.js';

/** 422 `business-rule`: a rule of invoicing (§ 14 UStG, the book's currency, tax codes) fails. */
export class InvoiceRuleError extends DomainError {
  constructor(message: string, fieldErrors?: FieldError[]) {
    super('business-rule', message, fieldErrors);
  }
}
