import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/wire/hex.js';
import {
  decodeClientInfoPdu, decodeInfoPacket, encodeClientInfoPdu, encodeInfoPacket, INFO, PERF, SEC, type ClientInfoSpec,
} from '../../src/rdp/index.js';
import { decodeError } from '../helpers/decode-error.js';
import * as V from '../vectors/rdp.js';

const PLAIN = fromHex(V.CLIENT_INFO_4_1_10_PLAIN);
const SECRET = 'S3cret!pw-do-not-log';

/** Every string and byte array reachable from a value, for "the password is nowhere" checks. */
function everything(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (v instanceof Uint8Array) out.push(toHex(v), new TextDecoder('utf-16le').decode(v), new TextDecoder('latin1').decode(v));
  else if (v && typeof v === 'object') for (const x of Object.values(v)) everything(x, out);
  return out;
}

describe('TS_INFO_PACKET of [MS-RDPBCGR] 4.1.10 (the decrypted 400 bytes)', () => {
  const info = decodeInfoPacket(PLAIN, 27);

  it('decodes the fixed fields and strings', () => {
    expect(info.codePage).toBe(0x04090409);
    expect(info.flags).toBe(0x43b3);
    expect(info.flagNames).toEqual([
      'INFO_MOUSE', 'INFO_DISABLECTRLALTDEL', 'INFO_UNICODE', 'INFO_MAXIMIZESHELL', 'INFO_COMPRESSION',
      'INFO_ENABLEWINDOWSKEY', 'INFO_FORCE_ENCRYPTED_CS_PDU',
    ]);
    expect(info.unicode).toBe(true);
    expect(info.compressionType).toBe(1);
    expect(info.compressionTypeName).toBe('PACKET_COMPR_TYPE_64K');
    expect(info.domain).toBe('NTDEV');
    expect(info.userName).toBe('eltons');
    expect(info.passwordLength).toBe(0);
    expect(info.hasPassword).toBe(false);
    expect(info.alternateShell).toBe('');
    expect(info.workingDir).toBe('');
  });

  it('decodes the Extended Info Packet up to cbAutoReconnectCookie', () => {
    const x = info.extended!;
    expect(x.clientAddressFamily).toBe(2);
    expect(x.clientAddressFamilyName).toBe('AF_INET');
    expect(x.clientAddress).toBe('157.59.242.156');
    expect(x.clientDir).toBe('C:\\depots\\w2k3_1\\termsrv\\newclient\\lib\\win32\\obj\\i386\\mstscax.dll');
    expect(x.timezone!.raw.length).toBe(172);
    expect(toHex(x.timezone!.raw)).toBe(toHex(PLAIN.subarray(218, 390)));
    expect(x.timezone).toMatchObject({
      bias: 480, standardName: 'Pacific Standard Time', standardBias: 0, daylightName: 'Pacific Daylight Time', daylightBias: -60,
    });
    expect(x.sessionId).toBe(0);
    expect(x.performanceFlags).toBe(PERF.DISABLE_WALLPAPER);
    expect(x.performanceFlagNames).toEqual(['PERF_DISABLE_WALLPAPER']);
    expect(x.autoReconnectCookieLength).toBe(0);
    expect(x.reserved1).toBeUndefined();
    expect(x.dynamicDstTimeZoneKeyName).toBeUndefined();
  });

  it('encodes the same 400 bytes', () => {
    const tz = PLAIN.slice(218, 390);
    const spec: ClientInfoSpec = {
      codePage: 0x04090409, flags: 0x43b3, domain: 'NTDEV', user: 'eltons',
      extended: {
        clientAddress: '157.59.242.156', clientDir: info.extended!.clientDir, timezone: tz, sessionId: 0,
        performanceFlags: 1, autoReconnectCookie: new Uint8Array(0),
      },
    };
    expect(toHex(encodeInfoPacket(spec))).toBe(toHex(PLAIN));
    // the time zone from its fields gives the same 172 bytes
    const fields = {
      bias: 480, standardName: 'Pacific Standard Time', standardDate: PLAIN.slice(286, 302), standardBias: 0,
      daylightName: 'Pacific Daylight Time', daylightDate: PLAIN.slice(370, 386), daylightBias: -60,
    };
    expect(toHex(encodeInfoPacket({ ...spec, extended: { ...spec.extended as object, timezone: fields } as ClientInfoSpec['extended'] }))).toBe(toHex(PLAIN));
  });

  it('names the field and offset of inconsistent lengths', () => {
    const bad = PLAIN.slice();
    bad[9] = 0xff; // cbDomain 0xff0a
    expect(decodeError(() => decodeInfoPacket(bad, 27)).toJSON()).toMatchObject({
      code: 'INVALID_FIELD', layer: 'rdp', pdu: 'Client Info PDU', field: 'cbDomain', offset: 35,
    });
    const addr = PLAIN.slice();
    addr[53] = 0xff; // cbClientAddress 0xff1e
    expect(decodeError(() => decodeInfoPacket(addr, 27))).toMatchObject({ field: 'cbClientAddress', offset: 79 });
    const dir = PLAIN.slice();
    dir[85] = 0x01; // cbClientDir 388
    expect(decodeError(() => decodeInfoPacket(dir, 27))).toMatchObject({ field: 'cbClientDir', offset: 111 });
    const pw = PLAIN.slice();
    pw[13] = 0x02; // cbPassword 512: more than the 356 bytes left
    expect(decodeError(() => decodeInfoPacket(pw, 27))).toMatchObject({ field: 'cbPassword', offset: 39 });
    const cookie = new Uint8Array([...PLAIN.subarray(0, 398), 0x81, 0x00, ...new Uint8Array(129)]);
    expect(decodeError(() => decodeInfoPacket(cookie, 27))).toMatchObject({ code: 'LIMIT_EXCEEDED', field: 'cbAutoReconnectCookie', offset: 27 + 398 });
    expect(decodeError(() => decodeInfoPacket(PLAIN.subarray(0, 300), 27))).toMatchObject({ code: 'NOT_ENOUGH_BYTES', field: 'clientTimeZone', offset: 27 + 218 });
    expect(decodeError(() => decodeInfoPacket(PLAIN.subarray(0, 10), 27))).toMatchObject({ code: 'NOT_ENOUGH_BYTES', offset: 27 });
  });

  it('an RDP 4.0 packet (no extraInfo) decodes without extended', () => {
    expect(decodeInfoPacket(PLAIN.subarray(0, 50)).extended).toBeUndefined();
  });
});

