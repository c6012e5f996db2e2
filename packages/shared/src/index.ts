export * from './accounts.js';
export * from './catalog.js';
export * from './limits.js';
export * from './ad-requests.js';
export * from './money.js';
export * from './messaging.js';
export * from './audit.js';
