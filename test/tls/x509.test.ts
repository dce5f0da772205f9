// parseCertificate against OpenSSL: every field compared with `openssl x509 -text` for lab
// certificates (openssl CLI, FreeRDP's winpr-makecert, xrdp's), the system CAs and generated ones;
// bytes that are not a certificate give a DecodeError and nothing else.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCertificate } from '../../src/server/pki.js';
import { der, derOid } from '../../src/credssp/der.js';
import { parseCertificate, type CertInfo } from '../../src/tls/x509.js';
import { DecodeError } from '../../src/wire/errors.js';
import { describeWithTools, requireTools } from '../helpers/lab.js';
import { decodeError } from '../helpers/decode-error.js';

const NAMEOPT = 'esc_2253,esc_ctrl,utf8,dump_nostr,dump_unknown,dump_der,sep_comma_plus_space,dn_rev,sname';
const SIGNATURE: Record<string, string> = { rsassaPss: 'RSASSA-PSS', ED25519: 'Ed25519', ED448: 'Ed448' };
const KEY: Record<string, string> = {
  rsaEncryption: 'RSA', rsassaPss: 'RSA-PSS', 'id-ecPublicKey': 'EC', ED25519: 'Ed25519', ED448: 'Ed448', dsaEncryption: 'DSA',
};
const EKU: Record<string, string> = {
  'TLS Web Server Authentication': 'serverAuth', 'TLS Web Client Authentication': 'clientAuth', 'Code Signing': 'codeSigning',
  'E-mail Protection': 'emailProtection', 'Time Stamping': 'timeStamping', 'OCSP Signing': 'OCSPSigning',
  'Any Extended Key Usage': 'anyExtendedKeyUsage',
};
const KU: Record<string, string> = {
  'Digital Signature': 'digitalSignature', 'Non Repudiation': 'nonRepudiation', 'Key Encipherment': 'keyEncipherment',
  'Data Encipherment': 'dataEncipherment', 'Key Agreement': 'keyAgreement', 'Certificate Sign': 'keyCertSign',
  'CRL Sign': 'cRLSign', 'Encipher Only': 'encipherOnly', 'Decipher Only': 'decipherOnly',
};
const HASH: Record<string, string> = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const opensslAsync = async (args: string[]): Promise<string> => (await promisify(execFile)('openssl', args, { encoding: 'utf8' })).stdout;

function pemBlocks(text: string): Uint8Array[] {
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g)]
    .map((m) => new Uint8Array(Buffer.from(m[1]!, 'base64')));
}

function canonicalIp(ip: string): string {
  return ip.includes(':') ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}

/** What OpenSSL prints for the certificate in `file`, in CertInfo terms. */
async function fromOpenssl(file: string): Promise<Partial<CertInfo>> {
  const [out, sha1] = await Promise.all([opensslAsync(['x509', '-in', file, '-noout', '-subject', '-issuer', '-serial', '-dates', '-dateopt', 'iso_8601',
    '-nameopt', NAMEOPT, '-text', '-fingerprint', '-sha256']), opensslAsync(['x509', '-in', file, '-noout', '-fingerprint', '-sha1'])]);
  const one = (re: RegExp): string | undefined => re.exec(out)?.[1];
  const ext = (name: string): string[] | undefined =>
    new RegExp(`X509v3 ${name}:(?: critical)?\\s*\\n\\s+(.*)`).exec(out)?.[1]?.trim().split(', ');
  const sig = one(/Signature Algorithm: (\S+)/)!;
  const keyAlg = one(/Public Key Algorithm: (\S+)/)!;
  const san = ext('Subject Alternative Name') ?? [];
  const eku = ext('Extended Key Usage');
  const ku = ext('Key Usage');
  const bits = one(/Public-Key: \((\d+) bit\)/);
  const curve = one(/NIST CURVE: (\S+)/) ?? one(/ASN1 OID: (\S+)/);
  const subject = one(/^subject=(.*)$/m)!;
  const issuer = one(/^issuer=(.*)$/m)!;
  const pssHash = sig === 'rsassaPss' ? one(/Hash Algorithm: (\S+)/) : undefined;
  return {
    subject,
    issuer,
    serialNumber: one(/^serial=(\S+)$/m)!,
    notBefore: one(/^notBefore=(.*)$/m)!.replace(' ', 'T'),
    notAfter: one(/^notAfter=(.*)$/m)!.replace(' ', 'T'),
    sans: {
      dns: san.filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4)),
      ip: san.filter((s) => s.startsWith('IP Address:')).map((s) => canonicalIp(s.slice(11))),
    },
    selfIssued: subject === issuer,
    isCA: /CA:TRUE/.test(out),
    keyType: KEY[keyAlg] ?? keyAlg,
    ...(bits ? { keyBits: Number(bits) } : {}),
    ...(curve ? { curve } : {}),
    signatureAlgorithm: SIGNATURE[sig] ?? sig,
    ...(pssHash ? { signatureHash: HASH[pssHash] ?? pssHash } : {}),
    extendedKeyUsage: eku?.map((n) => EKU[n] ?? n),
    keyUsage: ku?.map((n) => KU[n] ?? n),
    sha256: one(/sha256 Fingerprint=(\S+)/)!,
    sha1: /Fingerprint=(\S+)/.exec(sha1)![1]!,
  };
}

