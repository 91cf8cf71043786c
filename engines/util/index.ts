/** Small domain-free helpers the engines and the fleet share, each written once. */
export * from './json.js';
export * from './order.js';
export * from './text.js';
export * from './hash.js';
export * from './hash-slots.js';
