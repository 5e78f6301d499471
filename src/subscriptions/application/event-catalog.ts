import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { apiKeyEventSchemas } from '../../access/index.js';
import { auditExportEventSchemas } from '../../audit/index.js';
import {
  approvalDelegationEventSchemas,
  approvalPolicyEventSchemas,
  approvalRequestEventSchemas,
} from '../../approvals/index.js';
import { EventSchema } from '../../event-sourcing/index.js';
// Imported before the catalog is built: it registers billing's document types with the ledger.
import { billingEventSchemas } from '../../billing/index.js';
import { bookEventSchemas, documentEventSchemas } from '../../ledger/index.js';
import { partyEventSchemas } from '../../parties/index.js';
import { documentEventSchemas as vaultEventSchemas } from '../../documents/index.js';
// Importing payables registers IncomingInvoiceBooked first.
import { incomingInvoiceEventSchemas } from '../../payables/index.js';
import { webhookEventSchemas } from '../domain/webhook.schemas.js';
// Importing banking registers its document types (PaymentReceived, DunningRunConfirmed) first.
import {
  bankStatementEventSchemas,
  dunningEventSchemas,
  paymentRunEventSchemas,
} from '../../banking/index.js';
import { datevEventSchemas } from '../../compliance/index.js';

/**
 * Every event type of every module, per schema version: the public vocabulary. The document
 * types registered with the ledger (registerDocumentType, docs/adr/0008) join at construction.
 */
export const eventSchemas: readonly EventSchema[] = [
  ...bookEventSchemas,
  ...approvalPolicyEventSchemas,
  ...approvalRequestEventSchemas,
  ...approvalDelegationEventSchemas,
  ...apiKeyEventSchemas,
  ...auditExportEventSchemas,
  ...webhookEventSchemas,
  ...billingEventSchemas,
  ...dunningEventSchemas,
  ...paymentRunEventSchemas,
  ...bankStatementEventSchemas,
  ...partyEventSchemas,
  ...vaultEventSchemas,
  ...incomingInvoiceEventSchemas,
  ...datevEventSchemas,
];

export interface EventSchemaDocument {
  type: string;
  schemaVersion: number;
  description: string;
  /** `kontor.<type>.v<schemaVersion>`: the CloudEvents `type` of these events. */
  cloudEventType: string;
  schema: Record<string, unknown>;
}

export type CatalogCheck = { ok: true } | { ok: false; reason: string };

const jsonSchemaDialect = 'http://json-schema.org/draft-07/schema#';

function catalogKey(type: string, schemaVersion: number): string {
  return `${type}@${schemaVersion}`;
}

export function cloudEventTypeOf(type: string, schemaVersion: number): string {
  return `kontor.${type}.v${schemaVersion}`;
}

/** The schemas compiled once; validates the `data` of an event of a given type and version. */
export class EventCatalog {
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly documents: EventSchemaDocument[];

  constructor(schemas: readonly EventSchema[] = [...eventSchemas, ...documentEventSchemas()]) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    this.documents = [...schemas]
      .sort((a, b) => a.type.localeCompare(b.type) || a.schemaVersion - b.schemaVersion)
      .map((entry) => ({
        type: entry.type,
        schemaVersion: entry.schemaVersion,
        description: entry.description,
        cloudEventType: cloudEventTypeOf(entry.type, entry.schemaVersion),
        schema: {
          $schema: jsonSchemaDialect,
          title: `${entry.type} v${entry.schemaVersion}`,
          ...entry.schema,
        },
      }));
    for (const document of this.documents) {
      const key = catalogKey(document.type, document.schemaVersion);
      if (this.validators.has(key)) throw new Error(`two schemas for ${key}`);
      this.validators.set(key, ajv.compile(document.schema));
    }
  }

  list(): readonly EventSchemaDocument[] {
    return this.documents;
  }

  has(type: string, schemaVersion = 1): boolean {
    return this.validators.has(catalogKey(type, schemaVersion));
  }

  check(event: { type: string; schemaVersion?: number; data: unknown }): CatalogCheck {
    const validate = this.validators.get(catalogKey(event.type, event.schemaVersion ?? 1));
    if (!validate)
      return { ok: false, reason: `no schema for ${event.type} v${event.schemaVersion ?? 1}` };
    if (validate(event.data)) return { ok: true };
    return { ok: false, reason: describeErrors(validate.errors ?? []) };
  }
}

function describeErrors(errors: ErrorObject[]): string {
  return errors
    .map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`)
    .join('; ');
}
