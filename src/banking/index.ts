/**
 * The banking module's pure surface: open items, aging, reconciliation and payment planning
 * (no NestJS). The Nest wiring (BankingModule, the read model, the ports) is in banking.module.ts.
 */
export * from './domain/open-items.js';
export * from './domain/aging.js';
export * from './domain/payment.js';
export * from './domain/reconciliation.js';
export * from './domain/banking.schemas.js';
export * from './dunning/domain/dunning.js';
export * from './dunning/domain/dunning.events.js';
export * from './dunning/domain/dunning-settings.js';
export * from './dunning/domain/dunning.schemas.js';
export * from './payment-runs/domain/payment-runs.decider.js';
export * from './payment-runs/domain/payment-selection.js';
export * from './payment-runs/domain/payment-runs.schemas.js';
export { bankStatementEventSchemas } from './statements/bank-statement.schemas.js';
