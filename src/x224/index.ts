export * from './codes.js';
export * from './tpkt.js';
export * from './tpdu.js';
export * from './negotiation.js';
export * from './connection-request.js';
export * from './connection-confirm.js';
