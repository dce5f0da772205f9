// TSCredentials with TSPasswordCreds ([MS-CSSP] 2.2.1.2, 2.2.1.2.1): the encoder against DER built
// by hand from the spec's ASN.1, round trips, the decoder's errors, and the shared robustness suite.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/wire/hex.js';
import { decodeTsCredentials, encodeTsCredentials, TS_CREDENTIALS_NAME, type PasswordCredentials } from '../../src/credssp/ts-credentials.js';
import { decodeError } from '../helpers/decode-error.js';
import { robustnessSuite } from '../helpers/robustness.js';

const hex = (b: Uint8Array): string => toHex(b, '');
const BASE = 500;

/**
 * TSCredentials for domain "D", user "U", password "P" (UTF-16LE: 4400, 5500, 5000):
 *   30 1d                      TSCredentials SEQUENCE, 29 bytes
 *     a0 03 02 01 01           [0] credType INTEGER 1 (password)
 *     a1 16 04 14              [1] credentials OCTET STRING, 20 bytes, holding:
 *       30 12                  TSPasswordCreds SEQUENCE, 18 bytes
 *         a0 04 04 02 4400     [0] domainName OCTET STRING "D"
 *         a1 04 04 02 5500     [1] userName   OCTET STRING "U"
 *         a2 04 04 02 5000     [2] password   OCTET STRING "P"
 */
const SMALL = { domain: 'D', user: 'U', password: 'P' };
const SMALL_DER = '301d' + 'a003020101' + 'a1160414' + '3012' + 'a00404024400' + 'a10404025500' + 'a20404025000';

/** As SMALL with an empty domain: [0] holds an empty OCTET STRING (a0 02 04 00), every length 2 less. */
const NO_DOMAIN_DER = '301b' + 'a003020101' + 'a1140412' + '3010' + 'a0020400' + 'a10404025500' + 'a20404025000';

const UNICODE: PasswordCredentials = { domain: 'RDPSCOPE', user: 'Jürgen', password: 'Pässwörd€' };

describe('encodeTsCredentials', () => {
  it('encodes the hand-built DER of [MS-CSSP] 2.2.1.2 byte for byte', () => {
    expect(hex(encodeTsCredentials(SMALL))).toBe(SMALL_DER);
  });

  it('an empty domain is an empty OCTET STRING, not a missing field', () => {
    expect(hex(encodeTsCredentials({ ...SMALL, domain: '' }))).toBe(NO_DOMAIN_DER);
  });

  it('strings are UTF-16LE: "€" is ac20, and long values get the 0x81 length form', () => {
    // 140 content bytes: OCTET STRING 04 81 8c (143 bytes in all), [2] a2 81 8f
    const enc = encodeTsCredentials({ domain: '', user: 'u', password: '€'.repeat(70) });
    expect(hex(enc)).toContain('a2818f' + '04818c' + 'ac20'.repeat(70));
  });
});

describe('decodeTsCredentials', () => {
  it('decodes the hand-built DER', () => {
    expect(decodeTsCredentials(fromHex(SMALL_DER))).toEqual(SMALL);
    expect(decodeTsCredentials(fromHex(NO_DOMAIN_DER))).toEqual({ ...SMALL, domain: '' });
  });

  it.each([
    ['non-ASCII', UNICODE],
    ['an empty domain', { domain: '', user: 'rdpscope', password: 'Scenario#Pass1' }],
    ['all empty', { domain: '', user: '', password: '' }],
    ['a surrogate pair and a 300-character password', { domain: 'dömäin', user: '😀', password: 'x'.repeat(300) }],
  ])('round trip: %s', (_, c) => {
    expect(decodeTsCredentials(encodeTsCredentials(c))).toEqual(c);
  });

  it('credType 2 (smart card) is UNSUPPORTED_VALUE at the INTEGER', () => {
    const e = decodeError(() => decodeTsCredentials(fromHex(SMALL_DER.replace('a003020101', 'a003020102')), BASE));
    expect(e).toMatchObject({ code: 'UNSUPPORTED_VALUE', layer: 'credssp', pdu: TS_CREDENTIALS_NAME, field: 'credType', offset: BASE + 4 });
  });

  it('an odd UTF-16 length is INVALID_FIELD at the string', () => {
    // domainName of 1 byte (44): a0 03 04 01 44, every enclosing length one less
    const odd = '301c' + 'a003020101' + 'a1150413' + '3011' + 'a003040144' + 'a10404025500' + 'a20404025000';
    const e = decodeError(() => decodeTsCredentials(fromHex(odd), BASE));
    expect(e).toMatchObject({ code: 'INVALID_FIELD', field: 'domainName', offset: BASE + 17 });
  });

  it('trailing bytes after TSCredentials are INVALID_FIELD', () => {
    const e = decodeError(() => decodeTsCredentials(fromHex(SMALL_DER + '00'), BASE));
    expect(e).toMatchObject({ code: 'INVALID_FIELD', field: 'TSCredentials', offset: BASE + 31 });
  });

  it('bytes after TSPasswordCreds inside the credentials OCTET STRING are INVALID_FIELD', () => {
    // 05 00 appended inside [1]: every enclosing length two more
    const extra = '301f' + 'a003020101' + 'a1180416' + '3012a00404024400a10404025500a20404025000' + '0500';
    const e = decodeError(() => decodeTsCredentials(fromHex(extra), BASE));
    expect(e).toMatchObject({ code: 'INVALID_FIELD', field: 'credentials', offset: BASE + 31 });
  });

  it('an extra element inside TSPasswordCreds is INVALID_FIELD', () => {
    // a3 02 04 00 appended to TSPasswordCreds
    const extra = '3021' + 'a003020101' + 'a11a0418' + '3016' + 'a00404024400' + 'a10404025500' + 'a20404025000' + 'a3020400';
    const e = decodeError(() => decodeTsCredentials(fromHex(extra), BASE));
    expect(e).toMatchObject({ code: 'INVALID_FIELD', field: 'TSPasswordCreds' });
  });

  it('fields out of order are UNEXPECTED_TYPE', () => {
    const swapped = SMALL_DER.replace('a00404024400a10404025500', 'a10404025500a00404024400');
    expect(decodeError(() => decodeTsCredentials(fromHex(swapped))).code).toBe('UNEXPECTED_TYPE');
  });
});

robustnessSuite(
  [{ name: 'decodeTsCredentials', decode: decodeTsCredentials, inputs: [fromHex(SMALL_DER), fromHex(NO_DOMAIN_DER), encodeTsCredentials(UNICODE)] }],
  { layer: 'credssp', base: BASE, editsMustFail: true },
);
