// Every RDP PDU decoder, fed every truncation and single-byte edit of the vectors plus seeded random
// bytes, either decodes or throws a DecodeError of layer 'rdp' pointing inside the input.
import { fromHex } from '../../src/wire/hex.js';
import { robustnessSuite, type RobustnessCase } from '../helpers/robustness.js';
import {
  decodeClientInfoPdu, decodeDeactivateAll, decodeDemandActive, decodeInfoPacket, decodeSecurityExchange,
  decodeSecurityHeader, decodeSetErrorInfo, decodeSharePdu, decodeSharePdus, defaultServerCapabilities,
  encodeClientInfoPdu, encodeDemandActive, encodeInfoPacket, INFO,
} from '../../src/rdp/index.js';
import * as V from '../vectors/rdp.js';

const BASE = 1000;
const hex = (s: string, from = 0, to?: number) => fromHex(s).slice(from, to);

const INFO_PACKETS = [
  hex(V.CLIENT_INFO_4_1_10_PLAIN),
  encodeInfoPacket({ domain: 'LAB', user: 'alice', password: 'pw' }),
  encodeInfoPacket({ flags: INFO.MOUSE, user: 'ansi', extended: { clientAddress: '10.0.0.1', clientDir: 'd', timezone: { bias: 60 }, sessionId: 2, performanceFlags: 7, autoReconnectCookie: new Uint8Array(28), dynamicDst: { keyName: 'k', disabled: false } } }),
];
const SHARE = [
  hex(V.SET_ERROR_INFO_DENIED), hex(V.DEACTIVATE_ALL), hex(V.DEACTIVATE_ALL_XP), hex(V.FLOW_RESPONSE),
  hex(V.DEMAND_ACTIVE_4_1_12_PLAIN), hex(V.DEMAND_ACTIVE_MODERN),
];
const DEMAND_ACTIVE = [
  hex(V.DEMAND_ACTIVE_4_1_12_PLAIN), hex(V.DEMAND_ACTIVE_MODERN),
  encodeDemandActive({ shareId: 1, capabilitySets: defaultServerCapabilities({ desktopWidth: 800, desktopHeight: 600 }) }),
];

const cases: RobustnessCase[] = [
  { name: 'decodeSecurityExchange', decode: decodeSecurityExchange, inputs: [V.SECURITY_EXCHANGE_4_1_9, V.RDP003_SECURITY_EXCHANGE, V.PROPRIETARY_SECURITY_EXCHANGE].map((v) => hex(v, 14)) },
  {
    name: 'decodeSecurityHeader (non-FIPS)', decode: (b, base) => decodeSecurityHeader(b, base, 'non-fips'),
    inputs: [hex(V.CLIENT_INFO_4_1_10_WIRE, 15, 27), hex(V.LICENSE_VALID_CLIENT_4_1_11_WIRE, 14, 26), hex(V.DEMAND_ACTIVE_4_1_12_WIRE, 15, 27)],
    anyValue: true,
  },
  { name: 'decodeSecurityHeader (FIPS)', decode: (b, base) => decodeSecurityHeader(b, base, 'fips'), inputs: [hex('08 00 00 00 10 00 01 03 01 02 03 04 05 06 07 08')] },
  { name: 'decodeInfoPacket', decode: decodeInfoPacket, inputs: INFO_PACKETS },
  { name: 'decodeClientInfoPdu', decode: (b, base) => decodeClientInfoPdu(b, base), inputs: [encodeClientInfoPdu({ user: 'u', password: 'p' })] },
  { name: 'decodeSharePdu', decode: decodeSharePdu, inputs: SHARE },
  { name: 'decodeSharePdus', decode: decodeSharePdus, inputs: [new Uint8Array(SHARE.flatMap((b) => [...b]))] },
  { name: 'decodeSetErrorInfo', decode: decodeSetErrorInfo, inputs: [hex(V.SET_ERROR_INFO_DENIED)] },
  { name: 'decodeDeactivateAll', decode: decodeDeactivateAll, inputs: [hex(V.DEACTIVATE_ALL), hex(V.DEACTIVATE_ALL_XP)] },
  { name: 'decodeDemandActive', decode: decodeDemandActive, inputs: DEMAND_ACTIVE },
];

robustnessSuite(cases, { layer: 'rdp', base: BASE, editsMustFail: true, fullEditsUpTo: 512 });
