/** The compliance module's pure surface: its event schemas and the DATEV writer. */
export { datevEventSchemas } from './domain/datev-settings.js';
export * from './domain/datev-extf.js';
export * from './domain/datev-bookings.js';
export * from './domain/vat-return.js';
