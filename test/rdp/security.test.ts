import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/wire/hex.js';
import {
  decodeClientInfoPdu, decodeSecurityExchange, decodeSecurityHeader, encodeSecurityExchange, encodeSecurityHeader,
  encodeWithSecurityHeader, ENCRYPTION_LEVEL, ENCRYPTION_METHOD, SEC, securityFlagNames, securityHeaderKind,
  securityHeaderKindFromFlags, type SecurityContext,
} from '../../src/rdp/index.js';
import { decodeError } from '../helpers/decode-error.js';
import * as V from '../vectors/rdp.js';

const userData = (hex: string, at: number) => fromHex(hex).subarray(at);

describe('Client Security Exchange PDU ([MS-RDPBCGR] 4.1.9, the MCS user data from offset 14)', () => {
  const bytes = userData(V.SECURITY_EXCHANGE_4_1_9, V.SECURITY_EXCHANGE_4_1_9_USER_DATA);

  it('decodes flags, length and the padded encrypted client random', () => {
    const x = decodeSecurityExchange(bytes, 14);
    expect(x.flags).toBe(0x0201);
    expect(x.flagNames).toEqual(['SEC_EXCHANGE_PKT', 'SEC_LICENSE_ENCRYPT_SC']);
    expect(x.flagsHi).toBe(0);
    expect(x.length).toBe(72);
    expect(x.encryptedClientRandom.length).toBe(72);
    expect(x.paddingLength).toBe(8);
    expect(x.encryptedRandom.length).toBe(64);
    expect(toHex(x.encryptedRandom.subarray(0, 4))).toBe('91 ac 0c 8f');
    expect(toHex(x.encryptedRandom.subarray(60))).toBe('10 9d 30 11');
  });

  it('encodes the same bytes (the default flags are what mstsc sends)', () => {
    const x = decodeSecurityExchange(bytes);
    expect(toHex(encodeSecurityExchange({ encryptedRandom: x.encryptedRandom }))).toBe(toHex(bytes));
    expect(toHex(encodeSecurityExchange({ encryptedRandom: x.encryptedRandom, flags: SEC.EXCHANGE_PKT }).subarray(0, 2))).toBe('01 00');
  });

  it('names the length field when it overruns the PDU', () => {
    const bad = bytes.slice();
    bad[4] = 73;
    expect(decodeError(() => decodeSecurityExchange(bad, 14)).toJSON()).toMatchObject({
      code: 'INVALID_FIELD', layer: 'rdp', pdu: 'Client Security Exchange PDU', field: 'length', offset: 18,
    });
  });

  it('rejects a header without SEC_EXCHANGE_PKT, trailing bytes and absurd lengths', () => {
    const noFlag = bytes.slice();
    noFlag[0] = 0x40;
    expect(decodeError(() => decodeSecurityExchange(noFlag, 14))).toMatchObject({ code: 'UNEXPECTED_TYPE', field: 'flags', offset: 14 });
    const longer = new Uint8Array([...bytes, 0]);
    expect(decodeError(() => decodeSecurityExchange(longer))).toMatchObject({ field: 'trailing data', offset: 80 });
    const huge = bytes.slice();
    huge[5] = 0x10;
    expect(decodeError(() => decodeSecurityExchange(huge, 14))).toMatchObject({ code: 'LIMIT_EXCEEDED', field: 'length', offset: 18 });
  });
});

describe('Security Exchange PDUs of real captures', () => {
  it('decode like the spec example (flags 0x0201, 64-byte random, 8 bytes of padding)', () => {
    for (const v of [V.RDP003_SECURITY_EXCHANGE, V.PROPRIETARY_SECURITY_EXCHANGE]) {
      const bytes = userData(v, 14);
      const x = decodeSecurityExchange(bytes, 14);
      expect(x).toMatchObject({ flags: 0x0201, length: 72, paddingLength: 8 });
      expect(x.encryptedRandom.length).toBe(64);
      expect(toHex(encodeSecurityExchange({ encryptedRandom: x.encryptedRandom }))).toBe(toHex(bytes));
    }
  });
});

