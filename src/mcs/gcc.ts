// T.124 GCC Conference Create Request / Response as RDP carries them in the MCS connect PDUs.
export * from './gcc-common.js';
export * from './gcc-request.js';
export * from './gcc-response.js';
