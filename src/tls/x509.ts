// X.509 certificate summary (RFC 5280 §4.1 structure, §4.2 extensions): the outline is walked here
// as DER TLVs, so a bad byte is named by field and offset; pkijs/asn1js decode the values.
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { oid } from '../credssp/der.js';
import { DecodeError, type DecodeErrorCode } from '../wire/errors.js';
import { ByteReader } from '../wire/reader.js';
import { latin1 } from '../wire/text.js';

export interface CertInfo {
  /** RFC 4514 order and escaping (most specific RDN first, as `openssl x509 -nameopt RFC2253`), RDNs
   *  joined by ', ' and members of a multi-valued RDN by ' + ': 'CN=localhost, O=Example, C=US' */
  subject: string;
  /** the most specific CN of the subject */
  subjectCN?: string;
  issuer: string;
  /** uppercase hex of the INTEGER value, as `openssl x509 -serial` */
  serialNumber: string;
  /** ISO 8601, whole seconds: '2021-01-01T00:00:00Z' */
  notBefore: string;
  notAfter: string;
  /** IPv4 dotted, IPv6 in RFC 5952 form ('::1'); an address of another length as hex */
  sans: { dns: string[]; ip: string[] };
  /** subject and issuer are DER-equal names */
  selfIssued: boolean;
  /** basicConstraints cA */
  isCA: boolean;
  /** 'RSA' | 'RSA-PSS' | 'EC' | 'Ed25519' | 'Ed448' | 'DSA', else the algorithm OID */
  keyType: string;
  /** RSA/DSA modulus bits, EC field size, Ed25519 256, Ed448 456; 0 when unknown */
  keyBits: number;
  /** 'P-256', 'secp256k1', ... or the curve OID */
  curve?: string;
  /** 'sha256WithRSAEncryption', 'ecdsa-with-SHA256', 'RSASSA-PSS', 'Ed25519', ... or the OID */
  signatureAlgorithm: string;
  signatureHash?: string;
  /** undefined when the extension is absent */
  extendedKeyUsage?: string[];
  keyUsage?: string[];
  /** uppercase hex with colons, as `openssl x509 -fingerprint` */
  sha256: string;
  sha1: string;
}

const PDU = 'X.509 certificate';
/** DER nesting followed in a certificate (a format guard, listed in src/limits.ts). */
export const MAX_DEPTH = 32;

const SIGNATURES: Record<string, [name: string, hash?: string]> = {
  '1.2.840.113549.1.1.2': ['md2WithRSAEncryption', 'MD2'],
  '1.2.840.113549.1.1.4': ['md5WithRSAEncryption', 'MD5'],
  '1.2.840.113549.1.1.5': ['sha1WithRSAEncryption', 'SHA-1'],
  '1.2.840.113549.1.1.14': ['sha224WithRSAEncryption', 'SHA-224'],
  '1.2.840.113549.1.1.11': ['sha256WithRSAEncryption', 'SHA-256'],
  '1.2.840.113549.1.1.12': ['sha384WithRSAEncryption', 'SHA-384'],
  '1.2.840.113549.1.1.13': ['sha512WithRSAEncryption', 'SHA-512'],
  '1.2.840.113549.1.1.10': ['RSASSA-PSS'],
  '1.2.840.10045.4.1': ['ecdsa-with-SHA1', 'SHA-1'],
  '1.2.840.10045.4.3.1': ['ecdsa-with-SHA224', 'SHA-224'],
  '1.2.840.10045.4.3.2': ['ecdsa-with-SHA256', 'SHA-256'],
  '1.2.840.10045.4.3.3': ['ecdsa-with-SHA384', 'SHA-384'],
  '1.2.840.10045.4.3.4': ['ecdsa-with-SHA512', 'SHA-512'],
  '1.2.840.10040.4.3': ['dsaWithSHA1', 'SHA-1'],
  '2.16.840.1.101.3.4.3.2': ['dsa_with_SHA256', 'SHA-256'],
  '1.3.101.112': ['Ed25519'],
  '1.3.101.113': ['Ed448'],
};

