import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/wire/hex.js';
import {
  decodeLicensingPdu, decodeLicensingPduWithHeader, encodeLicenseError, encodeLicensingPduWithHeader,
  encodeServerLicenseRequest, encodeValidClientLicense, LICENSE_ERROR, licensingOutcome, ST,
  EXTENDED_ERROR_MSG_SUPPORTED, PREAMBLE_VERSION_3_0,
} from '../../src/licensing/index.js';
import { decodeError } from '../helpers/decode-error.js';
import * as V from '../vectors/rdp.js';

const VALID = fromHex(V.LICENSE_VALID_CLIENT_4_1_11_PLAIN);
const REQUEST = fromHex(V.LICENSE_REQUEST);

describe('License Error PDU - Valid Client ([MS-RDPBCGR] 4.1.11)', () => {
  it('decodes the decrypted 16 bytes', () => {
    const pdu = decodeLicensingPdu(VALID, 26);
    if (pdu.kind !== 'error') throw new Error(pdu.kind);
    expect(pdu.preamble).toMatchObject({
      bMsgType: 0xff, flags: 3, version: 3, versionName: 'PREAMBLE_VERSION_3_0', extendedErrorMsgSupported: false, wMsgSize: 16,
    });
    expect(pdu.preamble.msgType.name).toBe('ERROR_ALERT');
    expect(pdu.error).toMatchObject({ dwErrorCode: 7, dwStateTransition: 2 });
    expect(pdu.error.errorCode.name).toBe('STATUS_VALID_CLIENT');
    expect(pdu.error.stateTransition.name).toBe('ST_NO_TRANSITION');
    expect(pdu.error.bbErrorInfo).toMatchObject({ wBlobType: 4, typeName: 'BB_ERROR_BLOB', wBlobLen: 0, offset: 26 + 12 });
    expect(licensingOutcome(pdu)).toMatchObject({ outcome: 'valid-client', transitionOk: true });
  });

  it('encodes exactly those bytes, and with a basic security header what a server sends in the clear', () => {
    expect(toHex(encodeValidClientLicense())).toBe(toHex(VALID));
    expect(toHex(encodeLicenseError({ errorCode: LICENSE_ERROR.STATUS_VALID_CLIENT, stateTransition: ST.NO_TRANSITION }))).toBe(toHex(VALID));
    const clear = encodeLicensingPduWithHeader(VALID);
    expect(toHex(clear)).toBe(`80 00 00 00 ${toHex(VALID)}`);
    const d = decodeLicensingPduWithHeader(clear, 14);
    expect(d.encrypted).toBe(false);
    expect(d.header.flagNames).toEqual(['SEC_LICENSE_PKT']);
    expect(d.pdu && licensingOutcome(d.pdu).outcome).toBe('valid-client');
  });

  it('the PDU as sent (MCS user data from offset 14) is encrypted: header only', () => {
    const userData = fromHex(V.LICENSE_VALID_CLIENT_4_1_11_WIRE).subarray(V.LICENSE_VALID_CLIENT_4_1_11_USER_DATA);
    const d = decodeLicensingPduWithHeader(userData, 14, 'non-fips');
    expect(d.encrypted).toBe(true);
    expect(d.pdu).toBeUndefined();
    expect(d.header.flagNames).toEqual(['SEC_ENCRYPT', 'SEC_LICENSE_PKT', 'SEC_LICENSE_ENCRYPT_CS']);
  });

  it('a security header without SEC_LICENSE_PKT is not a licensing PDU', () => {
    expect(decodeError(() => decodeLicensingPduWithHeader(fromHex(`40 00 00 00 ${V.LICENSE_VALID_CLIENT_4_1_11_PLAIN}`), 9)))
      .toMatchObject({ code: 'UNEXPECTED_TYPE', field: 'flags', offset: 9 });
  });
});

describe('a real server\'s clear-text Valid Client (RDP-003.pcap packet 26)', () => {
  it('decodes despite the junk wBlobType of the empty blob, and is valid-client', () => {
    const d = decodeLicensingPduWithHeader(fromHex(V.RDP003_LICENSE_VALID_CLIENT).subarray(14), 14);
    expect(d.header).toMatchObject({ flags: 0x0280, flagsHi: 0x0010, flagNames: ['SEC_LICENSE_PKT', 'SEC_LICENSE_ENCRYPT_CS'] });
    const pdu = d.pdu!;
    if (pdu.kind !== 'error') throw new Error(pdu.kind);
    expect(pdu.preamble).toMatchObject({ version: 2, versionName: 'PREAMBLE_VERSION_2_0', wMsgSize: 16 });
    expect(pdu.error.bbErrorInfo).toMatchObject({ wBlobType: 0xe238, typeName: 'unknown (0xe238)', wBlobLen: 0 });
    expect(licensingOutcome(pdu)).toMatchObject({ outcome: 'valid-client', transitionOk: true });
  });
});

