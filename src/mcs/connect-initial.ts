// T.125 Connect-Initial (§7 part 2, §11.1), BER, as the Client MCS Connect Initial PDU carries it
// ([MS-RDPBCGR] 2.2.1.3, 3.2.5.3.3):
//   [APPLICATION 101] { callingDomainSelector OCTET STRING, calledDomainSelector OCTET STRING,
//     upwardFlag BOOLEAN, targetParameters, minimumParameters, maximumParameters DomainParameters,
//     userData OCTET STRING (the GCC Conference Create Request, see gcc-request.ts) }
// Input is the MCS PDU after the X.224 Data header.
import { ByteReader } from '../wire/reader.js';
import {
  BER_TAG, berBoolean, berBooleanTlv, berExpectEnd, berTlv, readBerTlv, type BerIntegerForm,
} from './ber.js';
import {
  CLIENT_DOMAIN_PARAMETERS, decodeDomainParameters, encodeDomainParameters, type DomainParameters,
} from './domain-parameters.js';
import { checkConnectSize, MAX_CONNECT_PDU_SIZE, MCS_CONNECT_NAME } from './connect-common.js';

export interface ConnectInitial {
  callingDomainSelector: Uint8Array;
  calledDomainSelector: Uint8Array;
  upwardFlag: boolean;
  targetParameters: DomainParameters;
  minimumParameters: DomainParameters;
  maximumParameters: DomainParameters;
  /** the GCC ConnectData (decode with decodeConferenceCreateRequest(userData, userDataOffset)) */
  userData: Uint8Array;
  /** absolute offset of userData[0] */
  userDataOffset: number;
}

export function decodeConnectInitial(bytes: Uint8Array, base = 0): ConnectInitial {
  const r = new ByteReader(bytes, 'mcs', MCS_CONNECT_NAME.initial, base);
  checkConnectSize(r);
  const b = readBerTlv(r, 'Connect-Initial', BER_TAG.CONNECT_INITIAL, MAX_CONNECT_PDU_SIZE).body;
  berExpectEnd(r, 'trailing data');
  const callingDomainSelector = readBerTlv(b, 'callingDomainSelector', BER_TAG.OCTET_STRING).body.rest('callingDomainSelector').slice();
  const calledDomainSelector = readBerTlv(b, 'calledDomainSelector', BER_TAG.OCTET_STRING).body.rest('calledDomainSelector').slice();
  const upwardFlag = berBoolean(readBerTlv(b, 'upwardFlag', BER_TAG.BOOLEAN), 'upwardFlag');
  const targetParameters = decodeDomainParameters(b, 'targetParameters');
  const minimumParameters = decodeDomainParameters(b, 'minimumParameters');
  const maximumParameters = decodeDomainParameters(b, 'maximumParameters');
  const ud = readBerTlv(b, 'userData', BER_TAG.OCTET_STRING).body;
  const userDataOffset = ud.absolute;
  const userData = ud.rest('userData').slice();
  berExpectEnd(b, 'Connect-Initial');
  return {
    callingDomainSelector, calledDomainSelector, upwardFlag,
    targetParameters, minimumParameters, maximumParameters, userData, userDataOffset,
  };
}

export interface ConnectInitialOptions {
  callingDomainSelector?: Uint8Array;
  calledDomainSelector?: Uint8Array;
  upwardFlag?: boolean;
  targetParameters?: DomainParameters;
  minimumParameters?: DomainParameters;
  maximumParameters?: DomainParameters;
  /** INTEGER form; 'unsigned' (default) is what mstsc writes ([MS-RDPBCGR] 4.1.3) */
  integerForm?: BerIntegerForm;
}

/**
 * Connect-Initial around userData (the output of encodeConferenceCreateRequest). Defaults are those
 * of 3.2.5.3.3 / 4.1.3: selectors 01, upwardFlag TRUE, CLIENT_DOMAIN_PARAMETERS.
 */
export function encodeConnectInitial(userData: Uint8Array, o: ConnectInitialOptions = {}): Uint8Array {
  const form = o.integerForm ?? 'unsigned';
  const out = berTlv(
    BER_TAG.CONNECT_INITIAL,
    berTlv(BER_TAG.OCTET_STRING, o.callingDomainSelector ?? Uint8Array.of(1)),
    berTlv(BER_TAG.OCTET_STRING, o.calledDomainSelector ?? Uint8Array.of(1)),
    berBooleanTlv(o.upwardFlag ?? true),
    encodeDomainParameters(o.targetParameters ?? CLIENT_DOMAIN_PARAMETERS.target, form),
    encodeDomainParameters(o.minimumParameters ?? CLIENT_DOMAIN_PARAMETERS.minimum, form),
    encodeDomainParameters(o.maximumParameters ?? CLIENT_DOMAIN_PARAMETERS.maximum, form),
    berTlv(BER_TAG.OCTET_STRING, userData),
  );
  if (out.length > MAX_CONNECT_PDU_SIZE) throw new RangeError(`Connect-Initial of ${out.length} bytes exceeds ${MAX_CONNECT_PDU_SIZE}`);
  return out;
}
