// Public surface of the approvals module (pure domain so far).
export * from './domain/gated-action.js';
export * from './domain/approval-errors.js';
export * from './domain/iso-duration.js';
export * from './domain/approval-policy.events.js';
export * from './domain/approval-policy.commands.js';
export * from './domain/approval-policy.decider.js';
export * from './domain/policy-matching.js';
export * from './domain/approval-request.events.js';
export * from './domain/approval-request.commands.js';
export * from './domain/approval-request.decider.js';
export * from './domain/approval-request.view.js';
export * from './domain/approval-delegation.events.js';
export * from './domain/approval-delegation.commands.js';
export * from './domain/approval-delegation.decider.js';
export * from './domain/approval-policy.schemas.js';
export * from './domain/approval-request.schemas.js';
export * from './domain/approval-delegation.schemas.js';
// Application (Nest): the module, the expiry scheduler tests trigger, and the read model.
export { ApprovalsModule } from './approvals.module.js';
export { ApprovalExpiryScheduler } from './application/approval-expiry.scheduler.js';
export { ApprovalPolicies } from './application/approval-policies.js';
export type { ApprovalPolicyListing } from './application/approval-policies.js';
export { ApprovalRequests } from './application/approval-requests.js';
export { approvalIdFor } from './application/approval-gate.js';
export {
  approvalExecutionReactorName,
  approvalsSystemActor,
} from './application/approval-execution.reactor.js';
export { ApprovalsReadModel } from './projections/approvals-read-model.js';
export { approvalsProjectionName } from './projections/approvals.projection.js';
