/**
 * The payables module's pure public surface: incoming invoice facts, their decider and events,
 * the booking (Kontierung) and the schemas (importing them registers IncomingInvoiceBooked).
 */
export * from './domain/incoming-invoice.js';
export * from './domain/incoming-invoices.decider.js';
export * from './domain/incoming-booking.js';
export * from './domain/payables.schemas.js';
