export * from './users.js';
export * from './idempotency.js';
