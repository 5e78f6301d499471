import { EventSchema } from '../../event-sourcing/index.js';
import { csvDialects } from '../../event-sourcing/csv/index.js';
import { auditExportFormats } from './audit-export-format.js';
import { AuditExportEvent } from './audit-export.events.js';

const started = {
  exportId: { type: 'string', minLength: 1 },
  format: { enum: [...auditExportFormats] },
  filter: { type: 'object', additionalProperties: { type: 'string' } },
  untilPosition: { type: 'string', pattern: '^\\d+$' },
};
const optional = { dialect: { enum: [...csvDialects] } };

export const auditExportEventSchemas: readonly (EventSchema & {
  type: AuditExportEvent['type'];
})[] = [
  {
    type: 'AuditTrailExportStarted',
    schemaVersion: 1,
    description: 'Someone started exporting the audit trail (before the first byte was sent).',
    schema: {
      type: 'object',
      required: Object.keys(started),
      additionalProperties: false,
      properties: { ...started, ...optional },
    },
  },
  {
    type: 'AuditTrailExported',
    schemaVersion: 1,
    description:
      'An audit export ended: its row count and the sha256 of the whole file (GET /v1/audit/exports/:id), or completed=false when the reader went away.',
    schema: {
      type: 'object',
      required: [...Object.keys(started), 'completed', 'rowCount', 'sha256'],
      additionalProperties: false,
      properties: {
        ...started,
        ...optional,
        completed: { type: 'boolean' },
        rowCount: { type: 'integer', minimum: 0 },
        sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      },
    },
  },
];