describe('Client Info PDU encoder and the password', () => {
  it('returns only the length of a password, nowhere its text', () => {
    const bytes = encodeInfoPacket({ domain: 'LAB', user: 'alice', password: SECRET });
    const info = decodeInfoPacket(bytes);
    expect(info.passwordLength).toBe(SECRET.length * 2);
    expect(info.hasPassword).toBe(true);
    expect(info.flagNames).toContain('INFO_AUTOLOGON');
    const reachable = everything(info).join('\n');
    expect(reachable).not.toContain(SECRET);
    expect(reachable).not.toContain(toHex(new TextEncoder().encode('S3cret')));
    expect(JSON.stringify(info)).not.toContain('S3cret');
  });

  it('defaults: INFO_UNICODE and friends, a minimal Extended Info Packet', () => {
    const info = decodeInfoPacket(encodeInfoPacket({ user: 'bob' }));
    expect(info.flags & INFO.AUTOLOGON).toBe(0);
    expect(info.flagNames).toEqual([
      'INFO_MOUSE', 'INFO_DISABLECTRLALTDEL', 'INFO_UNICODE', 'INFO_LOGONNOTIFY', 'INFO_ENABLEWINDOWSKEY',
      'INFO_LOGONERRORS', 'INFO_MOUSE_HAS_WHEEL',
    ]);
    expect(info.extended).toMatchObject({ clientAddress: '0.0.0.0', sessionId: 0, performanceFlags: 0, autoReconnectCookieLength: 0 });
    expect(info.extended!.timezone).toMatchObject({ bias: 0, standardName: 'UTC' });
    expect(decodeInfoPacket(encodeInfoPacket({ user: 'bob', extended: false })).extended).toBeUndefined();
  });

  it('ANSI strings (no INFO_UNICODE) have 1-byte terminators', () => {
    const bytes = encodeInfoPacket({ flags: INFO.MOUSE, domain: 'D', user: 'u', workingDir: 'C:\\', extended: { clientAddress: '10.0.0.1', clientDir: 'x' } });
    expect(toHex(bytes.subarray(8, 18))).toBe('01 00 01 00 00 00 00 00 03 00');
    const info = decodeInfoPacket(bytes);
    expect(info).toMatchObject({ unicode: false, domain: 'D', userName: 'u', workingDir: 'C:\\' });
    expect(info.extended).toMatchObject({ clientAddress: '10.0.0.1', clientDir: 'x' });
    expect(info.extended!.timezone).toBeUndefined();
  });

  it('writes and reads every optional extended field, dynamic DST included', () => {
    const info = decodeInfoPacket(encodeInfoPacket({
      user: 'carol',
      extended: {
        clientAddressFamily: 0x17, clientAddress: '::1', clientDir: 'dir', timezone: { bias: -60 }, sessionId: 7,
        performanceFlags: PERF.ENABLE_FONT_SMOOTHING | PERF.DISABLE_THEMING, autoReconnectCookie: new Uint8Array(28),
        dynamicDst: { keyName: 'W. Europe Standard Time', disabled: true },
      },
    }));
    expect(info.extended).toMatchObject({
      clientAddressFamilyName: 'AF_INET6', clientAddress: '::1', sessionId: 7,
      performanceFlagNames: ['PERF_DISABLE_THEMING', 'PERF_ENABLE_FONT_SMOOTHING'], autoReconnectCookieLength: 28,
      reserved1: 0, reserved2: 0, dynamicDstTimeZoneKeyName: 'W. Europe Standard Time', dynamicDaylightTimeDisabled: true,
    });
    expect(info.extended!.timezone!.bias).toBe(-60);
  });

  it('a plaintext Client Info PDU: basic header with SEC_INFO_PKT, then the packet', () => {
    const pdu = encodeClientInfoPdu({ domain: 'LAB', user: 'dave', password: SECRET });
    expect(toHex(pdu.subarray(0, 4))).toBe('40 00 00 00');
    const d = decodeClientInfoPdu(pdu, 500);
    expect(d.encrypted).toBe(false);
    expect(d.header.flagNames).toEqual(['SEC_INFO_PKT']);
    expect(d.info).toMatchObject({ domain: 'LAB', userName: 'dave', hasPassword: true });
    expect(everything(d).join('\n')).not.toContain(SECRET);
    const wrong = pdu.slice();
    wrong[0] = SEC.LICENSE_PKT;
    expect(decodeError(() => decodeClientInfoPdu(wrong, 500))).toMatchObject({ code: 'UNEXPECTED_TYPE', field: 'flags', offset: 500 });
    const bad = pdu.slice();
    bad[4 + 9] = 0xff; // cbDomain
    expect(decodeError(() => decodeClientInfoPdu(bad, 500))).toMatchObject({ field: 'cbDomain', offset: 512 });
  });
});
