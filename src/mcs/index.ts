// T.125 MCS and T.124 GCC as RDP uses them ([MS-RDPBCGR] 2.2.1.3-2.2.1.9, 2.2.2.3).
export * from './ber.js';
export * from './per.js';
export * from './x224-data.js';
export * from './connect.js';
export * from './gcc.js';
export * from './domain-names.js';
export * from './domain.js';
