/**
 * The parties module's pure public surface (no NestJS): customers and suppliers (Debitoren,
 * Kreditoren) with their personal accounts, the book's company data (the seller), their events,
 * deciders, checks and schemas, and the `PartiesLookup` read port. The Nest wiring
 * (PartiesModule, the PARTIES_LOOKUP provider token) is in parties.module.ts.
 */
export * from './domain/address.js';
export * from './domain/tax-ids.js';
export * from './domain/party.js';
export * from './domain/parties.events.js';
export * from './domain/parties.decider.js';
export * from './domain/company.events.js';
export * from './domain/company.js';
export * from './domain/parties-lookup.js';
export { partyEventSchemas, sealedValueSchema } from './domain/parties.schemas.js';
export { partyCompanionStreams } from './domain/companion-streams.js';
export * from './domain/personal-retention.js';
export * from './domain/party-erasure.js';
export * from './domain/party-erasure.events.js';
