export * from './codes.js';
export * from './blocks.js';
export * from './fields.js';
export * from './client-data.js';
export * from './certificate.js';
export * from './server-data.js';
