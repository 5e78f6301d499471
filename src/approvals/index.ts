/**
 * The approvals module's pure public surface (no NestJS): its events, commands, deciders, views
 * and schemas. The Nest wiring (ApprovalsModule and the services it exports) is reached through
 * approvals.module.ts.
 */
export * from './domain/gated-action.js';
export * from './domain/approval-errors.js';
export * from './domain/iso-duration.js';
export * from './domain/approval-policy.events.js';
export * from './domain/approval-policy.commands.js';
export * from './domain/approval-policy.decider.js';
export * from './domain/policy-matching.js';
export * from './domain/approval-request.events.js';
export * from './domain/approval-request.commands.js';
export * from './domain/approval-request.state.js';
export * from './domain/approval-request.decider.js';
export * from './domain/approval-request.view.js';
export * from './domain/approval-delegation.events.js';
export * from './domain/approval-delegation.commands.js';
export * from './domain/approval-delegation.decider.js';
export * from './domain/approval-policy.schemas.js';
export * from './domain/approval-request.schemas.js';
export * from './domain/approval-delegation.schemas.js';
