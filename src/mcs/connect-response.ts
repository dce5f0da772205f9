// T.125 Connect-Response (§7 part 2, §11.2), BER, as the Server MCS Connect Response PDU carries it
// ([MS-RDPBCGR] 2.2.1.4, 3.2.5.3.4):
//   [APPLICATION 102] { result Result (ENUMERATED), calledConnectId INTEGER (0..MAX),
//     domainParameters DomainParameters, userData OCTET STRING (GCC Conference Create Response) }
// Input is the MCS PDU after the X.224 Data header.
import { ByteReader } from '../wire/reader.js';
import { describeCode } from '../codes/table.js';
import { MCS_RESULT } from '../codes/mcs.js';
import { BER_TAG, berExpectEnd, berInteger, berTlv, berUnsigned, readBerTlv, type BerIntegerForm } from './ber.js';
import { decodeDomainParameters, encodeDomainParameters, SERVER_DOMAIN_PARAMETERS, type DomainParameters } from './domain-parameters.js';
import { checkConnectSize, MAX_CONNECT_PDU_SIZE, MCS_CONNECT_NAME } from './connect-common.js';

export interface ConnectResponse {
  /** T.125 Result; 0 is rt-successful */
  result: number;
  /** MCS_RESULT name, e.g. 'rt-successful' or 'unknown (0x10)' */
  resultName: string;
  calledConnectId: number;
  domainParameters: DomainParameters;
  /** the GCC ConnectData (decode with decodeConferenceCreateResponse(userData, userDataOffset)) */
  userData: Uint8Array;
  /** absolute offset of userData[0] */
  userDataOffset: number;
}

function readResult(b: ByteReader): number {
  return berUnsigned(readBerTlv(b, 'result', BER_TAG.ENUMERATED), 'result', 1);
}

function open(bytes: Uint8Array, base: number): ByteReader {
  const r = new ByteReader(bytes, 'mcs', MCS_CONNECT_NAME.response, base);
  checkConnectSize(r);
  const b = readBerTlv(r, 'Connect-Response', BER_TAG.CONNECT_RESPONSE, MAX_CONNECT_PDU_SIZE).body;
  berExpectEnd(r, 'trailing data');
  return b;
}

export function decodeConnectResponse(bytes: Uint8Array, base = 0): ConnectResponse {
  const b = open(bytes, base);
  const result = readResult(b);
  const calledConnectId = berUnsigned(readBerTlv(b, 'calledConnectId', BER_TAG.INTEGER), 'calledConnectId');
  const domainParameters = decodeDomainParameters(b, 'domainParameters');
  const ud = readBerTlv(b, 'userData', BER_TAG.OCTET_STRING).body;
  const userDataOffset = ud.absolute;
  const userData = ud.rest('userData').slice();
  berExpectEnd(b, 'Connect-Response');
  return { result, resultName: describeCode(MCS_RESULT, result).name, calledConnectId, domainParameters, userData, userDataOffset };
}

/**
 * Only the result of a Connect-Response, for when the full decode fails: [MS-RDPBCGR] 3.3.5.3.3.1
 * lets a server answer bad GCC data with "a Connect Response containing only a result field"
 * (rt-unspecified-failure), which is not a complete Connect-Response.
 */
export function decodeConnectResponseResult(bytes: Uint8Array, base = 0): { result: number; resultName: string } {
  const result = readResult(open(bytes, base));
  return { result, resultName: describeCode(MCS_RESULT, result).name };
}

export interface ConnectResponseInput {
  result: number;
  calledConnectId: number;
  /** defaults to SERVER_DOMAIN_PARAMETERS (4.1.4) */
  domainParameters?: DomainParameters;
  /** the output of encodeConferenceCreateResponse */
  userData: Uint8Array;
  /** INTEGER form; 'twos-complement' (default) is what the Windows server writes (4.1.4) */
  integerForm?: BerIntegerForm;
}

export function encodeConnectResponse(c: ConnectResponseInput): Uint8Array {
  const form = c.integerForm ?? 'twos-complement';
  const out = berTlv(
    BER_TAG.CONNECT_RESPONSE,
    berInteger(c.result, form, BER_TAG.ENUMERATED),
    berInteger(c.calledConnectId, form),
    encodeDomainParameters(c.domainParameters ?? SERVER_DOMAIN_PARAMETERS, form),
    berTlv(BER_TAG.OCTET_STRING, c.userData),
  );
  if (out.length > MAX_CONNECT_PDU_SIZE) throw new RangeError(`Connect-Response of ${out.length} bytes exceeds ${MAX_CONNECT_PDU_SIZE}`);
  return out;
}