describe('licensing errors', () => {
  it('ERR_NO_LICENSE_SERVER with ST_TOTAL_ABORT: fatal, with what a client shows', () => {
    const pdu = decodeLicensingPdu(fromHex(V.LICENSE_ERROR_NO_LICENSE_SERVER));
    const o = licensingOutcome(pdu);
    if (o.outcome !== 'error') throw new Error(o.outcome);
    expect(o.code).toMatchObject({ name: 'ERR_NO_LICENSE_SERVER', hex: '0x6' });
    expect(o.transition.name).toBe('ST_TOTAL_ABORT');
    expect(o.fatal).toBe(true);
    expect(o.clientShows).toMatch(/no Remote Desktop license server/);
    expect(o.summary).toContain('ERR_NO_LICENSE_SERVER');
    expect(toHex(encodeLicenseError({ errorCode: LICENSE_ERROR.ERR_NO_LICENSE_SERVER, stateTransition: ST.TOTAL_ABORT })))
      .toBe(V.LICENSE_ERROR_NO_LICENSE_SERVER);
  });

  it('ERR_INVALID_CLIENT with extended error data and EXTENDED_ERROR_MSG_SUPPORTED', () => {
    const bytes = fromHex(V.LICENSE_ERROR_INVALID_CLIENT);
    const pdu = decodeLicensingPdu(bytes);
    if (pdu.kind !== 'error') throw new Error(pdu.kind);
    expect(pdu.preamble.extendedErrorMsgSupported).toBe(true);
    expect(toHex(pdu.error.bbErrorInfo.data)).toBe('de ad be ef');
    expect(licensingOutcome(pdu)).toMatchObject({ outcome: 'error', code: { name: 'ERR_INVALID_CLIENT' }, fatal: true });
    expect(toHex(encodeLicenseError({
      errorCode: 8, stateTransition: ST.TOTAL_ABORT, errorInfo: fromHex('de ad be ef'), flags: PREAMBLE_VERSION_3_0 | EXTENDED_ERROR_MSG_SUPPORTED,
    }))).toBe(V.LICENSE_ERROR_INVALID_CLIENT);
  });

  it('names every code and transition of 2.2.1.12.1.3, and unknown ones', () => {
    const names = (code: number, st: number) => {
      const o = licensingOutcome(decodeLicensingPdu(encodeLicenseError({ errorCode: code, stateTransition: st })));
      return o.outcome === 'error' ? [o.code.name, o.transition.name, o.fatal] : [o.outcome];
    };
    expect(names(1, 1)).toEqual(['ERR_INVALID_SERVER_CERTIFICATE', 'ST_TOTAL_ABORT', true]);
    expect(names(2, 2)).toEqual(['ERR_NO_LICENSE', 'ST_NO_TRANSITION', false]);
    expect(names(3, 3)).toEqual(['ERR_INVALID_MAC', 'ST_RESET_PHASE_TO_START', false]);
    expect(names(4, 4)).toEqual(['ERR_INVALID_SCOPE', 'ST_RESEND_LAST_MESSAGE', false]);
    expect(names(0xb, 1)).toEqual(['ERR_INVALID_PRODUCTID', 'ST_TOTAL_ABORT', true]);
    expect(names(0xc, 1)).toEqual(['ERR_INVALID_MESSAGE_LEN', 'ST_TOTAL_ABORT', true]);
    expect(names(0x99, 9)).toEqual(['unknown (0x99)', 'unknown (0x9)', false]);
    expect(licensingOutcome(decodeLicensingPdu(encodeLicenseError({ errorCode: 7, stateTransition: 1 })))).toMatchObject({ outcome: 'valid-client', transitionOk: false });
  });
});