const HASHES: Record<string, string> = {
  '1.2.840.113549.2.5': 'MD5', '1.3.14.3.2.26': 'SHA-1', '2.16.840.1.101.3.4.2.4': 'SHA-224',
  '2.16.840.1.101.3.4.2.1': 'SHA-256', '2.16.840.1.101.3.4.2.2': 'SHA-384', '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

const CURVES: Record<string, [name: string, bits: number]> = {
  '1.2.840.10045.3.1.1': ['P-192', 192], '1.3.132.0.33': ['P-224', 224], '1.2.840.10045.3.1.7': ['P-256', 256],
  '1.3.132.0.34': ['P-384', 384], '1.3.132.0.35': ['P-521', 521], '1.3.132.0.10': ['secp256k1', 256],
  '1.3.36.3.3.2.8.1.1.7': ['brainpoolP256r1', 256], '1.3.36.3.3.2.8.1.1.11': ['brainpoolP384r1', 384],
  '1.3.36.3.3.2.8.1.1.13': ['brainpoolP512r1', 512],
};

const KEY_PURPOSES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth', '1.3.6.1.5.5.7.3.2': 'clientAuth', '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection', '1.3.6.1.5.5.7.3.8': 'timeStamping', '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

const EXTENSIONS: Record<string, string> = {
  '2.5.29.15': 'keyUsage', '2.5.29.17': 'subjectAltName', '2.5.29.19': 'basicConstraints', '2.5.29.37': 'extKeyUsage',
};

const KEY_USAGE = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement',
  'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

/** attribute short names as OpenSSL prints them (RFC 4519, RFC 5280 Appendix A) */
const ATTRIBUTES: Record<string, string> = {
  '2.5.4.3': 'CN', '2.5.4.4': 'SN', '2.5.4.5': 'serialNumber', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST',
  '2.5.4.9': 'street', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.12': 'title', '2.5.4.13': 'description',
  '2.5.4.15': 'businessCategory', '2.5.4.17': 'postalCode', '2.5.4.41': 'name', '2.5.4.42': 'GN',
  '2.5.4.43': 'initials', '2.5.4.44': 'generationQualifier', '2.5.4.46': 'dnQualifier', '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier', '0.9.2342.19200300.100.1.1': 'UID', '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress', '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST', '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
};

interface Tlv { tag: number; at: number; content: number; end: number }

function fail(code: DecodeErrorCode, field: string, offset: number, reason: string): DecodeError {
  return new DecodeError({ code, layer: 'tls', pdu: PDU, field, offset, reason });
}

const tagHex = (tag: number): string => `0x${tag.toString(16).padStart(2, '0')}`;

/** One DER TLV at `at`, inside [at, limit) (X.690 §8.1, §10.1: definite lengths only). */
function readTlv(der: Uint8Array, at: number, limit: number, field: string, tag?: number): Tlv {
  if (at >= limit) throw fail('NOT_ENOUGH_BYTES', field, at, tag === undefined ? 'truncated' : `missing (expected tag ${tagHex(tag)})`);
  if (tag !== undefined && der[at] !== tag) throw fail('UNEXPECTED_TYPE', field, at, `expected tag ${tagHex(tag)}, got ${tagHex(der[at]!)}`);
  let p = at + 1;
  if ((der[at]! & 0x1f) === 0x1f) {
    while (p < limit && der[p]! & 0x80) p++;
    p++;
  }
  if (p >= limit) throw fail('NOT_ENOUGH_BYTES', field, at, 'truncated inside the tag or length');
  const first = der[p++]!;
  let len = first;
  if (first === 0x80) throw fail('INVALID_FIELD', field, p - 1, 'indefinite length is not DER');
  if (first > 0x80) {
    const n = first & 0x7f;
    if (n > 4) throw fail('LIMIT_EXCEEDED', field, p - 1, `a ${n}-byte length field`);
    if (p + n > limit) throw fail('NOT_ENOUGH_BYTES', field, p - 1, 'truncated inside the length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[p++]!;
  }
  if (p + len > limit) {
    throw fail('NOT_ENOUGH_BYTES', field, at, `length ${len} runs ${p + len - limit} bytes past the end of its container`);
  }
  return { tag: der[at]!, at, content: p, end: p + len };
}

function children(der: Uint8Array, t: Tlv, field: string): Tlv[] {
  const out: Tlv[] = [];
  for (let p = t.content; p < t.end; p = out[out.length - 1]!.end) out.push(readTlv(der, p, t.end, field));
  return out;
}

/** Every constructed TLV below `t` is well formed (so asn1js cannot fail later on structure). */
function validate(der: Uint8Array, t: Tlv, field: string, depth = 0): void {
  if (!(t.tag & 0x20)) return;
  if (depth > MAX_DEPTH) throw fail('LIMIT_EXCEEDED', field, t.at, `nested deeper than ${MAX_DEPTH} levels`);
  for (const c of children(der, t, field)) validate(der, c, field, depth + 1);
}

type Element = readonly [field: string, tag: number, optional?: 'optional'];

/** The elements of a SEQUENCE, in order; an optional one is absent when its tag does not come next. */
function sequence(der: Uint8Array, parent: Tlv, name: string, elements: readonly Element[]): Map<string, Tlv> {
  const out = new Map<string, Tlv>();
  let p = parent.content;
  for (const [field, tag, optional] of elements) {
    if (optional && (p >= parent.end || der[p] !== tag)) continue;
    const t = readTlv(der, p, parent.end, field, tag);
    out.set(field, t);
    p = t.end;
  }
  if (p < parent.end) throw fail('INVALID_FIELD', name, p, `unexpected element (tag ${tagHex(der[p]!)}) at the end`);
  return out;
}

interface Outline { tbs: Tlv; issuer: Tlv; subject: Tlv; notBefore: Tlv; notAfter: Tlv; spki: Tlv; extensions: Tlv[] }

const TBS: readonly Element[] = [
  ['version', 0xa0, 'optional'], ['serialNumber', 0x02], ['signature', 0x30], ['issuer', 0x30], ['validity', 0x30],
  ['subject', 0x30], ['subjectPublicKeyInfo', 0x30], ['issuerUniqueID', 0x81, 'optional'],
  ['subjectUniqueID', 0x82, 'optional'], ['extensions', 0xa3, 'optional'],
];

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } (RFC 5280 §4.1). */
function outline(der: Uint8Array): Outline {
  const cert = readTlv(der, 0, der.length, 'Certificate', 0x30);
  if (cert.end !== der.length) throw fail('INVALID_FIELD', 'trailing data', cert.end, `${der.length - cert.end} bytes after the certificate`);
  const top = sequence(der, cert, 'Certificate', [['tbsCertificate', 0x30], ['signatureAlgorithm', 0x30], ['signatureValue', 0x03]]);
  validate(der, top.get('signatureAlgorithm')!, 'signatureAlgorithm');
  const tbs = top.get('tbsCertificate')!;
  const items = sequence(der, tbs, 'tbsCertificate', TBS);
  for (const [field, t] of items) validate(der, t, field);

  const validity = items.get('validity')!;
  const [notBefore, notAfter, extra] = children(der, validity, 'validity');
  if (!notBefore || !notAfter || extra) throw fail('INVALID_FIELD', 'validity', validity.at, 'needs exactly notBefore and notAfter');
  const extWrap = items.get('extensions');
  const extensions = extWrap ? children(der, sequence(der, extWrap, 'extensions', [['extensions', 0x30]]).get('extensions')!, 'extensions') : [];
  return { tbs, issuer: items.get('issuer')!, subject: items.get('subject')!, notBefore, notAfter, spki: items.get('subjectPublicKeyInfo')!, extensions };
}

/** UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1, §4.1.2.5.2) → ISO 8601. */
function parseTime(der: Uint8Array, t: Tlv, field: string): string {
  const s = latin1(der.subarray(t.content, t.end));
  const m = t.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
    : t.tag === 0x18 ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : null;
  if (!m) {
    if (t.tag !== 0x17 && t.tag !== 0x18) throw fail('UNEXPECTED_TYPE', field, t.at, `tag ${tagHex(t.tag)} is neither UTCTime nor GeneralizedTime`);
    throw fail('INVALID_FIELD', field, t.content, `"${s}" is not ${t.tag === 0x17 ? 'YYMMDDHHMMSSZ' : 'YYYYMMDDHHMMSSZ'}`);
  }
  const [, y, mo, d, h, mi, sec] = m.map(Number) as [number, number, number, number, number, number, number];
  const year = t.tag === 0x17 ? (y >= 50 ? 1900 + y : 2000 + y) : y;
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, sec));
  date.setUTCFullYear(year);
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59) {
    throw fail('INVALID_FIELD', field, t.content, `"${s}" is not a valid date and time`);
  }
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${String(year).padStart(4, '0')}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(sec)}Z`;
}


function hex(b: Uint8Array, sep = ''): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0').toUpperCase()).join(sep);
}

/** DirectoryString and the other string types an attribute value may use, decoded to text. */
function attributeText(der: Uint8Array, t: Tlv): string | undefined {
  const body = der.subarray(t.content, t.end);
  switch (t.tag) {
    case 0x0c: return new TextDecoder('utf-8').decode(body);
    case 0x12: case 0x13: case 0x14: case 0x16: case 0x1a: return latin1(body);
    case 0x1e: return new TextDecoder('utf-16be').decode(body);
    case 0x1c: {
      let s = '';
      for (let i = 0; i + 4 <= body.length; i += 4) {
        const cp = ((body[i]! << 24) | (body[i + 1]! << 16) | (body[i + 2]! << 8) | body[i + 3]!) >>> 0;
        if (cp > 0x10ffff) return undefined;
        s += String.fromCodePoint(cp);
      }
      return s;
    }
    default: return undefined;
  }
}

/** RFC 4514 §2.4 escaping, plus control characters as \XX (OpenSSL esc_ctrl). */
function escapeValue(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    const code = c.charCodeAt(0);
    if (',+"\\<>;'.includes(c) || (i === 0 && (c === '#' || c === ' ')) || (i === v.length - 1 && c === ' ')) out += `\\${c}`;
    else if (code < 0x20 || code === 0x7f) out += `\\${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += c;
  }
  return out;
}

