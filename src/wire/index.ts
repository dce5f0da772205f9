export * from './errors.js';
export * from './reader.js';
export * from './writer.js';
export * from './hex.js';
export * from './text.js';
export * from './bytes.js';
