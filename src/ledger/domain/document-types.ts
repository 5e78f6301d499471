import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { EventSchema, assert } from '../../event-sourcing/index.js';
import { isBookEventType } from './book.events.js';

/**
 * The registry of document types a book accepts in `PostDocument` (docs/adr/0008). The owning
 * module (billing, banking) registers each type once, when its schemas file is imported, with
 * the JSON Schema of ITS part of the event data; the ledger adds its own fields
 * (`documentEventFieldSchemas`), so the catalog (GET /v1/events/schemas, docs/events.md) shows
 * the whole event. `decide` reads the registry as configuration: it never changes after start-up.
 */
export interface DocumentTypeDefinition {
  /** The event type, e.g. `InvoiceIssued` (PascalCase, never one of the ledger's own types). */
  type: string;
  description: string;
  /** Draft-07 object schema of the owner's fields; `additionalProperties: false` is kept. */
  schema: Record<string, unknown>;
  /**
   * One line for the audit trail, e.g. `${actor} issued invoice RE-2027-00001 …`; the default
   * names the type, the number (or id) and the entry.
   */
  summary?: (data: Record<string, unknown>, actor: string) => string;
}

export const documentTypeSchemaVersion = 1;
export const documentTypePattern = /^[A-Z][A-Za-z0-9]{2,63}$/;

const documentId = { type: 'string', minLength: 1, maxLength: 128 };

/** The ledger's fields of every document event (DocumentEventFields). */
export const documentEventFieldSchemas: Readonly<Record<string, unknown>> = {
  documentId,
  number: { type: 'string', minLength: 1 },
  numbering: {
    type: 'object',
    required: ['series', 'sequence'],
    additionalProperties: false,
    properties: {
      series: { type: 'string', minLength: 1 },
      sequence: { type: 'integer', minimum: 1 },
    },
  },
  entryId: { type: 'string', minLength: 1 },
  refersTo: documentId,
  closes: documentId,
};

interface RegisteredDocumentType {
  definition: DocumentTypeDefinition;
  eventSchema: EventSchema;
  validate: ValidateFunction;
}

const registry = new Map<string, RegisteredDocumentType>();
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);

/**
 * Registers a document type; registering the same type again is allowed only with the same
 * schema (modules may be imported twice in tests). Returns the event's catalog entry.
 */
export function registerDocumentType(definition: DocumentTypeDefinition): EventSchema {
  assert(
    documentTypePattern.test(definition.type) && !isBookEventType(definition.type),
    `document type ${definition.type} must be PascalCase and not a ledger event type`,
  );
  const known = registry.get(definition.type);
  const eventSchema = documentEventSchema(definition);
  if (known !== undefined) {
    assert(
      JSON.stringify(known.eventSchema) === JSON.stringify(eventSchema),
      `document type ${definition.type} is registered twice with different schemas`,
    );
    return known.eventSchema;
  }
  registry.set(definition.type, {
    definition,
    eventSchema,
    validate: ajv.compile(eventSchema.schema),
  });
  return eventSchema;
}

function documentEventSchema(definition: DocumentTypeDefinition): EventSchema {
  const schema = definition.schema;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  for (const field of Object.keys(documentEventFieldSchemas))
    assert(
      !(field in properties),
      `${definition.type} must not define the ledger's field ${field}`,
    );
  return {
    type: definition.type,
    schemaVersion: documentTypeSchemaVersion,
    description: definition.description,
    schema: {
      ...schema,
      type: 'object',
      required: [...new Set(['documentId', 'entryId', ...required])],
      properties: { ...documentEventFieldSchemas, ...properties },
    },
  };
}

export function isDocumentType(type: string): boolean {
  return registry.has(type);
}

/** The catalog entries of every registered document type (for the event catalog). */
export function documentEventSchemas(): EventSchema[] {
  return [...registry.values()].map((registered) => registered.eventSchema);
}

/** Undefined when `data` fits the type's schema, else what does not. */
export function documentDataProblem(type: string, data: unknown): string | undefined {
  const registered = registry.get(type);
  if (registered === undefined) return `document type ${type} is not registered`;
  if (registered.validate(data)) return undefined;
  return (registered.validate.errors ?? [])
    .map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`)
    .join('; ');
}

/** The audit trail's one line for a document event, or undefined for other types. */
export function documentSummary(
  type: string,
  data: Record<string, unknown>,
  actor: string,
): string | undefined {
  const registered = registry.get(type);
  if (registered === undefined) return undefined;
  if (registered.definition.summary !== undefined)
    return registered.definition.summary(data, actor);
  const name = typeof data.number === 'string' ? data.number : String(data.documentId);
  return `${actor} recorded ${type} ${name} (entry ${String(data.entryId)})`;
}
