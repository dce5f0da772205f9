// GCC Conference Create Request (T.124 §8.7) in ConnectData, ALIGNED PER: the userData of the MCS
// Connect-Initial ([MS-RDPBCGR] 2.2.1.3; annotated bit by bit in 4.1.3):
//   ConnectData { Key object 0.0.20.124.0.1, connectPDU length } | ConnectGCCPDU choice 0 |
//   ConferenceCreateRequest { conferenceName "1", locked/listed/conductible FALSE, automatic,
//   userData { h221NonStandard "Duca": client data blocks } }
// RDP sets none of the other optional fields; they are refused as UNSUPPORTED_VALUE.
import { PerReader, PerWriter } from './per.js';
import {
  CONNECT_GCC_PDU, GCC_NAME, H221_CLIENT_KEY, readConnectDataHeader, readUserData,
  writeConnectDataHeader, writeUserData,
} from './gcc-common.js';

export interface ConferenceCreateRequest {
  /** ConferenceName::numeric; RDP clients send "1" */
  conferenceName: string;
  /** the client data blocks ([MS-RDPBCGR] 2.2.1.3.2-2.2.1.3.9), decoded by src/gcc */
  userData: Uint8Array;
  /** absolute offset of userData[0] */
  userDataOffset: number;
}

/** ConferenceCreateRequest OPTIONAL fields in preamble order. */
const OPTIONALS = [
  'convenerPassword', 'password', 'conductorPrivileges', 'conductedPrivileges',
  'nonConductedPrivileges', 'conferenceDescription', 'callerIdentifier', 'userData',
] as const;
const PRESENT_FIELD = OPTIONALS.map((f) => `${f} present`);

/** Decodes the Connect-Initial userData; base is its absolute offset (ConnectInitial.userDataOffset). */
export function decodeConferenceCreateRequest(bytes: Uint8Array, base = 0): ConferenceCreateRequest {
  const p = new PerReader(bytes, GCC_NAME.request, base);
  const { declared, at: declaredAt } = readConnectDataHeader(p);
  if (declared !== p.remainingOctets) {
    throw p.error('INVALID_FIELD', 'connectPDU length', `says ${declared} bytes, ${p.remainingOctets} follow`, declaredAt);
  }
  const choiceAt = p.absolute;
  if (p.index(CONNECT_GCC_PDU.count, 'ConnectGCCPDU', true) !== CONNECT_GCC_PDU.conferenceCreateRequest) {
    throw p.error('UNEXPECTED_TYPE', 'ConnectGCCPDU', 'not a conferenceCreateRequest', choiceAt);
  }
  p.noExtension('ConferenceCreateRequest extension');
  const present = OPTIONALS.map((f, i) => ({ f, at: p.absolute, on: p.bool(PRESENT_FIELD[i]!) }));
  const odd = present.find((o) => o.on && o.f !== 'userData');
  if (odd) throw p.error('UNSUPPORTED_VALUE', `${odd.f} present`, `${odd.f} is not used by RDP`, odd.at);
  p.noExtension('ConferenceName extension');
  const textAt = p.absolute;
  if (p.bool('ConferenceName text present')) throw p.error('UNSUPPORTED_VALUE', 'ConferenceName text present', 'ConferenceName::text is not used by RDP', textAt);
  const conferenceName = p.numericString(1, 255, 'conferenceName');
  p.bits(3, 'locked/listed/conductible');
  p.index(2, 'terminationMethod', true);
  if (!present.at(-1)!.on) throw p.error('INVALID_FIELD', 'userData present', 'no user data: the client data blocks are missing', present.at(-1)!.at);
  const { bytes: value, at } = readUserData(p, H221_CLIENT_KEY);
  p.expectEnd('trailing data');
  return { conferenceName, userData: value.slice(), userDataOffset: at };
}

/** ConnectData around the client data blocks, bit for bit as mstsc and FreeRDP send it (4.1.3). */
export function encodeConferenceCreateRequest(clientData: Uint8Array, o: { conferenceName?: string } = {}): Uint8Array {
  const pdu = new PerWriter()
    .index(CONNECT_GCC_PDU.conferenceCreateRequest, CONNECT_GCC_PDU.count, true)
    .bool(false) // ConferenceCreateRequest extension
    .bits(0b00000001, 8) // optional fields: only userData
    .bool(false).bool(false) // ConferenceName extension, text absent
    .numericString(o.conferenceName ?? '1', 1, 255)
    .bits(0, 3) // lockedConference, listedConference, conductibleConference: FALSE
    .index(0, 2, true); // terminationMethod automatic
  writeUserData(pdu, H221_CLIENT_KEY, clientData);
  const connectPdu = pdu.finish();
  const w = new PerWriter();
  writeConnectDataHeader(w, connectPdu.length);
  return w.octets(connectPdu).finish();
}
