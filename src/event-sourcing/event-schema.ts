/**
 * The JSON Schema (draft-07) of one event type's `data` at one schema version. Each module keeps
 * its entries next to its events (`*.schemas.ts`); the subscriptions module's catalog serves
 * them at GET /v1/events/schemas and renders docs/events.md.
 */
export interface EventSchema {
  type: string;
  schemaVersion: number;
  description: string;
  schema: Record<string, unknown>;
}