function derOf(file: string): Uint8Array {
  const blocks = pemBlocks(readFileSync(file, 'latin1'));
  expect(blocks.length).toBeGreaterThan(0);
  return blocks[0]!;
}

/** The fields OpenSSL shows must equal ours; returns ours for further checks. */
async function compare(file: string): Promise<CertInfo> {
  const info = parseCertificate(derOf(file));
  const want = await fromOpenssl(file);
  const got = Object.fromEntries(Object.keys(want).map((k) => [k, info[k as keyof CertInfo]]));
  expect(got, file).toEqual(want);
  return info;
}


/** deterministic PRNG (mulberry32) so a fuzz failure can be replayed */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rdpscope-x509-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function req(name: string, args: string[]): string {
  const file = join(dir, `${name}.pem`);
  openssl(['req', '-x509', '-nodes', '-keyout', join(dir, `${name}.key`), '-out', file, '-days', '30', ...args]);
  return file;
}

describeWithTools(['openssl'], 'parseCertificate vs openssl x509 -text', () => {
  it('xrdp-style snakeoil certificate (make-ssl-cert: CN and DNS SAN = hostname, CA:FALSE)', async () => {
    const info = await compare(req('xrdp', ['-newkey', 'rsa:2048', '-subj', '/CN=vm', '-addext', 'subjectAltName=DNS:vm',
      '-addext', 'basicConstraints=CA:FALSE']));
    expect(info).toMatchObject({
      subject: 'CN=vm', subjectCN: 'vm', issuer: 'CN=vm', selfIssued: true, isCA: false, keyType: 'RSA', keyBits: 2048,
      signatureAlgorithm: 'sha256WithRSAEncryption', signatureHash: 'SHA-256', sans: { dns: ['vm'], ip: [] },
    });
    expect(info.extendedKeyUsage).toBeUndefined();
    expect(Date.parse(info.notAfter) - Date.parse(info.notBefore)).toBe(30 * 86_400_000);
  });

  it('Windows-style RDP certificate (EKU serverAuth, keyEncipherment + dataEncipherment, no SAN)', async () => {
    const info = await compare(req('windows', ['-newkey', 'rsa:2048', '-subj', '/CN=WIN-RDP01.corp.example',
      '-addext', 'extendedKeyUsage=serverAuth', '-addext', 'keyUsage=keyEncipherment,dataEncipherment']));
    expect(info.extendedKeyUsage).toEqual(['serverAuth']);
    expect(info.keyUsage).toEqual(['keyEncipherment', 'dataEncipherment']);
    expect(info.sans).toEqual({ dns: [], ip: [] });
  });

  it('EC P-256 with an escaped, multi-valued, UTF-8 subject, DNS/IP SANs and a mixed EKU', async () => {
    const info = await compare(req('ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-multivalue-rdn', '-utf8',
      '-subj', '/C=US/O=Example\\, Inc./OU=Lab+L=Here/CN=Zoë #1 "q" a;b<c>/emailAddress=a@b.c',
      '-addext', 'subjectAltName=DNS:ec.example,DNS:*.ec.example,IP:192.0.2.1,IP:2001:db8::1,email:x@y.z',
      '-addext', 'extendedKeyUsage=serverAuth,clientAuth,anyExtendedKeyUsage,1.2.3.4.5', '-addext', 'keyUsage=digitalSignature']));
    expect(info).toMatchObject({
      subject: 'emailAddress=a@b.c, CN=Zoë #1 \\"q\\" a\\;b\\<c\\>, L=Here + OU=Lab, O=Example\\, Inc., C=US',
      subjectCN: 'Zoë #1 "q" a;b<c>',
      keyType: 'EC', keyBits: 256, curve: 'P-256', signatureAlgorithm: 'ecdsa-with-SHA256', signatureHash: 'SHA-256',
      sans: { dns: ['ec.example', '*.ec.example'], ip: ['192.0.2.1', '2001:db8::1'] },
      extendedKeyUsage: ['serverAuth', 'clientAuth', 'anyExtendedKeyUsage', '1.2.3.4.5'],
      keyUsage: ['digitalSignature'],
      isCA: true, // openssl req -x509 adds v3_ca (CA:TRUE) unless told otherwise
    });
  });

  it('EC P-384 / SHA-384 and secp256k1', async () => {
    expect(await compare(req('p384', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-sha384', '-subj', '/CN=p384'])))
      .toMatchObject({ keyBits: 384, curve: 'P-384', signatureAlgorithm: 'ecdsa-with-SHA384', signatureHash: 'SHA-384' });
    expect(await compare(req('k1', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp256k1', '-subj', '/CN=k1'])))
      .toMatchObject({ keyBits: 256, curve: 'secp256k1' });
  });

  it('Ed25519 and Ed448 (no separate hash)', async () => {
    const ed = await compare(req('ed25519', ['-newkey', 'ed25519', '-subj', '/CN=ed']));
    expect(ed).toMatchObject({ keyType: 'Ed25519', keyBits: 256, signatureAlgorithm: 'Ed25519' });
    expect(ed.signatureHash).toBeUndefined();
    expect(await compare(req('ed448', ['-newkey', 'ed448', '-subj', '/CN=ed']))).toMatchObject({ keyType: 'Ed448', keyBits: 456 });
  });

  it('RSASSA-PSS signatures with the hash from the parameters, and an RSA-PSS key', async () => {
    expect(await compare(req('rpss', ['-newkey', 'rsa:2048', '-sha384', '-sigopt', 'rsa_padding_mode:pss', '-subj', '/CN=rpss'])))
      .toMatchObject({ keyType: 'RSA', signatureAlgorithm: 'RSASSA-PSS', signatureHash: 'SHA-384' });
    expect(await compare(req('pss', ['-newkey', 'rsa-pss', '-pkeyopt', 'rsa_keygen_bits:2048', '-subj', '/CN=pss'])))
      .toMatchObject({ keyType: 'RSA-PSS', keyBits: 2048, signatureAlgorithm: 'RSASSA-PSS', signatureHash: 'SHA-256' });
  });

  it('DSA 2048 with dsa_with_SHA256', async () => {
    const params = join(dir, 'dsa-params.pem');
    const key = join(dir, 'dsa.key');
    openssl(['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:2048', '-out', params]);
    openssl(['genpkey', '-paramfile', params, '-out', key]);
    const file = join(dir, 'dsa.pem');
    openssl(['req', '-x509', '-key', key, '-out', file, '-days', '30', '-subj', '/CN=dsa']);
    expect(await compare(file)).toMatchObject({ keyType: 'DSA', keyBits: 2048, signatureAlgorithm: 'dsa_with_SHA256', signatureHash: 'SHA-256' });
  });

  it('weak legacy certificates: RSA 1024 with SHA-1 and with MD5', async () => {
    expect(await compare(req('sha1', ['-newkey', 'rsa:1024', '-sha1', '-subj', '/CN=old'])))
      .toMatchObject({ keyBits: 1024, signatureAlgorithm: 'sha1WithRSAEncryption', signatureHash: 'SHA-1' });
    expect(await compare(req('md5', ['-newkey', 'rsa:1024', '-md5', '-subj', '/CN=older'])))
      .toMatchObject({ signatureAlgorithm: 'md5WithRSAEncryption', signatureHash: 'MD5' });
  });

  it('GeneralizedTime after 2049', async () => {
    const file = join(dir, 'long.pem');
    openssl(['req', '-x509', '-nodes', '-newkey', 'rsa:2048', '-keyout', join(dir, 'long.key'), '-out', file, '-days', '20000', '-subj', '/CN=long']);
    const info = await compare(file);
    expect(Number(info.notAfter.slice(0, 4))).toBeGreaterThan(2050);
  });

  it('certificates from node-forge: UTCTime before 2000, IPv6 SANs, unknown attribute types, control characters, BMPString', async () => {
    const gen = makeCertificate({
      cn: 'old', dnsNames: ['a.example'], ipAddresses: ['::1', 'fe80::1:2', '10.1.2.3'],
      notBefore: new Date(Date.UTC(1990, 5, 1, 12, 30, 45)), notAfter: new Date(Date.UTC(2060, 0, 1)),
    });
    const file = join(dir, 'forge.pem');
    writeFileSync(file, gen.certPem);
    expect(await compare(file)).toMatchObject({
      notBefore: '1990-06-01T12:30:45Z', notAfter: '2060-01-01T00:00:00Z', sans: { dns: ['a.example'], ip: ['::1', 'fe80::1:2', '10.1.2.3'] },
    });

    const keys = forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = '00ff';
    cert.validity.notBefore = new Date(Date.UTC(2020, 0, 1));
    cert.validity.notAfter = new Date(Date.UTC(2030, 0, 1));
    // forge takes valueTagClass as the string's universal type (@types/node-forge says asn1.Class)
    cert.setSubject([
      { type: '1.2.3.4', value: 'custom', valueTagClass: forge.asn1.Type.UTF8 },
      { name: 'organizationName', value: 'B€', valueTagClass: forge.asn1.Type.BMPSTRING },
      { name: 'commonName', value: ' #lead\ttab, trail ' },
    ] as unknown as forge.pki.CertificateField[]);
    cert.setIssuer([{ name: 'commonName', value: 'Issuer' }]);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    const odd = join(dir, 'odd.pem');
    writeFileSync(odd, forge.pki.certificateToPem(cert));
    expect(await compare(odd)).toMatchObject({
      subject: 'CN=\\ #lead\\09tab\\, trail\\ , O=B€, 1.2.3.4=#0C06637573746F6D',
      subjectCN: ' #lead\ttab, trail ', serialNumber: 'FF', selfIssued: false, isCA: false,
    });
  });

  it('an attribute type with an arc above 2^53 (a 2.25 UUID OID) is written in decimal, as OpenSSL writes it', async () => {
    // openssl req drops unknown attribute types: its certificate gets a new subject, built here
    const real = derOf(req('uuid', ['-newkey', 'rsa:2048', '-subj', '/CN=big']));
    const tlvs = (b: Uint8Array): Uint8Array[] => {
      const out: Uint8Array[] = [];
      for (let i = 0; i < b.length;) {
        const n = b[i + 1]! & 0x80 ? b[i + 1]! & 0x7f : 0;
        let len = n ? 0 : b[i + 1]!;
        for (let k = 0; k < n; k++) len = len * 256 + b[i + 2 + k]!;
        out.push(b.subarray(i, i + 2 + n + len));
        i += 2 + n + len;
      }
      return out;
    };
    const content = (t: Uint8Array): Uint8Array => t.subarray(t[1]! & 0x80 ? 2 + (t[1]! & 0x7f) : 2);
    // 2.25.329800735698586629295641978511506172918: first subidentifier 2*40+25, then the UUID's 128 bits, 7 per octet
    const arcs = [105n, 329800735698586629295641978511506172918n];
    const oidBytes = arcs.flatMap((a) => {
      const b: number[] = [];
      for (let v = a; ; v >>= 7n) {
        b.unshift(Number(v & 0x7fn) | (b.length ? 0x80 : 0));
        if (v < 0x80n) break;
      }
      return b;
    });
    const atv = (type: Uint8Array, value: string): Uint8Array => der(0x31, der(0x30, type, der(0x0c, new TextEncoder().encode(value))));
    const name = der(0x30, atv(derOid('2.5.4.3'), 'big'), atv(der(0x06, new Uint8Array(oidBytes)), 'uuid'));
    const [tbs, alg, sig] = tlvs(content(tlvs(real)[0]!));
    const fields = tlvs(content(tbs!));
    fields[5] = name; // version, serialNumber, signature, issuer, validity, subject
    const file = join(dir, 'uuid-subject.pem');
    writeFileSync(file, `-----BEGIN CERTIFICATE-----\n${Buffer.from(der(0x30, der(0x30, ...fields), alg!, sig!)).toString('base64')}\n-----END CERTIFICATE-----\n`);
    expect((await compare(file)).subject).toBe('2.25.329800735698586629295641978511506172918=#0C0475756964, CN=big');
  });

  it('xrdp\'s own certificate (/etc/xrdp/cert.pem) when xrdp is installed', async () => {
    if (!existsSync('/etc/xrdp/cert.pem')) {
      expect(requireTools('xrdp').ok, 'xrdp is installed but has no /etc/xrdp/cert.pem').toBe(false);
      return;
    }
    expect((await compare('/etc/xrdp/cert.pem')).keyType).toBe('RSA');
  });

  it('every CA in /etc/ssl/certs', async () => {
    const files = readdirSync('/etc/ssl/certs').filter((f) => f.endsWith('.pem')).map((f) => join('/etc/ssl/certs', f));
    expect(files.length).toBeGreaterThan(50);
    const types = new Set<string>();
    for (let i = 0; i < files.length; i += 16) {
      for (const info of await Promise.all(files.slice(i, i + 16).map(compare))) types.add(info.keyType);
    }
    expect(types).toContain('RSA');
    expect(types).toContain('EC');
  });
});

describeWithTools(['openssl', 'winpr-makecert'], 'parseCertificate vs FreeRDP', () => {
  it('winpr-makecert -rdp certificates (default and 1024-bit SHA-1)', async () => {
    execFileSync('winpr-makecert', ['-rdp', '-silent', '-format', 'pem', '-path', dir, '-n', 'labhost'], { stdio: 'ignore' });
    execFileSync('winpr-makecert', ['-rdp', '-silent', '-format', 'pem', '-path', dir, '-n', 'oldhost', '-len', '1024', '-a', 'sha1'], { stdio: 'ignore' });
    expect(await compare(join(dir, 'labhost.pem'))).toMatchObject({ subject: 'CN=labhost', extendedKeyUsage: ['serverAuth'], keyBits: 2048 });
    expect(await compare(join(dir, 'oldhost.pem'))).toMatchObject({ keyBits: 1024, signatureHash: 'SHA-1' });
  });
});

describe('parseCertificate: bytes that are not a certificate', () => {
  const now = Date.UTC(2026, 10, 21);
  const good = makeCertificate({
    cn: 'server', dnsNames: ['server.test'], notBefore: new Date(now - 86_400_000), notAfter: new Date(Date.UTC(2027, 0, 2, 3, 4, 5)),
  }).der;

  function mutated(at: number, value: number): Uint8Array {
    const b = good.slice();
    b[at] = value;
    return b;
  }

  it('parses the unmodified certificate, also from a view at an offset', () => {
    const padded = new Uint8Array(good.length + 7);
    padded.set(good, 7);
    expect(parseCertificate(padded.subarray(7))).toEqual(parseCertificate(good));
  });

  it('empty input and a non-SEQUENCE first byte', () => {
    expect(decodeError(() => parseCertificate(new Uint8Array(0)))).toMatchObject({
      layer: 'tls', pdu: 'X.509 certificate', code: 'NOT_ENOUGH_BYTES', field: 'Certificate', offset: 0,
    });
    const pem = new TextEncoder().encode('-----BEGIN CERTIFICATE-----\nMIIB');
    expect(decodeError(() => parseCertificate(pem))).toMatchObject({ code: 'UNEXPECTED_TYPE', field: 'Certificate', offset: 0 });
  });

  it('every truncation is a DecodeError within the bytes given', () => {
    for (let n = 0; n < good.length; n++) {
      const e = decodeError(() => parseCertificate(good.subarray(0, n)));
      expect(e.layer).toBe('tls');
      expect(e.offset).toBeGreaterThanOrEqual(0);
      expect(e.offset).toBeLessThanOrEqual(n);
    }
  });

  it('trailing bytes, indefinite length, a wrong tag in tbsCertificate', () => {
    const trailing = new Uint8Array([...good, 0]);
    expect(decodeError(() => parseCertificate(trailing))).toMatchObject({ code: 'INVALID_FIELD', field: 'trailing data', offset: good.length });
    expect(decodeError(() => parseCertificate(mutated(1, 0x80)))).toMatchObject({ code: 'INVALID_FIELD', field: 'Certificate', offset: 1 });
    // 30 82 LL LL | 30 82 LL LL | a0 03 02 01 02 | 02 ... : the serial number's tag is at byte 13
    expect([good[0], good[4], good[8], good[13]]).toEqual([0x30, 0x30, 0xa0, 0x02]);
    expect(decodeError(() => parseCertificate(mutated(13, 0x04)))).toMatchObject({ code: 'UNEXPECTED_TYPE', field: 'serialNumber', offset: 13 });
  });

  it('an impossible or malformed date names notAfter and its offset', () => {
    const at = Buffer.from(good).indexOf('270102030405Z', 0, 'latin1');
    expect(at).toBeGreaterThan(0);
    const month13 = mutated(at + 2, 0x31);
    month13[at + 3] = 0x33;
    expect(decodeError(() => parseCertificate(month13))).toMatchObject({ code: 'INVALID_FIELD', field: 'notAfter', offset: at });
    expect(decodeError(() => parseCertificate(mutated(at + 12, 0x2b)))).toMatchObject({ field: 'notAfter', reason: '"270102030405+" is not YYMMDDHHMMSSZ' });
    expect(parseCertificate(mutated(at + 2, 0x31)).notAfter).toBe('2027-11-02T03:04:05Z');
  });

  it('a malformed subjectAltName value names the extension', () => {
    const oid = Buffer.from(good).indexOf(Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x11]));
    expect(oid).toBeGreaterThan(0);
    const seq = oid + 5 + 2; // OCTET STRING tag and length, then GeneralNames SEQUENCE
    expect(good[seq - 2]).toBe(0x04);
    expect(good[seq]).toBe(0x30);
    expect(decodeError(() => parseCertificate(mutated(seq, 0x31)))).toMatchObject({
      code: 'INVALID_FIELD', field: 'extensions: subjectAltName', offset: seq,
    });
  });

  it('bytes asn1js throws on (a GeneralizedTime that is not a time) inside the key or an extension', () => {
    // BIT STRING 03 82 01 0f 00 | RSAPublicKey 30 82 01 0a: its SEQUENCE tag made a GeneralizedTime
    const key = Buffer.from(good).indexOf(Buffer.from([0x03, 0x82, 0x01, 0x0f, 0x00, 0x30, 0x82, 0x01, 0x0a]));
    expect(key).toBeGreaterThan(0);
    expect(parseCertificate(mutated(key + 5, 0x18))).toMatchObject({ keyType: 'RSA', keyBits: 0, subjectCN: 'server' });
    const oid = Buffer.from(good).indexOf(Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x11]));
    expect(decodeError(() => parseCertificate(mutated(oid + 7, 0x18)))).toMatchObject({
      code: 'INVALID_FIELD', field: 'extensions: subjectAltName', offset: oid + 7, reason: 'Wrong input string for conversion',
    });
  });

  it('random bytes give a DecodeError; single-byte corruptions a CertInfo or a DecodeError, never another exception', () => {
    const next = rng(7);
    for (let i = 0; i < 300; i++) {
      const b = new Uint8Array(Math.floor(next() * 300));
      for (let j = 0; j < b.length; j++) b[j] = Math.floor(next() * 256);
      if (i % 3 === 0 && b.length > 4) b.set([0x30, 0x82, (b.length - 4) >> 8, (b.length - 4) & 0xff]);
      decodeError(() => parseCertificate(b));
    }
    const outcomes = { parsed: 0, decodeError: 0 };
    for (let at = 0; at < good.length; at++) {
      for (const b of [mutated(at, good[at]! ^ 0xff), mutated(at, 0x80)]) {
        try {
          parseCertificate(b);
          outcomes.parsed++;
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
          outcomes.decodeError++;
        }
      }
    }
    // corrupting the signature or key bytes still parses; corrupting the structure does not
    expect(outcomes.parsed).toBeGreaterThan(100);
    expect(outcomes.decodeError).toBeGreaterThan(100);
  });
});