/**
 * asn1js.fromBER throws (not only returns offset -1) for some content, e.g. a GeneralizedTime whose
 * text is not a time; every call goes through here so that becomes a DecodeError naming `field`.
 */
function fromBER(bytes: Uint8Array, field: string, at: number): ReturnType<typeof asn1js.fromBER> {
  try {
    return asn1js.fromBER(bytes);
  } catch (e) {
    throw fail('INVALID_FIELD', field, at, (e as Error).message);
  }
}

/**
 * OBJECT IDENTIFIER in dotted form, by our DER reader (src/credssp/der.ts): with asn1js, the 144
 * subjects of the system store took 19-25 ms to index at each start, now 15-18 ms. Arcs above 2^53
 * (2.25 UUID OIDs) are written in decimal as OpenSSL writes them (asn1js wrote "{hex}"); asn1js
 * still decides what our reader refuses otherwise (non-minimal encodings), as it did before.
 */
function oidAt(der: Uint8Array, t: Tlv, field: string): string {
  const content = der.subarray(t.content, t.end);
  try {
    return oid({ tag: t.tag, at: t.at, body: new ByteReader(content, 'tls', PDU, t.content) }, field);
  } catch (e) {
    const big = e instanceof DecodeError && e.code === 'LIMIT_EXCEEDED' ? bigOid(content) : undefined;
    if (big !== undefined) return big;
  }
  const asn = fromBER(der.subarray(t.at, t.end), field, t.at);
  if (asn.offset === -1 || !(asn.result instanceof asn1js.ObjectIdentifier)) throw fail('INVALID_FIELD', field, t.at, 'bad OBJECT IDENTIFIER');
  return asn.result.valueBlock.toString();
}

