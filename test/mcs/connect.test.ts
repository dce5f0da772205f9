import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/wire/hex.js';
import {
  CLIENT_DOMAIN_PARAMETERS, decodeConnectInitial, decodeConnectResponse, decodeConnectResponseResult,
  decodeX224Data, encodeConnectInitial, encodeConnectResponse, encodeX224Data, mcsConnectKind,
  SERVER_DOMAIN_PARAMETERS, MAX_CONNECT_PDU_SIZE,
} from '../../src/mcs/index.js';
import { CONNECT_INITIAL_4_1_3, CONNECT_RESPONSE_4_1_4, ERECT_DOMAIN_4_1_5 } from '../vectors/mcs.js';
import { decodeError } from '../helpers/decode-error.js';

const mcs = (hex: string): { payload: Uint8Array; payloadOffset: number } => decodeX224Data(fromHex(hex));

describe('MCS Connect Initial', () => {
  it('decodes every field of the MS-RDPBCGR 4.1.3 vector at its absolute offset', () => {
    const { payload, payloadOffset } = mcs(CONNECT_INITIAL_4_1_3);
    expect(payloadOffset).toBe(7);
    const ci = decodeConnectInitial(payload, payloadOffset);
    expect(toHex(ci.callingDomainSelector)).toBe('01');
    expect(toHex(ci.calledDomainSelector)).toBe('01');
    expect(ci.upwardFlag).toBe(true);
    expect(ci.targetParameters).toEqual({
      maxChannelIds: 34, maxUserIds: 2, maxTokenIds: 0, numPriorities: 1,
      minThroughput: 0, maxHeight: 1, maxMCSPDUsize: 65535, protocolVersion: 2,
    });
    expect(ci.minimumParameters).toEqual({
      maxChannelIds: 1, maxUserIds: 1, maxTokenIds: 1, numPriorities: 1,
      minThroughput: 0, maxHeight: 1, maxMCSPDUsize: 1056, protocolVersion: 2,
    });
    expect(ci.maximumParameters).toEqual({
      maxChannelIds: 65535, maxUserIds: 64535, maxTokenIds: 65535, numPriorities: 1,
      minThroughput: 0, maxHeight: 1, maxMCSPDUsize: 65535, protocolVersion: 2,
    });
    expect(ci.userDataOffset).toBe(0x6d);
    expect(ci.userData.length).toBe(307);
    expect(toHex(ci.userData.subarray(0, 9))).toBe('00 05 00 14 7c 00 01 81 2a');
    expect(ci.userData).toEqual(fromHex(CONNECT_INITIAL_4_1_3).subarray(0x6d));
  });

  it('re-encodes the 4.1.3 vector byte for byte from its user data with the default parameters', () => {
    const full = fromHex(CONNECT_INITIAL_4_1_3);
    const ci = decodeConnectInitial(mcs(CONNECT_INITIAL_4_1_3).payload, 7);
    expect(ci.targetParameters).toEqual(CLIENT_DOMAIN_PARAMETERS.target);
    expect(ci.minimumParameters).toEqual(CLIENT_DOMAIN_PARAMETERS.minimum);
    expect(ci.maximumParameters).toEqual(CLIENT_DOMAIN_PARAMETERS.maximum);
    expect(toHex(encodeX224Data(encodeConnectInitial(ci.userData)))).toBe(toHex(full));
  });

  it('round-trips explicit options, two\'s complement integers and a long user data', () => {
    const userData = new Uint8Array(300).map((_, i) => i);
    const o = {
      callingDomainSelector: Uint8Array.of(1, 2), calledDomainSelector: new Uint8Array(0), upwardFlag: false,
      targetParameters: SERVER_DOMAIN_PARAMETERS, minimumParameters: SERVER_DOMAIN_PARAMETERS,
      maximumParameters: { ...SERVER_DOMAIN_PARAMETERS, maxMCSPDUsize: 0xffffffff },
    };
    const bytes = encodeConnectInitial(userData, { ...o, integerForm: 'twos-complement' });
    expect(toHex(bytes.subarray(0, 4))).toBe('7f 65 82 01');
    const ci = decodeConnectInitial(bytes, 100);
    expect(ci).toMatchObject(o);
    expect(ci.userData).toEqual(userData);
    expect(ci.userDataOffset).toBe(100 + bytes.length - 300);
  });

  it('names field and absolute offset of a wrong element', () => {
    const b = mcs(CONNECT_INITIAL_4_1_3).payload.slice();
    b[11] = 0x02; // upwardFlag tag BOOLEAN → INTEGER
    expect(decodeError(() => decodeConnectInitial(b, 7)).toJSON()).toMatchObject({
      code: 'UNEXPECTED_TYPE', layer: 'mcs', pdu: 'MCS Connect Initial', field: 'upwardFlag', offset: 18,
    });
  });

  it('rejects a domain parameter INTEGER of five significant octets', () => {
    const params = fromHex('30 1d 02 05 01 00 00 00 00 02 01 02 02 01 00 02 01 01 02 01 00 02 01 01 02 02 ff ff 02 01 02');
    const body = fromHex(`04 01 01 04 01 01 01 01 ff ${toHex(params)} ${toHex(params)} ${toHex(params)} 04 00`);
    const bytes = fromHex(`7f 65 ${(0x80 | 1).toString(16)} ${body.length.toString(16)} ${toHex(body)}`);
    expect(decodeError(() => decodeConnectInitial(bytes)).toJSON()).toMatchObject({
      code: 'LIMIT_EXCEEDED', field: 'targetParameters.maxChannelIds', offset: 15,
    });
  });

  it('refuses a Connect Initial larger than 64 KiB as LIMIT_EXCEEDED, by declared length and by size', () => {
    expect(decodeError(() => decodeConnectInitial(fromHex('7f 65 83 01 00 01 04 01 01'), 50)).toJSON())
      .toMatchObject({ code: 'LIMIT_EXCEEDED', field: 'Connect-Initial length', offset: 52 });
    expect(decodeError(() => decodeConnectInitial(new Uint8Array(MAX_CONNECT_PDU_SIZE + 1), 50)).toJSON())
      .toMatchObject({ code: 'LIMIT_EXCEEDED', field: 'length', offset: 50 });
    expect(() => encodeConnectInitial(new Uint8Array(MAX_CONNECT_PDU_SIZE))).toThrow(RangeError);
  });

  it('rejects indefinite lengths, trailing bytes and the wrong PDU', () => {
    expect(decodeError(() => decodeConnectInitial(fromHex('7f 65 80 00 00'))).toJSON()).toMatchObject({ code: 'INVALID_FIELD', field: 'Connect-Initial length', offset: 2 });
    const good = mcs(CONNECT_INITIAL_4_1_3).payload;
    expect(decodeError(() => decodeConnectInitial(Uint8Array.from([...good, 0]), 7)).toJSON()).toMatchObject({ code: 'INVALID_FIELD', field: 'trailing data', offset: 7 + good.length });
    expect(decodeError(() => decodeConnectInitial(mcs(CONNECT_RESPONSE_4_1_4).payload)).toJSON()).toMatchObject({ code: 'UNEXPECTED_TYPE', field: 'Connect-Initial', offset: 0 });
  });
});

