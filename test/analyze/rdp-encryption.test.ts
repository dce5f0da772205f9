// rdp.encryption: the Server Security Data's encryption and the server certificate it came with
// ([MS-RDPBCGR] 2.2.1.4.3, 2.2.1.4.3.1): a proprietary certificate's key size and Terminal Services
// signature (5.3.3.1.3), an X.509 chain's certificates leaf first with names, validity and fingerprints.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rdpEncryption } from '../../src/analyze/rdp-summary.js';
import { replayBytes, type ReplayItem } from '../../src/capture/replay.js';
import { decodeServerCertificate, decodeServerData, encodeServerCertificate, type ProprietaryCertificate } from '../../src/gcc/index.js';
import { connectionReport } from '../../src/report/json.js';
import { renderConnection } from '../../src/report/text.js';
import { makeCertificate } from '../../src/server/pki.js';
import { scenarioCertificate } from '../../src/server/tls-certs.js';
import { parseCertificate } from '../../src/tls/x509.js';
import { fromHex } from '../../src/wire/hex.js';
import { SERVER_DATA_4_1_4 } from '../vectors/gcc.js';

const M = 'ENCRYPTION_METHOD_128BIT';
const L = 'ENCRYPTION_LEVEL_CLIENT_COMPATIBLE';

function connections(file: string): Extract<ReplayItem, { type: 'connection' }>[] {
  const bytes = new Uint8Array(readFileSync(new URL(`../../fixtures/pcaps/${file}`, import.meta.url)));
  return replayBytes(bytes).filter((i): i is Extract<ReplayItem, { type: 'connection' }> => i.type === 'connection');
}

describe('rdpEncryption: proprietary certificate', () => {
  const spec = decodeServerData(fromHex(SERVER_DATA_4_1_4)).security!.certificate as ProprietaryCertificate;

  it('[MS-RDPBCGR] 4.1.4: a 512-bit key, signed with the Terminal Services key', () => {
    expect(rdpEncryption(M, L, spec)).toEqual({ method: M, level: L, certificate: 'proprietary', keyBits: 512, signature: 'valid' });
  });

  it('a key changed after signing: the signature is invalid, and says why', () => {
    const modulus = spec.publicKey.modulus.slice();
    modulus[10]! ^= 0x01;
    const forged = decodeServerCertificate(encodeServerCertificate({ ...spec, publicKey: { ...spec.publicKey, modulus } }));
    expect(rdpEncryption(M, L, forged)).toEqual({
      method: M, level: L, certificate: 'proprietary', keyBits: 512, signature: 'invalid',
      signatureProblem: "the signed MD5 hash differs from the hash of the certificate's first six fields",
    });
  });

  it('a signature that is not the Terminal Services key\'s: invalid', () => {
    const sig = spec.signature.slice();
    sig[0]! ^= 0x80;
    const e = rdpEncryption(M, L, { ...spec, signature: sig });
    expect(e.signature).toBe('invalid');
    expect(e.signatureProblem).toMatch(/5\.3\.3\.1\.3 block|MD5/);
  });

  it('no certificate (encryption NONE): method and level only', () => {
    expect(rdpEncryption('ENCRYPTION_METHOD_NONE', 'ENCRYPTION_LEVEL_NONE', undefined)).toEqual({ method: 'ENCRYPTION_METHOD_NONE', level: 'ENCRYPTION_LEVEL_NONE' });
  });
});

