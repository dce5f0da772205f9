// Every MCS/GCC decoder, fed every truncation and single-byte edit of the MS-RDPBCGR vectors plus
// seeded random bytes, either decodes or throws a DecodeError of layer 'mcs' pointing inside the input.
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../src/wire/hex.js';
import { robustnessSuite, rng, type RobustnessCase } from '../helpers/robustness.js';
import {
  decodeConferenceCreateRequest, decodeConferenceCreateResponse, decodeConnectInitial, decodeConnectResponse,
  decodeConnectResponseResult, decodeDomainPdu, decodeX224Data, encodeConferenceCreateResponse, encodeConnectResponse,
  mcsConnectKind,
} from '../../src/mcs/index.js';
import * as V from '../vectors/mcs.js';

const BASE = 1000;
const mcs = (hex: string): Uint8Array => decodeX224Data(fromHex(hex)).payload;

const CI = [mcs(V.CONNECT_INITIAL_4_1_3)];
const CR = [
  mcs(V.CONNECT_RESPONSE_4_1_4),
  encodeConnectResponse({ result: 14, calledConnectId: 0, userData: new Uint8Array(0) }),
];
const GCC_REQ = CI.map((b) => decodeConnectInitial(b).userData);
const GCC_RSP = [
  decodeConnectResponse(CR[0]!).userData,
  encodeConferenceCreateResponse(Uint8Array.of(1, 0x0c, 8, 0, 4, 0, 8, 0), { nodeId: 1002, tag: 300 }),
];
const DOMAIN = [
  V.ERECT_DOMAIN_4_1_5, V.ATTACH_USER_REQUEST_4_1_6, V.ATTACH_USER_CONFIRM_4_1_7, V.CHANNEL_JOIN_REQUEST_4_1_8_1_1,
  V.CHANNEL_JOIN_CONFIRM_4_1_8_1_2, V.SECURITY_EXCHANGE_4_1_9, V.CLIENT_INFO_4_1_10, V.LICENSE_ERROR_4_1_11,
  V.DISCONNECT_PROVIDER_ULTIMATUM_4_2_3,
].map(mcs);

const cases: RobustnessCase[] = [
  { name: 'decodeConnectInitial', decode: decodeConnectInitial, inputs: CI },
  { name: 'decodeConnectResponse', decode: decodeConnectResponse, inputs: CR },
  { name: 'decodeConnectResponseResult', decode: decodeConnectResponseResult, inputs: CR },
  { name: 'decodeConferenceCreateRequest', decode: decodeConferenceCreateRequest, inputs: GCC_REQ },
  { name: 'decodeConferenceCreateResponse', decode: decodeConferenceCreateResponse, inputs: GCC_RSP },
  { name: 'decodeDomainPdu', decode: decodeDomainPdu, inputs: DOMAIN },
];

robustnessSuite(cases, { layer: 'mcs', base: BASE, editsMustFail: true });

describe('mcsConnectKind never throws', () => {
  it('on truncations of every vector and on random bytes', () => {
    const kinds = new Set<string>();
    for (const b of [...CI, ...CR, ...DOMAIN]) for (let n = 0; n <= b.length; n++) kinds.add(String(mcsConnectKind(b.subarray(0, n))));
    const next = rng(7);
    for (let k = 0; k < 2000; k++) kinds.add(String(mcsConnectKind(Uint8Array.from({ length: k % 4 }, () => Math.floor(next() * 256)))));
    expect([...kinds].sort()).toEqual(['connect-initial', 'connect-response', 'domain', 'undefined']);
  });
});
