/** The audit module's public surface. */
export { AuditModule } from './audit.module.js';