/** OBJECT IDENTIFIER contents (X.690 §8.19) with arcs of any size; undefined if not minimal and complete. */
function bigOid(b: Uint8Array): string | undefined {
  if (b.length === 0 || b[b.length - 1]! & 0x80) return undefined;
  const arcs: bigint[] = [];
  let v = 0n;
  let fresh = true;
  for (const c of b) {
    if (fresh && c === 0x80) return undefined;
    v = (v << 7n) | BigInt(c & 0x7f);
    fresh = (c & 0x80) === 0;
    if (!fresh) continue;
    if (arcs.length === 0) arcs.push(v < 80n ? v / 40n : 2n, v < 80n ? v % 40n : v - 80n);
    else arcs.push(v);
    v = 0n;
  }
  return arcs.join('.');
}

/** Name ::= SEQUENCE OF RelativeDistinguishedName (RFC 5280 §4.1.2.4), most specific RDN first. */
function formatName(der: Uint8Array, name: Tlv, field: string): { text: string; cn?: string } {
  const atvs: { set: number; text: string; cn?: string }[] = [];
  children(der, name, field).forEach((rdn, set) => {
    if (rdn.tag !== 0x31) throw fail('UNEXPECTED_TYPE', field, rdn.at, 'a RelativeDistinguishedName is not a SET');
    for (const atv of children(der, rdn, field)) {
      const [type, value] = children(der, atv, field);
      if (atv.tag !== 0x30 || type?.tag !== 0x06 || !value) throw fail('INVALID_FIELD', field, atv.at, 'not an AttributeTypeAndValue');
      const oid = oidAt(der, type, field);
      const short = ATTRIBUTES[oid];
      const text = attributeText(der, value);
      const shown = short && text !== undefined ? escapeValue(text) : `#${hex(der.subarray(value.at, value.end))}`;
      atvs.push({ set, text: `${short ?? oid}=${shown}`, cn: oid === '2.5.4.3' ? text : undefined });
    }
  });
  atvs.reverse();
  const text = atvs.map((a, i) => (i === 0 ? '' : atvs[i - 1]!.set === a.set ? ' + ' : ', ') + a.text).join('');
  return { text, cn: atvs.find((a) => a.cn !== undefined)?.cn };
}

