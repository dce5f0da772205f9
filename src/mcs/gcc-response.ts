// GCC Conference Create Response (T.124 §8.7) in ConnectData, ALIGNED PER: the userData of the MCS
// Connect-Response ([MS-RDPBCGR] 2.2.1.4; annotated in 4.1.4):
//   ConnectData { Key object 0.0.20.124.0.1, connectPDU length } | ConnectGCCPDU choice 1 |
//   ConferenceCreateResponse { nodeID UserID, tag INTEGER, result ENUMERATED,
//   userData { h221NonStandard "McDn": server data blocks } }
// Windows writes connectPDU length 0x2a (42) whatever the real length; 4.1.4 says the client MUST
// ignore it, so it is reported (connectPduLength) and not checked.
import { describeCode, defineCodes } from '../codes/table.js';
import { PerReader, PerWriter } from './per.js';
import { MCS_USER_ID_BASE } from './domain-names.js';
import {
  CONNECT_GCC_PDU, GCC_NAME, H221_SERVER_KEY, readConnectDataHeader, readUserData,
  writeConnectDataHeader, writeUserData,
} from './gcc-common.js';

/** ConferenceCreateResponse::result (T.124 §8.7, extensible ENUMERATED with 5 root values). */
export const GCC_CREATE_RESULT = defineCodes({
  0: { name: 'success', meaning: 'The conference was created.' },
  1: { name: 'userRejected', meaning: 'The server rejected the request.' },
  2: { name: 'resourcesNotAvailable', meaning: 'The server lacks the resources.' },
  3: { name: 'rejectedForSymmetryBreaking', meaning: 'Rejected to break a symmetric create.' },
  4: { name: 'lockedConferenceNotSupported', meaning: 'Locked conferences are not supported.' },
});

export interface ConferenceCreateResponse {
  /** nodeID, a UserID (1001..65535); Windows sends 31219 (0x79f3) */
  nodeId: number;
  tag: number;
  result: number;
  resultName: string;
  /** the declared connectPDU length, which Windows sets to 42 whatever follows (ignored) */
  connectPduLength: number;
  /** the server data blocks ([MS-RDPBCGR] 2.2.1.4.2-2.2.1.4.6), decoded by src/gcc */
  userData: Uint8Array;
  /** absolute offset of userData[0] */
  userDataOffset: number;
}

const RESULT_COUNT = 5;

/** Decodes the Connect-Response userData; base is its absolute offset (ConnectResponse.userDataOffset). */
export function decodeConferenceCreateResponse(bytes: Uint8Array, base = 0): ConferenceCreateResponse {
  const p = new PerReader(bytes, GCC_NAME.response, base);
  const { declared: connectPduLength } = readConnectDataHeader(p);
  const choiceAt = p.absolute;
  if (p.index(CONNECT_GCC_PDU.count, 'ConnectGCCPDU', true) !== CONNECT_GCC_PDU.conferenceCreateResponse) {
    throw p.error('UNEXPECTED_TYPE', 'ConnectGCCPDU', 'not a conferenceCreateResponse', choiceAt);
  }
  p.noExtension('ConferenceCreateResponse extension');
  const presentAt = p.absolute;
  const hasUserData = p.bool('userData present');
  const nodeId = p.constrained(MCS_USER_ID_BASE, 65535, 'nodeID');
  const tag = p.unconstrained('tag');
  const result = p.index(RESULT_COUNT, 'result', true);
  if (!hasUserData) throw p.error('INVALID_FIELD', 'userData present', 'no user data: the server data blocks are missing', presentAt);
  const { bytes: value, at } = readUserData(p, H221_SERVER_KEY);
  p.expectEnd('trailing data');
  return {
    nodeId, tag, result, resultName: describeCode(GCC_CREATE_RESULT, result).name,
    connectPduLength, userData: value.slice(), userDataOffset: at,
  };
}

export interface ConferenceCreateResponseOptions {
  /** default 31219, as Windows (4.1.4) and FreeRDP send */
  nodeId?: number;
  /** default 1 */
  tag?: number;
  /** default 0 (success) */
  result?: number;
  /** the connectPDU length to declare; default the real one. 42 reproduces Windows (4.1.4). */
  connectPduLength?: number;
}

/** ConnectData around the server data blocks. */
export function encodeConferenceCreateResponse(serverData: Uint8Array, o: ConferenceCreateResponseOptions = {}): Uint8Array {
  const pdu = new PerWriter()
    .index(CONNECT_GCC_PDU.conferenceCreateResponse, CONNECT_GCC_PDU.count, true)
    .bool(false) // ConferenceCreateResponse extension
    .bool(true) // userData present
    .constrained(o.nodeId ?? 31219, MCS_USER_ID_BASE, 65535)
    .unconstrained(o.tag ?? 1)
    .index(o.result ?? 0, RESULT_COUNT, true);
  writeUserData(pdu, H221_SERVER_KEY, serverData);
  const connectPdu = pdu.finish();
  const w = new PerWriter();
  writeConnectDataHeader(w, o.connectPduLength ?? connectPdu.length);
  return w.octets(connectPdu).finish();
}
