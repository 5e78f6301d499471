/**
 * The billing module's pure public surface (no NestJS): invoice drafts, EN 16931 totals in
 * minor units, tax treatment, the issued-invoice event shapes and their EN 16931 mapping.
 * The Nest wiring is in billing.module.ts.
 */
export * from './domain/invoice-limits.js';
export * from './domain/invoice-totals.js';
export * from './domain/invoice-tax.js';
export * from './domain/invoice-errors.js';
export * from './domain/invoice-draft.js';
export * from './domain/invoice-draft.events.js';
export * from './domain/invoice-draft.decider.js';
export * from './domain/issued-documents.js';
export * from './domain/issue-invoice.js';
export * from './domain/en16931-mapping.js';
export * from './domain/billing.schemas.js';