describe('rdpEncryption: X.509 chain ([MS-RDPELE] 2.2.1.4.2)', () => {
  const ca = makeCertificate({ cn: 'license server', notBefore: new Date(0), notAfter: new Date(Date.now() + 86_400_000), isCA: true, keyId: 'gcc-ca' });
  const leaf = scenarioCertificate('ok').cert;

  it('lists the chain leaf first (the server\'s certificate is the last on the wire), with the leaf\'s RSA key size', () => {
    const e = rdpEncryption(M, L, { kind: 'x509', temporary: false, chain: [ca.der, leaf.der], padding: 16 });
    expect(e).toEqual({ method: M, level: L, certificate: 'x509', keyBits: 2048, chain: [parseCertificate(leaf.der), parseCertificate(ca.der)] });
    expect(e.chain![0]).toMatchObject({ subject: 'CN=localhost', notBefore: expect.stringMatching(/Z$/), sha1: expect.stringMatching(/^[0-9A-F:]{59}$/), sha256: expect.stringMatching(/^[0-9A-F:]{95}$/) });
  });

  it('a server certificate that does not parse is named, not thrown; the others are still listed', () => {
    const e = rdpEncryption(M, L, { kind: 'x509', temporary: false, chain: [ca.der, new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])], padding: 16 });
    expect(e.chain).toEqual([parseCertificate(ca.der)]);
    expect(e.keyBits).toBeUndefined();
    expect(e.chainProblems).toEqual([expect.stringMatching(/^certificate 2 of 2 \(the server's\) does not parse: /)]);
  });
});

describe('rdp.encryption in the reports (captures)', () => {
  it('rdp-x509.pcap: the server certificate of the Server Security Data, leaf first, in JSON and text', () => {
    const [c] = connections('rdp-x509.pcap');
    const enc = connectionReport(c!.events, c!.verdict).rdp!.encryption!;
    expect(enc).toMatchObject({ method: M, level: L, certificate: 'x509', keyBits: 512 });
    expect(enc.chain!.map((x) => [x.subject, x.issuer, x.notBefore, x.notAfter, x.sha1, x.sha256])).toEqual([
      ['serialNumber=1BcKefYSF97EvkaiCqahPY8uPd0=\\0D\\0A + L=ncalrpc:SERVR + CN=ncalrpc:SERVR', 'L=TURNBKL + CN=SERVR', '2013-04-05T15:15:55Z', '2016-12-31T23:59:59Z',
        '6C:A2:73:90:D0:C4:05:0C:09:71:0B:37:CD:80:80:D6:07:1F:BB:1A',
        'BD:97:67:13:06:08:6C:33:93:A1:BD:83:53:40:A6:80:43:55:7A:7A:E1:31:B8:EE:72:F4:D0:15:28:70:24:BA'],
      ['L=TURNBKL + CN=SERVR', 'L=TURNBKL + CN=SERVR', '2015-02-11T14:15:06Z', '2015-05-12T00:00:00Z',
        'D5:4B:6E:4A:AE:D2:CF:82:35:F3:BA:67:1E:E7:7D:31:B2:92:90:14',
        'E3:85:9C:4A:77:09:8A:7B:84:58:9E:0C:B1:17:16:62:D1:56:99:FC:84:C1:9D:34:21:F7:D5:2D:C0:DC:59:C9'],
    ]);
    const text = renderConnection('x', c!.events, c!.verdict, { color: false });
    expect(text).toContain(`Encryption         ${M}, ${L}, x509 certificate (RSA 512, chain of 2)`);
    expect(text).toContain('Certificate        [0] serialNumber=1BcKefYSF97EvkaiCqahPY8uPd0=\\0D\\0A + L=ncalrpc:SERVR + CN=ncalrpc:SERVR  issuer L=TURNBKL + CN=SERVR');
    expect(text).toMatch(/valid 2013-04-05T15:15:55Z → 2016-12-31T23:59:59Z\n.* SHA-1 6C:A2:73:90:.*\n.* SHA-256 BD:97:67:13:/);
  });

  it('rdp-proprietary-encryption.pcap: the retry connection\'s proprietary certificate, 512 bits, validly signed', () => {
    const [, c] = connections('rdp-proprietary-encryption.pcap');
    expect(connectionReport(c!.events, c!.verdict).rdp!.encryption).toEqual({
      method: M, level: 'ENCRYPTION_LEVEL_HIGH', certificate: 'proprietary', keyBits: 512, signature: 'valid',
    });
    expect(renderConnection('x', c!.events, c!.verdict, { color: false }))
      .toContain(`Encryption         ${M}, ENCRYPTION_LEVEL_HIGH, proprietary certificate (RSA 512, Terminal Services signature valid)`);
  });
});