function bitLength(b: Uint8Array): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  return i === b.length ? 0 : (b.length - i - 1) * 8 + (32 - Math.clz32(b[i]!));
}

/** SubjectPublicKeyInfo (RFC 5280 §4.1.2.7; RFC 3279 §2.3, RFC 5480, RFC 8410). */
function keyInfo(spki: pkijs.PublicKeyInfo): { keyType: string; keyBits: number; curve?: string } {
  const oid = spki.algorithm.algorithmId;
  const params = spki.algorithm.algorithmParams as asn1js.AsnType | undefined;
  const key = spki.subjectPublicKey.valueBlock.valueHexView;
  switch (oid) {
    case '1.2.840.113549.1.1.1':
    case '1.2.840.113549.1.1.10': {
      // pkijs's lazy parsedKey gives undefined for a key that is not an RSAPublicKey but lets some
      // asn1js exceptions through; both mean the size is unknown (0), the rest of the certificate stands
      let rsa: pkijs.RSAPublicKey | undefined;
      try {
        rsa = spki.parsedKey as pkijs.RSAPublicKey | undefined;
      } catch {
        rsa = undefined;
      }
      return { keyType: oid.endsWith('.1') ? 'RSA' : 'RSA-PSS', keyBits: rsa ? bitLength(rsa.modulus.valueBlock.valueHexView) : 0 };
    }
    case '1.2.840.10045.2.1': {
      const named = params instanceof asn1js.ObjectIdentifier ? params.valueBlock.toString() : undefined;
      const known = named ? CURVES[named] : undefined;
      const pointBits = key[0] === 4 ? Math.floor((key.length - 1) / 2) * 8 : (key.length - 1) * 8;
      const curve = known ? known[0] : named;
      return { keyType: 'EC', keyBits: known ? known[1] : Math.max(pointBits, 0), ...(curve ? { curve } : {}) };
    }
    case '1.3.101.112': return { keyType: 'Ed25519', keyBits: 256 };
    case '1.3.101.113': return { keyType: 'Ed448', keyBits: 456 };
    case '1.2.840.10040.4.1': {
      const p = params instanceof asn1js.Sequence ? params.valueBlock.value[0] : undefined;
      return { keyType: 'DSA', keyBits: p instanceof asn1js.Integer ? bitLength(p.valueBlock.valueHexView) : 0 };
    }
    default: return { keyType: oid, keyBits: 0 };
  }
}

