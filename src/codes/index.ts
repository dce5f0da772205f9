// The code families rdpscope can name, with where each is defined. The X.224 negotiation failure
// codes live with the X.224 codec (src/x224/codes.ts); `TableId` still names them here.
import { CLIENT_DISCONNECT } from './client-disconnect.js';
import { ERRCONNECT } from './errconnect.js';
import { ERRINFO } from './errinfo.js';
import { EUA_RESULT } from './eua.js';
import { EXTENDED_REASON } from './extended-reason.js';
import { MCS_DISCONNECT_REASON, MCS_RESULT } from './mcs.js';
import type { CodeTable } from './table.js';
import { X224_DISCONNECT_REASON } from './x224-disconnect.js';
import { NTSTATUS } from './ntstatus.js';

export * from './table.js';
export { CLIENT_DISCONNECT, ERRCONNECT, ERRINFO, EUA_RESULT, EXTENDED_REASON, MCS_DISCONNECT_REASON, MCS_RESULT, NTSTATUS, X224_DISCONNECT_REASON };

export type TableId =
  | 'disc'
  | 'extended'
  | 'errinfo'
  | 'neg-failure'
  | 'eua'
  | 'ntstatus'
  | 'mcs-result'
  | 'mcs-reason'
  | 'x224-dr'
  | 'errconnect';

export interface CodeFamily {
  id: TableId;
  /** short label for output */
  title: string;
  /** defining document */
  source: string;
  table: CodeTable;
}

/** In the order `explain` lists interpretations: what a user sees first, wire codes after. */
export const CODE_FAMILIES: readonly CodeFamily[] = [
  { id: 'disc', title: 'Error code', source: 'Win32 IMsTscAxEvents::OnDisconnected', table: CLIENT_DISCONNECT },
  { id: 'extended', title: 'Extended error code', source: 'Win32 IMsRdpClient::ExtendedDisconnectReason', table: EXTENDED_REASON },
  { id: 'errinfo', title: 'Set Error Info', source: 'MS-RDPBCGR 2.2.5.1.1', table: ERRINFO },
  { id: 'eua', title: 'Early User Authorization', source: 'MS-RDPBCGR 2.2.10.2', table: EUA_RESULT },
  { id: 'ntstatus', title: 'CredSSP errorCode (NTSTATUS / SSPI)', source: 'MS-ERREF 2.3, 2.1; MS-CSSP 2.2.1', table: NTSTATUS },
  { id: 'mcs-result', title: 'MCS result', source: 'ITU-T T.125 §7', table: MCS_RESULT },
  { id: 'mcs-reason', title: 'MCS disconnect reason', source: 'ITU-T T.125 §7', table: MCS_DISCONNECT_REASON },
  { id: 'x224-dr', title: 'X.224 disconnect reason', source: 'ITU-T X.224 §13.5.3', table: X224_DISCONNECT_REASON },
  { id: 'errconnect', title: 'FreeRDP connect error', source: 'FreeRDP include/freerdp/error.h', table: ERRCONNECT },
];
