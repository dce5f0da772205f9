// Early User Authorization Result PDU authorizationResult (MS-RDPBCGR 2.2.10.2), sent after CredSSP
// when PROTOCOL_HYBRID_EX was selected.
import { defineCodes } from './table.js';

export const EUA_RESULT = defineCodes({
  0x0: { name: 'AUTHZ_SUCCESS', meaning: 'The user may connect.' },
  0x5: { name: 'AUTHZ_ACCESS_DENIED', meaning: 'The user authenticated but may not log on through Remote Desktop.' },
});