describe('MCS Connect Response', () => {
  it('decodes every field of the MS-RDPBCGR 4.1.4 vector', () => {
    const { payload, payloadOffset } = mcs(CONNECT_RESPONSE_4_1_4);
    const cr = decodeConnectResponse(payload, payloadOffset);
    expect(cr).toMatchObject({ result: 0, resultName: 'rt-successful', calledConnectId: 0, userDataOffset: 50 });
    expect(cr.domainParameters).toEqual({
      maxChannelIds: 34, maxUserIds: 3, maxTokenIds: 0, numPriorities: 1,
      minThroughput: 0, maxHeight: 1, maxMCSPDUsize: 65528, protocolVersion: 2,
    });
    expect(cr.userData).toEqual(fromHex(CONNECT_RESPONSE_4_1_4).subarray(50));
  });

  it('re-encodes the 4.1.4 vector byte for byte', () => {
    const cr = decodeConnectResponse(mcs(CONNECT_RESPONSE_4_1_4).payload, 7);
    expect(cr.domainParameters).toEqual(SERVER_DOMAIN_PARAMETERS);
    const bytes = encodeConnectResponse({ result: 0, calledConnectId: 0, userData: cr.userData });
    expect(toHex(encodeX224Data(bytes))).toBe(toHex(fromHex(CONNECT_RESPONSE_4_1_4)));
  });

  it('names a failure result, and reads the result of a result-only response', () => {
    const bytes = encodeConnectResponse({ result: 14, calledConnectId: 3, userData: new Uint8Array(0) });
    expect(decodeConnectResponse(bytes)).toMatchObject({ result: 14, resultName: 'rt-unspecified-failure', calledConnectId: 3, userData: new Uint8Array(0) });
    const short = fromHex('7f 66 03 0a 01 0e');
    expect(decodeError(() => decodeConnectResponse(short, 10)).toJSON()).toMatchObject({ code: 'NOT_ENOUGH_BYTES', field: 'calledConnectId', offset: 16 });
    expect(decodeConnectResponseResult(short)).toEqual({ result: 14, resultName: 'rt-unspecified-failure' });
    expect(decodeConnectResponse(encodeConnectResponse({ result: 99, calledConnectId: 0, userData: new Uint8Array(0) })).resultName).toBe('unknown (0x63)');
  });

  it('refuses a Connect Response over 64 KiB', () => {
    expect(decodeError(() => decodeConnectResponse(fromHex('7f 66 84 00 01 00 01'))).toJSON())
      .toMatchObject({ code: 'LIMIT_EXCEEDED', field: 'Connect-Response length', offset: 2 });
  });
});

