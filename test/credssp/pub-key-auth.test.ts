// pubKeyAuth contents ([MS-CSSP] 3.1.5): the key itself and the key with its first byte plus one
// before version 5, SHA-256 binding hashes (recomputed here with node:crypto) from version 5 on.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/wire/hex.js';
import { clientPubKeyAuth, CLIENT_NONCE_SIZE, HASHED_PUB_KEY_AUTH_VERSION, serverPubKeyAuth } from '../../src/credssp/pub-key-auth.js';

const hex = (b: Uint8Array): string => toHex(b, '');
const key = Uint8Array.of(0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00, 0xc3);
const nonce = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
const sha256 = (magic: string): string =>
  createHash('sha256').update(Buffer.concat([Buffer.from(magic, 'ascii'), Buffer.from([0]), nonce, key])).digest('hex');

describe('versions 2-4: the key, and the key with its first byte plus one', () => {
  it.each([2, 3, 4])('v%i: the client sends the key; the server the key with byte 0 + 1', (v) => {
    expect(hex(clientPubKeyAuth(v, key))).toBe(hex(key));
    expect(hex(serverPubKeyAuth(v, key))).toBe('31' + hex(key.subarray(1)));
  });

  it('returns copies: the caller key is untouched and the client result is not the same buffer', () => {
    const k = key.slice();
    const c = clientPubKeyAuth(4, k);
    serverPubKeyAuth(4, k);
    expect(c).not.toBe(k);
    expect(hex(k)).toBe(hex(key));
  });

  it('0xff wraps to 0x00 without carrying into byte 1', () => {
    expect(hex(serverPubKeyAuth(2, Uint8Array.of(0xff, 0x10)))).toBe('0010');
  });

  it('ignores a nonce', () => {
    expect(hex(clientPubKeyAuth(4, key, nonce))).toBe(hex(key));
  });
});

describe('versions 5 and 6: SHA-256(magic || clientNonce || key)', () => {
  it('version 5 is the first hashed version; the nonce is 32 bytes', () => {
    expect(HASHED_PUB_KEY_AUTH_VERSION).toBe(5);
    expect(CLIENT_NONCE_SIZE).toBe(32);
  });

  it.each([5, 6])('v%i: client and server hashes with their magic strings', (v) => {
    expect(hex(clientPubKeyAuth(v, key, nonce))).toBe(sha256('CredSSP Client-To-Server Binding Hash'));
    expect(hex(serverPubKeyAuth(v, key, nonce))).toBe(sha256('CredSSP Server-To-Client Binding Hash'));
  });

  it('the hash depends on the nonce and on every key byte', () => {
    const base = hex(clientPubKeyAuth(6, key, nonce));
    const n2 = nonce.slice();
    n2[31]! ^= 1;
    const k2 = key.slice();
    k2[9]! ^= 1;
    expect(hex(clientPubKeyAuth(6, key, n2))).not.toBe(base);
    expect(hex(clientPubKeyAuth(6, k2, nonce))).not.toBe(base);
  });

  it.each([0, 31, 33])('a %i-byte nonce is a RangeError', (n) => {
    expect(() => clientPubKeyAuth(6, key, new Uint8Array(n))).toThrow(RangeError);
    expect(() => serverPubKeyAuth(6, key, new Uint8Array(n))).toThrow(RangeError);
  });

  it.each([5, 6])('v%i without a nonce is a RangeError', (v) => {
    expect(() => clientPubKeyAuth(v, key)).toThrow(RangeError);
    expect(() => serverPubKeyAuth(v, key)).toThrow(RangeError);
  });
});
