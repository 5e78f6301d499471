/**
 * The audit module's pure public surface (no NestJS): the audit entry, the export events and
 * schemas, digests. The Nest wiring (AuditModule) is reached through audit.module.ts.
 */
export { summarizeEvent } from './domain/audit-summary.js';
export { toAuditEntry, matchesAuditFilter } from './domain/audit-entry.js';
export type { AuditEntry, AuditFilter } from './domain/audit-entry.js';
export { auditExportsStreamId, auditExportEventTypes } from './domain/audit-export.events.js';
export type {
  AuditExportEvent,
  AuditTrailExported,
  AuditTrailExportStarted,
} from './domain/audit-export.events.js';
export { auditExportEventSchemas } from './domain/audit-export.schemas.js';
export { parseDigest, formatDigest } from './domain/digest.js';
export type { KeptDigest } from './domain/digest.js';
export { verifyDigest } from './application/verify-digest.js';