describe('mcsConnectKind', () => {
  it('tells BER connect PDUs from PER domain PDUs', () => {
    expect(mcsConnectKind(mcs(CONNECT_INITIAL_4_1_3).payload)).toBe('connect-initial');
    expect(mcsConnectKind(mcs(CONNECT_RESPONSE_4_1_4).payload)).toBe('connect-response');
    expect(mcsConnectKind(mcs(ERECT_DOMAIN_4_1_5).payload)).toBe('domain');
    expect(mcsConnectKind(Uint8Array.of(0x7f, 0x01))).toBe('domain'); // tokenInhibitRequest
    expect(mcsConnectKind(Uint8Array.of(0x7f, 0x67))).toBeUndefined(); // Connect-Additional
    expect(mcsConnectKind(Uint8Array.of(0xac))).toBeUndefined(); // choice 43
    expect(mcsConnectKind(new Uint8Array(0))).toBeUndefined();
  });
});

describe('X.224 Data framing', () => {
  it('wraps and unwraps a payload', () => {
    expect(toHex(encodeX224Data(Uint8Array.of(0x28)))).toBe('03 00 00 08 02 f0 80 28');
    expect(decodeX224Data(fromHex('03 00 00 08 02 f0 80 28'), 100)).toEqual({ eot: true, payload: Uint8Array.of(0x28), payloadOffset: 107 });
    expect(() => encodeX224Data(new Uint8Array(0xffff - 6))).toThrow(RangeError);
    expect(encodeX224Data(new Uint8Array(0xffff - 7)).length).toBe(0xffff);
  });

  it('rejects a TPDU that is not DT at the code byte', () => {
    expect(decodeError(() => decodeX224Data(fromHex('03 00 00 0b 06 d0 00 00 12 34 00'), 10)).toJSON())
      .toMatchObject({ code: 'UNEXPECTED_TYPE', layer: 'x224', field: 'code', offset: 15 });
  });
});
