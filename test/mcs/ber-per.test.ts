import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/wire/hex.js';
import { ByteReader } from '../../src/wire/reader.js';
import { BER_TAG, berInteger, berTlv, berUnsigned, readBerTlv, PerReader, PerWriter } from '../../src/mcs/index.js';
import { decodeError } from '../helpers/decode-error.js';

const reader = (hex: string, base = 0): ByteReader => new ByteReader(fromHex(hex), 'mcs', 'test', base);
const per = (hex: string, base = 0): PerReader => new PerReader(fromHex(hex), 'test', base);

describe('BER (X.690) as T.125 uses it', () => {
  it('reads the two-octet application tag of Connect-Initial and long-form lengths', () => {
    const t = readBerTlv(reader('7f 65 82 00 02 aa bb', 10), 'ci', BER_TAG.CONNECT_INITIAL);
    expect(t).toMatchObject({ tag: 0x7f65, at: 10 });
    expect(t.body.remaining).toBe(2);
    expect(t.body.absolute).toBe(15);
    expect(readBerTlv(reader('04 84 00 00 00 01 00'), 'x').body.remaining).toBe(1);
  });

  it('refuses what T.125 forbids or we cannot bound', () => {
    const cases: [string, string, number][] = [
      ['7f 80 65 00', 'INVALID_FIELD', 0], //        leading zero septet
      ['7f 1e 00', 'INVALID_FIELD', 0], //           tag 30 in the high form
      ['7f 81 81 01 00', 'LIMIT_EXCEEDED', 0], //    three subsequent tag octets
      ['04 80', 'INVALID_FIELD', 1], //              indefinite length
      ['04 85 00 00 00 00 01', 'LIMIT_EXCEEDED', 1], // five length octets
      ['04 03 00', 'NOT_ENOUGH_BYTES', 2], //        contents past the end
    ];
    for (const [hex, code, offset] of cases) {
      expect(decodeError(() => readBerTlv(reader(hex), 'x')).toJSON(), hex).toMatchObject({ code, offset });
    }
    expect(decodeError(() => readBerTlv(reader('02 01 00'), 'x', BER_TAG.OCTET_STRING)).code).toBe('UNEXPECTED_TYPE');
    expect(decodeError(() => readBerTlv(reader('04 82 01 00'), 'x', undefined, 255)).toJSON()).toMatchObject({ code: 'LIMIT_EXCEEDED', offset: 1 });
  });

  it('reads INTEGERs unsigned, as Windows writes them, up to four significant octets', () => {
    const int = (hex: string): number => berUnsigned(readBerTlv(reader(hex), 'i'), 'i');
    expect(int('02 02 ff ff')).toBe(65535);
    expect(int('02 03 00 ff f8')).toBe(65528);
    expect(int('02 05 00 ff ff ff ff')).toBe(0xffffffff);
    expect(decodeError(() => int('02 00')).code).toBe('INVALID_FIELD');
    expect(decodeError(() => int('02 05 01 00 00 00 00')).code).toBe('LIMIT_EXCEEDED');
  });

  it('writes INTEGERs in both forms and shortest lengths', () => {
    expect(toHex(berInteger(65535, 'unsigned'))).toBe('02 02 ff ff');
    expect(toHex(berInteger(65535))).toBe('02 03 00 ff ff');
    expect(toHex(berInteger(0))).toBe('02 01 00');
    expect(toHex(berTlv(0x7f66, new Uint8Array(200)).subarray(0, 4))).toBe('7f 66 81 c8');
    expect(toHex(berTlv(0x04, new Uint8Array(0x10000)).subarray(0, 5))).toBe('04 83 01 00 00');
    expect(() => berInteger(-1)).toThrow(RangeError);
  });
});