describe('security headers', () => {
  it('decodes the non-FIPS header of the encrypted 4.1.10 Client Info PDU', () => {
    const h = decodeSecurityHeader(userData(V.CLIENT_INFO_4_1_10_WIRE, V.CLIENT_INFO_4_1_10_USER_DATA), 15, 'non-fips');
    expect(h).toMatchObject({ kind: 'non-fips', flags: 0x0048, flagsHi: 0, bodyOffset: 12 });
    expect(h.flagNames).toEqual(['SEC_ENCRYPT', 'SEC_INFO_PKT']);
    expect(toHex(h.signature!)).toBe('45 ca 46 fa 5e a7 be bc');
    expect(h.fips).toBeUndefined();
  });

  it('decodes the non-FIPS headers of 4.1.11 (licensing, SEC_LICENSE_ENCRYPT_CS) and 4.1.12 (junk flagsHi)', () => {
    const lic = decodeSecurityHeader(userData(V.LICENSE_VALID_CLIENT_4_1_11_WIRE, 14), 14, 'non-fips');
    expect(lic.flags).toBe(0x0288);
    expect(lic.flagNames).toEqual(['SEC_ENCRYPT', 'SEC_LICENSE_PKT', 'SEC_LICENSE_ENCRYPT_CS']);
    expect(lic.flagsHi).toBe(0x0302);
    expect(toHex(lic.signature!)).toBe('8d 43 9a ab d5 2a 31 39');
    const da = decodeSecurityHeader(userData(V.DEMAND_ACTIVE_4_1_12_WIRE, 15), 15, 'non-fips');
    expect(da.flagNames).toEqual(['SEC_ENCRYPT']);
    expect(da.flagsHi).toBe(0x0302);
    expect(toHex(da.signature!)).toBe('56 02 e1 47 ac 5c 50 d9');
  });

  it('the encrypted Client Info PDU decodes to its header and encrypted: true', () => {
    const pdu = decodeClientInfoPdu(userData(V.CLIENT_INFO_4_1_10_WIRE, 15), 15, 'non-fips');
    expect(pdu.encrypted).toBe(true);
    expect(pdu.info).toBeUndefined();
  });

  it('decodes and encodes a FIPS header; checks its length and padlen', () => {
    const fips = fromHex('08 00 00 00 10 00 01 03 01 02 03 04 05 06 07 08');
    const h = decodeSecurityHeader(fips, 100, 'fips');
    expect(h).toMatchObject({ kind: 'fips', flags: 8, fips: { length: 16, version: 1, padlen: 3 }, bodyOffset: 16 });
    expect(toHex(encodeSecurityHeader({ kind: 'fips', flags: 8, fips: { padlen: 3 }, signature: h.signature! }))).toBe(toHex(fips));
    const badLen = fips.slice();
    badLen[4] = 0x11;
    expect(decodeError(() => decodeSecurityHeader(badLen, 100, 'fips'))).toMatchObject({ code: 'INVALID_FIELD', field: 'length', offset: 104 });
    const badPad = fips.slice();
    badPad[7] = 8;
    expect(decodeError(() => decodeSecurityHeader(badPad, 100, 'fips'))).toMatchObject({ field: 'padlen', offset: 107 });
  });

  it('encodes basic and non-FIPS headers, with and without a body', () => {
    expect(toHex(encodeSecurityHeader({ flags: SEC.LICENSE_PKT }))).toBe('80 00 00 00');
    const sig = fromHex('01 02 03 04 05 06 07 08');
    expect(toHex(encodeSecurityHeader({ kind: 'non-fips', flags: 0x48, signature: sig }))).toBe('48 00 00 00 01 02 03 04 05 06 07 08');
    expect(toHex(encodeWithSecurityHeader({ flags: SEC.INFO_PKT }, Uint8Array.of(9)))).toBe('40 00 00 00 09');
    expect(() => encodeSecurityHeader({ kind: 'non-fips', flags: 8, signature: new Uint8Array(7) })).toThrow(RangeError);
  });

  it('names every flag, and 0x0200 by context', () => {
    expect(securityFlagNames(0xffff)).toEqual([
      'SEC_EXCHANGE_PKT', 'SEC_TRANSPORT_REQ', 'SEC_TRANSPORT_RSP', 'SEC_ENCRYPT', 'SEC_RESET_SEQNO', 'SEC_IGNORE_SEQNO',
      'SEC_INFO_PKT', 'SEC_LICENSE_PKT', 'SEC_LICENSE_ENCRYPT_SC', 'SEC_REDIRECTION_PKT', 'SEC_SECURE_CHECKSUM',
      'SEC_AUTODETECT_REQ', 'SEC_AUTODETECT_RSP', 'SEC_HEARTBEAT', 'SEC_FLAGSHI_VALID', 'unknown (0x0100)',
    ]);
    expect(securityFlagNames(0x0200)).toEqual(['SEC_LICENSE_ENCRYPT_CS/SC']);
    expect(securityFlagNames(0)).toEqual([]);
  });

  it('reads a truncated header as a DecodeError at the right place', () => {
    expect(decodeError(() => decodeSecurityHeader(fromHex('48 00 00'), 7))).toMatchObject({ code: 'NOT_ENOUGH_BYTES', offset: 7 });
    expect(decodeError(() => decodeSecurityHeader(fromHex('48 00 00 00 01 02'), 7, 'non-fips'))).toMatchObject({ field: 'dataSignature', offset: 11 });
  });
});

