export * from './codes.js';
export * from './preamble.js';
export * from './error-message.js';
export * from './license-request.js';
export * from './platform-challenge.js';
export * from './new-license.js';
export * from './licensing-pdu.js';
