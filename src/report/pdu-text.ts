// One-line descriptions of decoded PDUs for the timeline, keyed by PDU name. A new stage adds its
// PDUs here.
import { describeFailureCode, protocolName, protocolSet, responseFlags } from '../x224/codes.js';
import type { ConnectionConfirm } from '../x224/connection-confirm.js';
import { CONNECTION_CONFIRM_NAME } from '../x224/connection-confirm.js';
import type { ConnectionRequest } from '../x224/connection-request.js';
import { CONNECTION_REQUEST_NAME } from '../x224/connection-request.js';
import type { DataTpdu, DisconnectRequest } from '../x224/tpdu.js';
import { DATA_TPDU_NAME, DISCONNECT_REQUEST_NAME } from '../x224/tpdu.js';
import { hex32 } from '../wire/hex.js';

type Describe = (value: never) => string;

const DESCRIBE: Record<string, Describe> = {
  [CONNECTION_REQUEST_NAME]: (cr: ConnectionRequest) => {
    const parts: string[] = [];
    if (cr.cookie !== undefined) parts.push(`cookie "${cr.cookie}"`);
    if (cr.routingToken !== undefined) parts.push(`routing token "${cr.routingToken}"`);
    parts.push(cr.negotiation
      ? `requested ${protocolSet(cr.negotiation.requestedProtocols).names.join('|')}`
      : 'no RDP_NEG_REQ (legacy, Standard RDP Security)');
    return parts.join(', ');
  },
  [CONNECTION_CONFIRM_NAME]: (cc: ConnectionConfirm) => {
    const n = cc.negotiation;
    if (!n) return 'legacy Confirm, no negotiation data (Standard RDP Security)';
    if (n.type === 'failure') {
      return `RDP_NEG_FAILURE ${describeFailureCode(n.failureCode).name} (${n.failureCode})`;
    }
    const flags = n.flags ? ` [${responseFlags(n.flags).names.join(', ')}]` : '';
    return `selected ${protocolName(n.selectedProtocol)} (${hex32(n.selectedProtocol)})${flags}`;
  },
  [DISCONNECT_REQUEST_NAME]: (dr: DisconnectRequest) => `reason ${dr.reason}`,
  [DATA_TPDU_NAME]: (dt: DataTpdu) => `${dt.userData.length} bytes of user data before the X.224 exchange completed (not decoded in this stage)`,
};

export function describePdu(name: string, value: unknown): string {
  const d = DESCRIBE[name];
  return d ? d(value as never) : '';
}