describe('ALIGNED PER (X.691) as T.124 and T.125 use it', () => {
  it('reads bit fields across octets and aligns for octet-aligned fields', () => {
    const p = per('2f a0 00 06', 5);
    expect(p.bits(6, 'choice')).toBe(11);
    expect(p.bool('present')).toBe(true);
    expect(p.index(16, 'result')).toBe(13);
    expect(p.constrained(1001, 65535, 'initiator')).toBe(1007);
    expect(p.remainingOctets).toBe(0);
  });

  it('reads both length determinant forms and refuses fragmentation', () => {
    expect(per('7f').length('l')).toBe(127);
    expect(per('81 2a').length('l')).toBe(298);
    expect(per('bf ff').length('l')).toBe(16383);
    expect(decodeError(() => per('c1', 4).length('l')).toJSON()).toMatchObject({ code: 'UNSUPPORTED_VALUE', offset: 4 });
  });

  it('reads the GCC object identifier, numeric string and H.221 key of 4.1.3', () => {
    const p = per('00 05 00 14 7c 00 01');
    expect(p.index(2, 'key')).toBe(0);
    expect(p.objectIdentifier('oid')).toBe('0.0.20.124.0.1');
    expect(per('06 2a 86 48 86 f7 0d').objectIdentifier('oid')).toBe('1.2.840.113549');
    expect(decodeError(() => per('02 2a 86').objectIdentifier('oid')).toJSON()).toMatchObject({ code: 'INVALID_FIELD', offset: 2 });
    expect(per('09 01 23 45 67 89').numericString(1, 255, 'n')).toBe('0123456789');
    expect(decodeError(() => per('00 a0').numericString(1, 255, 'n')).toJSON()).toMatchObject({ code: 'INVALID_FIELD', offset: 1 });
    const k = per('c0 00 44 75 63 61', 100);
    expect([k.bool('v'), k.index(2, 'k')]).toEqual([true, 1]);
    expect(k.octetString('key', 4, 255)).toEqual({ bytes: fromHex('44 75 63 61'), at: 102 });
  });

  it('reads semi-constrained and unconstrained integers', () => {
    expect(per('01 00').semiConstrained(0, 's')).toBe(0);
    expect(per('02 01 2c').semiConstrained(0, 's')).toBe(300);
    expect(per('01 ff').unconstrained('u')).toBe(-1);
    expect(per('02 00 ff').unconstrained('u')).toBe(255);
    expect(decodeError(() => per('05 01 02 03 04 05').semiConstrained(0, 's')).code).toBe('LIMIT_EXCEEDED');
    expect(decodeError(() => per('00').semiConstrained(0, 's')).code).toBe('INVALID_FIELD');
  });

  it('writes what it reads', () => {
    const w = new PerWriter().bits(11, 6).bool(true).index(13, 16).constrained(1007, 1001, 65535)
      .semiConstrained(300, 0).unconstrained(-129).objectIdentifier('0.0.20.124.0.1')
      .numericString('1', 1, 255).octetString(fromHex('44 75 63 61'), 4, 255).octetString(new Uint8Array(200));
    const b = w.finish();
    expect(toHex(b.subarray(0, 22))).toBe('2f a0 00 06 02 01 2c 02 ff 7f 05 00 14 7c 00 01 00 10 00 44 75 63');
    const p = new PerReader(b, 'test');
    expect([p.bits(6, 'c'), p.bool('p'), p.index(16, 'r'), p.constrained(1001, 65535, 'i')]).toEqual([11, true, 13, 1007]);
    expect([p.semiConstrained(0, 's'), p.unconstrained('u'), p.objectIdentifier('o'), p.numericString(1, 255, 'n')]).toEqual([300, -129, '0.0.20.124.0.1', '1']);
    expect(toHex(p.octetString('k', 4, 255).bytes)).toBe('44 75 63 61');
    expect(p.octetString('d').bytes.length).toBe(200);
    p.expectEnd('end');
  });

  it('refuses extensions and names the trailing bytes', () => {
    expect(decodeError(() => per('80').index(8, 'ConnectGCCPDU', true)).code).toBe('UNSUPPORTED_VALUE');
    expect(decodeError(() => per('80').noExtension('ext')).code).toBe('UNSUPPORTED_VALUE');
    const p = per('28 00 00', 9);
    p.bits(6, 'choice');
    expect(decodeError(() => p.expectEnd('trailing')).toJSON()).toMatchObject({ code: 'INVALID_FIELD', offset: 10 });
  });
});
