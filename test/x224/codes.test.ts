import { describe, expect, it } from 'vitest';
import { describeFailureCode, parseProtocols, protocolName, protocolSet, requestFlags, responseFlags } from '../../src/x224/codes.js';

describe('negotiation code tables', () => {
  it('names every protocol bit and keeps unknown bits', () => {
    expect(protocolSet(0).names).toEqual(['RDP']);
    expect(protocolSet(0x1f).names).toEqual(['SSL', 'HYBRID', 'RDSTLS', 'HYBRID_EX', 'RDSAAD']);
    expect(protocolSet(0x41)).toEqual({ raw: 0x41, names: ['SSL', 'unknown (0x00000040)'], unknownBits: 0x40 });
    expect(protocolName(8)).toBe('HYBRID_EX');
    expect(protocolName(3)).toBe('unknown (0x00000003)');
  });

  it('parses protocol lists in every accepted spelling', () => {
    expect(parseProtocols('SSL|HYBRID|HYBRID_EX')).toBe(0x0b);
    expect(parseProtocols('tls,nla')).toBe(0x03);
    expect(parseProtocols('rdp')).toBe(0);
    expect(parseProtocols('0x10')).toBe(0x10);
    expect(() => parseProtocols('bogus')).toThrow(/unknown protocol/);
  });

  it('names request and response flags', () => {
    expect(requestFlags(0x0b).names).toEqual(['RESTRICTED_ADMIN_MODE_REQUIRED', 'REDIRECTED_AUTHENTICATION_MODE_REQUIRED', 'CORRELATION_INFO_PRESENT']);
    expect(responseFlags(0x1f).names).toHaveLength(5);
    expect(responseFlags(0x20).names).toEqual(['unknown (0x00000020)']);
  });

  it('describes failure codes 1-6 and prints unknown ones', () => {
    expect([1, 2, 3, 4, 5, 6].map((c) => describeFailureCode(c).name)).toEqual([
      'SSL_REQUIRED_BY_SERVER', 'SSL_NOT_ALLOWED_BY_SERVER', 'SSL_CERT_NOT_ON_SERVER', 'INCONSISTENT_FLAGS',
      'HYBRID_REQUIRED_BY_SERVER', 'SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER',
    ]);
    expect(describeFailureCode(0x99)).toMatchObject({ name: 'unknown (0x00000099)', known: false });
  });
});
