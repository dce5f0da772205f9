import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/wire/hex.js';
import {
  decodeConferenceCreateRequest, decodeConferenceCreateResponse, decodeConnectInitial, decodeConnectResponse,
  decodeX224Data, encodeConferenceCreateRequest, encodeConferenceCreateResponse,
} from '../../src/mcs/index.js';
import { CONNECT_INITIAL_4_1_3, CONNECT_RESPONSE_4_1_4 } from '../vectors/mcs.js';
import { decodeError } from '../helpers/decode-error.js';

function gccOf(hex: string, decode: typeof decodeConnectInitial | typeof decodeConnectResponse): { bytes: Uint8Array; at: number } {
  const { payload, payloadOffset } = decodeX224Data(fromHex(hex));
  const c = decode(payload, payloadOffset);
  return { bytes: c.userData, at: c.userDataOffset };
}

const request = gccOf(CONNECT_INITIAL_4_1_3, decodeConnectInitial);
const response = gccOf(CONNECT_RESPONSE_4_1_4, decodeConnectResponse);

describe('GCC Conference Create Request', () => {
  it('decodes the 4.1.3 ConnectData: conference "1" and the 284 bytes of client data at offset 132', () => {
    const ccr = decodeConferenceCreateRequest(request.bytes, request.at);
    expect(ccr.conferenceName).toBe('1');
    expect(ccr.userDataOffset).toBe(132);
    expect(ccr.userData.length).toBe(284);
    expect(toHex(ccr.userData.subarray(0, 4))).toBe('01 c0 d8 00'); // CS_CORE, 216 bytes
    expect(ccr.userData).toEqual(fromHex(CONNECT_INITIAL_4_1_3).subarray(132));
  });

  it('re-encodes the 4.1.3 ConnectData byte for byte', () => {
    const ccr = decodeConferenceCreateRequest(request.bytes, request.at);
    expect(toHex(encodeConferenceCreateRequest(ccr.userData))).toBe(toHex(request.bytes));
  });

  it('round-trips short and long client data and another conference name', () => {
    for (const n of [0, 1, 127, 128, 16000]) {
      const data = new Uint8Array(n).fill(0xab);
      const bytes = encodeConferenceCreateRequest(data, { conferenceName: '0123456789' });
      expect(decodeConferenceCreateRequest(bytes, 9)).toMatchObject({ conferenceName: '0123456789', userData: data, userDataOffset: 9 + bytes.length - n });
    }
    expect(() => encodeConferenceCreateRequest(new Uint8Array(0x4000))).toThrow(RangeError);
  });

  it('checks the T.124 OID, the connectPDU length and the H.221 key', () => {
    const bad = (i: number, v: number): Uint8Array => { const b = request.bytes.slice(); b[i] = v; return b; };
    expect(decodeError(() => decodeConferenceCreateRequest(bad(4, 0x7d), 109)).toJSON())
      .toMatchObject({ code: 'UNSUPPORTED_VALUE', layer: 'mcs', pdu: 'GCC Conference Create Request', field: 't124Identifier', offset: 110 });
    expect(decodeError(() => decodeConferenceCreateRequest(bad(8, 0x2b), 109)).toJSON())
      .toMatchObject({ code: 'INVALID_FIELD', field: 'connectPDU length', offset: 116 });
    expect(decodeError(() => decodeConferenceCreateRequest(bad(16, 0x45), 109)).toJSON())
      .toMatchObject({ code: 'INVALID_FIELD', field: 'userData', offset: 123 });
  });

  it('refuses optional fields RDP does not use, and a response in place of a request', () => {
    const b = request.bytes.slice();
    b[9] = 0x04; // convenerPassword present
    expect(decodeError(() => decodeConferenceCreateRequest(b)).toJSON())
      .toMatchObject({ code: 'UNSUPPORTED_VALUE', field: 'convenerPassword present', offset: 9 });
    expect(decodeError(() => decodeConferenceCreateRequest(response.bytes)).toJSON())
      .toMatchObject({ field: 'connectPDU length' });
  });
});

describe('GCC Conference Create Response', () => {
  it('decodes the 4.1.4 ConnectData: node 31219, tag 1, success, the 264 bytes of server data at offset 73', () => {
    const r = decodeConferenceCreateResponse(response.bytes, response.at);
    expect(r).toMatchObject({ nodeId: 31219, tag: 1, result: 0, resultName: 'success', connectPduLength: 42, userDataOffset: 73 });
    expect(r.userData.length).toBe(264);
    expect(toHex(r.userData.subarray(0, 4))).toBe('01 0c 0c 00'); // SC_CORE
    expect(r.userData).toEqual(fromHex(CONNECT_RESPONSE_4_1_4).subarray(73));
  });

  it('re-encodes 4.1.4 byte for byte when told to declare 42, and declares the real length by default', () => {
    const r = decodeConferenceCreateResponse(response.bytes, response.at);
    expect(toHex(encodeConferenceCreateResponse(r.userData, { connectPduLength: 42 }))).toBe(toHex(response.bytes));
    const honest = encodeConferenceCreateResponse(r.userData);
    expect(toHex(honest.subarray(0, 9))).toBe('00 05 00 14 7c 00 01 81 17'); // 279 bytes follow
    expect(decodeConferenceCreateResponse(honest)).toMatchObject({ nodeId: 31219, connectPduLength: 279, userData: r.userData });
  });

  it('round-trips other node ids, tags and results', () => {
    const bytes = encodeConferenceCreateResponse(Uint8Array.of(1, 2, 3), { nodeId: 1001, tag: -2, result: 4 });
    expect(decodeConferenceCreateResponse(bytes)).toMatchObject({ nodeId: 1001, tag: -2, result: 4, resultName: 'lockedConferenceNotSupported', userData: Uint8Array.of(1, 2, 3) });
  });

  it('refuses a request in place of a response and a response without the McDn set', () => {
    expect(decodeError(() => decodeConferenceCreateResponse(request.bytes, 109)).toJSON())
      .toMatchObject({ code: 'UNEXPECTED_TYPE', field: 'ConnectGCCPDU', offset: 118 });
    const b = response.bytes.slice();
    b[17] = 0x4e; // "McDn" → "MNDn"
    expect(decodeError(() => decodeConferenceCreateResponse(b, 50)).toJSON())
      .toMatchObject({ code: 'INVALID_FIELD', field: 'userData', offset: 64 });
  });
});