describe('Server License Request ([MS-RDPELE] 2.2.2.1, built from the layout)', () => {
  it('decodes random, product, key exchange, certificate and scopes', () => {
    const pdu = decodeLicensingPdu(REQUEST, 100);
    if (pdu.kind !== 'license-request') throw new Error(pdu.kind);
    const r = pdu.request;
    expect(pdu.preamble.msgType.name).toBe('LICENSE_REQUEST');
    expect(toHex(r.serverRandom.subarray(0, 3))).toBe('01 02 03');
    expect(r.productInfo).toEqual({ dwVersion: 0x60000, companyName: 'Microsoft Corporation', productId: 'A02' });
    expect(r.keyExchangeList).toMatchObject({ typeName: 'BB_KEY_EXCHG_ALG_BLOB', wBlobLen: 4 });
    expect(r.keyExchangeAlgorithms).toEqual(['KEY_EXCHANGE_ALG_RSA']);
    expect(r.serverCertificate).toMatchObject({ typeName: 'BB_CERTIFICATE_BLOB', length: 8, certChainVersion: 2, temporary: true });
    expect(r.scopes).toEqual(['microsoft.com']);
    expect(licensingOutcome(pdu)).toMatchObject({ outcome: 'license-request', productId: 'A02', scopes: ['microsoft.com'] });
  });

  it('encodes the same bytes', () => {
    const bytes = encodeServerLicenseRequest({
      serverRandom: REQUEST.slice(4, 36), dwVersion: 0x60000, certificate: fromHex('02 00 00 80 00 00 00 00'),
    });
    expect(toHex(bytes)).toBe(toHex(REQUEST));
    const bare = decodeLicensingPdu(encodeServerLicenseRequest({ serverRandom: new Uint8Array(32), scopes: [] }));
    expect(bare.kind === 'license-request' && bare.request).toMatchObject({ scopes: [], serverCertificate: { length: 0 } });
  });

  it('names nested lengths that overrun their message', () => {
    const patch = (at: number, ...v: number[]) => {
      const b = REQUEST.slice();
      b.set(v, at);
      return b;
    };
    expect(decodeError(() => decodeLicensingPdu(patch(40, 0xff), 100)).toJSON()).toMatchObject({
      code: 'INVALID_FIELD', layer: 'rdp', pdu: 'Licensing PDU', field: 'ProductInfo.cbCompanyName', offset: 140,
    });
    expect(decodeError(() => decodeLicensingPdu(patch(88, 0, 0, 0, 1), 100))).toMatchObject({ field: 'ProductInfo.cbProductId', offset: 188 });
    expect(decodeError(() => decodeLicensingPdu(patch(102, 0x40), 100))).toMatchObject({ field: 'KeyExchangeList.wBlobLen', offset: 202 });
    expect(decodeError(() => decodeLicensingPdu(patch(110, 0x80), 100))).toMatchObject({ field: 'ServerCertificate.wBlobLen', offset: 210 });
    expect(decodeError(() => decodeLicensingPdu(patch(120, 9), 100))).toMatchObject({ field: 'ScopeList.ScopeCount', offset: 220 });
    expect(decodeError(() => decodeLicensingPdu(patch(126, 0x0f), 100))).toMatchObject({ field: 'ScopeList.ScopeArray[0].wBlobLen', offset: 226 });
    expect(decodeError(() => decodeLicensingPdu(patch(2, 0x8f), 100))).toMatchObject({ field: 'wMsgSize', offset: 102 });
  });
});

describe('the other server licensing messages', () => {
  it('Platform Challenge and New License report lengths only', () => {
    const ch = decodeLicensingPdu(fromHex(V.PLATFORM_CHALLENGE));
    expect(ch).toMatchObject({
      kind: 'platform-challenge',
      challenge: { connectFlags: 0, encryptedPlatformChallengeType: 9, encryptedPlatformChallengeLength: 10, macDataLength: 16 },
    });
    expect(licensingOutcome(ch).outcome).toBe('platform-challenge');
    const nl = decodeLicensingPdu(fromHex(V.NEW_LICENSE));
    expect(nl).toMatchObject({ kind: 'new-license', license: { encryptedLicenseInfoType: 9, encryptedLicenseInfoLength: 20, macDataLength: 16 } });
    expect(licensingOutcome(nl).outcome).toBe('license-issued');
    const up = fromHex(V.NEW_LICENSE);
    up[0] = 0x04;
    expect(decodeLicensingPdu(up).kind).toBe('upgrade-license');
  });

  it('client messages decode to their preamble', () => {
    const pdu = decodeLicensingPdu(fromHex('13 83 08 00 01 00 00 00'));
    expect(pdu).toMatchObject({ kind: 'other', bodyLength: 4, preamble: { msgType: { name: 'NEW_LICENSE_REQUEST' } } });
    expect(licensingOutcome(pdu)).toMatchObject({ outcome: 'client-message' });
  });

  it('a MACData cut short, a blob overrunning, or trailing bytes are DecodeErrors', () => {
    const nl = fromHex(V.NEW_LICENSE);
    expect(decodeError(() => decodeLicensingPdu(nl.subarray(0, 43), 5))).toMatchObject({ field: 'wMsgSize', offset: 7 });
    const cut = nl.slice(0, 43);
    cut[2] = 43;
    expect(decodeError(() => decodeLicensingPdu(cut, 5))).toMatchObject({ code: 'NOT_ENOUGH_BYTES', field: 'MACData', offset: 33 });
    const long = new Uint8Array([...VALID, 0]);
    long[2] = 17;
    expect(decodeError(() => decodeLicensingPdu(long, 5))).toMatchObject({ field: 'trailing data', offset: 21 });
    const blob = VALID.slice();
    blob[14] = 1;
    expect(decodeError(() => decodeLicensingPdu(blob, 5))).toMatchObject({ field: 'bbErrorInfo.wBlobLen', offset: 19 });
  });
});