function signatureInfo(alg: pkijs.AlgorithmIdentifier): { signatureAlgorithm: string; signatureHash?: string } {
  const known = SIGNATURES[alg.algorithmId];
  if (!known) return { signatureAlgorithm: alg.algorithmId };
  if (known[0] !== 'RSASSA-PSS') return { signatureAlgorithm: known[0], signatureHash: known[1] };
  // RSASSA-PSS-params hashAlgorithm defaults to SHA-1 (RFC 4055 §3.1)
  let hash = 'SHA-1';
  if (alg.algorithmParams instanceof asn1js.Sequence) {
    try {
      const oid = new pkijs.RSASSAPSSParams({ schema: alg.algorithmParams }).hashAlgorithm.algorithmId;
      hash = HASHES[oid] ?? oid;
    } catch {
      hash = 'unknown';
    }
  }
  return { signatureAlgorithm: 'RSASSA-PSS', signatureHash: hash };
}

function formatIp(b: Uint8Array): string {
  if (b.length === 4) return b.join('.');
  if (b.length !== 16) return hex(b);
  const words = Array.from({ length: 8 }, (_, i) => (b[2 * i]! << 8) | b[2 * i + 1]!);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
  }
  const w = words.map((x) => x.toString(16));
  return best < 0 ? w.join(':') : `${w.slice(0, best).join(':')}::${w.slice(best + bestLen).join(':')}`;
}

/** The extensions CertInfo reports (RFC 5280 §4.2.1.3, §4.2.1.6, §4.2.1.9, §4.2.1.12). */
function extensionsInfo(cert: pkijs.Certificate, tlvs: Tlv[]): Pick<CertInfo, 'sans' | 'isCA' | 'extendedKeyUsage' | 'keyUsage'> {
  const out: Pick<CertInfo, 'sans' | 'isCA' | 'extendedKeyUsage' | 'keyUsage'> = { sans: { dns: [], ip: [] }, isCA: false };
  (cert.extensions ?? []).forEach((ext, i) => {
    const name = EXTENSIONS[ext.extnID];
    if (!name) return;
    const raw = ext.extnValue.valueBlock.valueHexView;
    const at = tlvs[i] ? tlvs[i]!.end - raw.length : 0;
    const field = `extensions: ${name}`;
    const asn = fromBER(raw, field, at);
    if (asn.offset !== raw.length) throw fail('INVALID_FIELD', field, at, asn.result.error || 'extension value is not one DER element');
    try {
      if (name === 'keyUsage') {
        if (!(asn.result instanceof asn1js.BitString)) throw new Error('not a BIT STRING');
        const bits = asn.result.valueBlock.valueHexView;
        out.keyUsage = KEY_USAGE.filter((_, n) => (bits[n >> 3] ?? 0) & (0x80 >> (n & 7)));
      } else if (name === 'subjectAltName') {
        for (const g of new pkijs.AltName({ schema: asn.result }).altNames) {
          if (g.type === 2) out.sans.dns.push(String(g.value));
          else if (g.type === 7) out.sans.ip.push(formatIp((g.value as asn1js.OctetString).valueBlock.valueHexView));
        }
      } else if (name === 'basicConstraints') {
        out.isCA = new pkijs.BasicConstraints({ schema: asn.result }).cA;
      } else {
        out.extendedKeyUsage = new pkijs.ExtKeyUsage({ schema: asn.result }).keyPurposes.map((p) => KEY_PURPOSES[p] ?? p);
      }
    } catch (e) {
      throw fail('INVALID_FIELD', field, at, (e as Error).message);
    }
  });
  return out;
}

