export * from './sql-database.js';
export * from './sqlite-database.js';
export * from './postgres-database.js';
export * from './read-model-database.js';
export { READ_MODEL_DB } from '../tokens.js';
