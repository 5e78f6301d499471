export * from './leadership.js';
export * from './leader-election.js';
export * from './postgres-leader-election.js';
export * from './cluster.settings.js';
export * from './cluster.service.js';
export * from './cluster.module.js';
