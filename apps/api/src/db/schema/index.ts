export * from './users.js';
export * from './idempotency.js';
export * from './campaigns.js';
export * from './ad-requests.js';
export * from './messaging.js';
export * from './mail.js';
export * from './reviews.js';