function fingerprint(algorithm: 'sha256' | 'sha1', der: Uint8Array): string {
  return hex(createHash(algorithm).update(der).digest(), ':');
}

/**
 * The contents of the subjectPublicKey BIT STRING without its unused-bits octet (RFC 5280 §4.1.2.7;
 * for RSA the RSAPublicKey DER): what CredSSP binds in pubKeyAuth ([MS-CSSP] 3.1.5).
 */
export function subjectPublicKey(der: Uint8Array): Uint8Array {
  const spki = outline(der).spki;
  const bits = sequence(der, spki, 'subjectPublicKeyInfo', [['algorithm', 0x30], ['subjectPublicKey', 0x03]]).get('subjectPublicKey')!;
  if (bits.end === bits.content || der[bits.content] !== 0) throw fail('INVALID_FIELD', 'subjectPublicKey', bits.content, 'a key BIT STRING has 0 unused bits');
  return der.slice(bits.content + 1, bits.end);
}

/**
 * The subject as text, from our own DER walk only (no pkijs): what a trust store needs to index its
 * anchors without parsing each one. Throws DecodeError like parseCertificate.
 */
export function certificateSubject(der: Uint8Array): string {
  return formatName(der, outline(der).subject, 'subject').text;
}

// A capture repeats its servers' certificates in every connection: results are kept by content,
// bounded (a Map iterates oldest first). CertInfo values are never mutated by their users.
const CACHE_SIZE = 256;
const cache = new Map<string, CertInfo>();
const MAX_RAW_KEY = 16 * 1024;

/** Throws DecodeError { layer: 'tls', pdu: 'X.509 certificate', field, offset } for bytes that are not a certificate. */
export function parseCertificate(der: Uint8Array): CertInfo {
  // keyed by the bytes themselves (a string of them is cheaper than hashing them for every lookup);
  // past V8's longest fully hashed string, by their SHA-256
  const key = der.length <= MAX_RAW_KEY ? `r${Buffer.from(der.buffer, der.byteOffset, der.length).toString('latin1')}` : `h${fingerprint('sha256', der)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const info = parseUncached(der, fingerprint('sha256', der));
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, info);
  return info;
}

function parseUncached(der: Uint8Array, sha256: string): CertInfo {
  const o = outline(der);
  let cert: pkijs.Certificate;
  try {
    cert = pkijs.Certificate.fromBER(new Uint8Array(der));
  } catch (e) {
    throw fail('INVALID_FIELD', 'tbsCertificate', o.tbs.at, (e as Error).message);
  }
  const subject = formatName(der, o.subject, 'subject');
  const issuer = formatName(der, o.issuer, 'issuer');
  const subjectDer = der.subarray(o.subject.at, o.subject.end);
  const issuerDer = der.subarray(o.issuer.at, o.issuer.end);
  return {
    subject: subject.text,
    ...(subject.cn !== undefined ? { subjectCN: subject.cn } : {}),
    issuer: issuer.text,
    serialNumber: hex(cert.serialNumber.valueBlock.valueHexView).replace(/^(00)+(?=.)/, ''),
    notBefore: parseTime(der, o.notBefore, 'notBefore'),
    notAfter: parseTime(der, o.notAfter, 'notAfter'),
    ...extensionsInfo(cert, o.extensions),
    selfIssued: Buffer.compare(subjectDer, issuerDer) === 0,
    ...keyInfo(cert.subjectPublicKeyInfo),
    ...signatureInfo(cert.signatureAlgorithm),
    sha256,
    sha1: fingerprint('sha1', der),
  };
}