describe('which security header a PDU carries (securityHeaderKind)', () => {
  const std = (level: number, method: number, pdu: SecurityContext['pdu'], more: Partial<SecurityContext> = {}) =>
    securityHeaderKind({ enhanced: false, encryptionLevel: level, encryptionMethod: method, pdu, ...more });

  it('Enhanced RDP Security: basic on Client Info, licensing and message-channel PDUs, none elsewhere', () => {
    expect(securityHeaderKind({ enhanced: true, pdu: 'client-info' })).toBe('basic');
    expect(securityHeaderKind({ enhanced: true, pdu: 'licensing' })).toBe('basic');
    expect(securityHeaderKind({ enhanced: true, pdu: 'message-channel' })).toBe('basic');
    expect(securityHeaderKind({ enhanced: true, pdu: 'other' })).toBe('none');
  });

  it('Standard RDP Security without encryption: basic on Client Info and licensing, none elsewhere', () => {
    expect(std(ENCRYPTION_LEVEL.NONE, ENCRYPTION_METHOD.NONE, 'client-info')).toBe('basic');
    expect(std(ENCRYPTION_LEVEL.NONE, ENCRYPTION_METHOD.NONE, 'licensing')).toBe('basic');
    expect(std(ENCRYPTION_LEVEL.NONE, ENCRYPTION_METHOD.NONE, 'other')).toBe('none');
  });

  it('Standard RDP Security with encryption: non-FIPS or FIPS, basic where nothing is encrypted', () => {
    expect(std(ENCRYPTION_LEVEL.CLIENT_COMPATIBLE, ENCRYPTION_METHOD.BIT_128, 'security-exchange')).toBe('basic');
    expect(std(ENCRYPTION_LEVEL.CLIENT_COMPATIBLE, ENCRYPTION_METHOD.BIT_128, 'client-info')).toBe('non-fips');
    expect(std(ENCRYPTION_LEVEL.FIPS, ENCRYPTION_METHOD.FIPS, 'client-info')).toBe('fips');
    expect(std(ENCRYPTION_LEVEL.HIGH, ENCRYPTION_METHOD.BIT_128, 'other', { direction: 'server-to-client' })).toBe('non-fips');
    expect(std(ENCRYPTION_LEVEL.LOW, ENCRYPTION_METHOD.BIT_56, 'other', { direction: 'server-to-client' })).toBe('basic');
    expect(std(ENCRYPTION_LEVEL.LOW, ENCRYPTION_METHOD.BIT_56, 'other', { direction: 'client-to-server' })).toBe('non-fips');
    expect(std(ENCRYPTION_LEVEL.HIGH, ENCRYPTION_METHOD.BIT_128, 'licensing')).toBe('basic');
    expect(std(ENCRYPTION_LEVEL.HIGH, ENCRYPTION_METHOD.BIT_128, 'licensing', { licenseEncrypted: true })).toBe('non-fips');
  });

  it('picks the kind from SEC_ENCRYPT once the flags are known', () => {
    expect(securityHeaderKindFromFlags(0x0080)).toBe('basic');
    expect(securityHeaderKindFromFlags(0x0288, ENCRYPTION_METHOD.BIT_128)).toBe('non-fips');
    expect(securityHeaderKindFromFlags(0x0048, ENCRYPTION_METHOD.FIPS)).toBe('fips');
  });
});
