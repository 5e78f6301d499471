// The e-invoice format module: the EN 16931 model, its rule checks, and the UBL / CII /
// Factur-X adapters. Pure functions over bytes and plain objects; no framework, no database.
export * from './domain/en16931.model.js';
export * from './domain/decimal.js';
