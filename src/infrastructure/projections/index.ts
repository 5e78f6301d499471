export * from './projection.js';
export * from './projection-runner.js';
export * from './checkpoint-store.js';
export * from './projections.settings.js';
export * from './projections.service.js';
export * from './consistency.interceptor.js';
export * from './consistent-with.openapi.js';
export * from './projections.module.js';
