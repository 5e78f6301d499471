/** The audit module's public surface. */
export { AuditModule } from './audit.module.js';
export {
  auditTrailProjection,
  auditTrailProjectionName,
} from './projections/audit-trail.projection.js';
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
