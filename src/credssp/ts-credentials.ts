// TSCredentials and TSPasswordCreds ([MS-CSSP] 2.2.1.2, 2.2.1.2.1): what --delegate sends, sealed,
// as TSRequest.authInfo. Strings are UTF-16LE OCTET STRINGs. The decoder serves the scenario server.
import { ByteReader } from '../wire/reader.js';
import { ctx, der, derInteger, expectEnd, explicit, integer, readTlv, TAG } from './der.js';
import { utf16leBytes, utf16leText } from '../wire/text.js';

export const TS_CREDENTIALS_NAME = 'CredSSP TSCredentials';
/** credType 1: TSPasswordCreds ([MS-CSSP] 2.2.1.2) */
export const CRED_TYPE_PASSWORD = 1;

export interface PasswordCredentials { domain: string; user: string; password: string }

const octets = (n: number, b: Uint8Array): Uint8Array => der(ctx(n), der(TAG.octetString, b));

export function encodeTsCredentials(c: PasswordCredentials): Uint8Array {
  const creds = der(TAG.sequence, octets(0, utf16leBytes(c.domain)), octets(1, utf16leBytes(c.user)), octets(2, utf16leBytes(c.password)));
  return der(TAG.sequence, der(ctx(0), derInteger(CRED_TYPE_PASSWORD)), octets(1, creds));
}

/** Decodes TSCredentials with TSPasswordCreds (other credTypes are UNSUPPORTED_VALUE). */
export function decodeTsCredentials(bytes: Uint8Array, base = 0): PasswordCredentials {
  const r = new ByteReader(bytes, 'credssp', TS_CREDENTIALS_NAME, base);
  const seq = readTlv(r, 'TSCredentials', TAG.sequence).body;
  expectEnd(r, 'TSCredentials');
  const typeTlv = explicit(seq, 0, TAG.integer, 'credType');
  const credType = integer(typeTlv, 'credType', 4);
  if (credType !== CRED_TYPE_PASSWORD) throw seq.error('UNSUPPORTED_VALUE', 'credType', `credType ${credType}; only 1 (password) is decoded`, typeTlv.at);
  const inner = explicit(seq, 1, TAG.octetString, 'credentials').body;
  expectEnd(seq, 'TSCredentials');
  const creds = readTlv(inner, 'TSPasswordCreds', TAG.sequence).body;
  expectEnd(inner, 'credentials');
  const field = (n: number, name: string): string => {
    const t = explicit(creds, n, TAG.octetString, name).body;
    if (t.remaining % 2) throw t.error('INVALID_FIELD', name, `odd UTF-16 length ${t.remaining}`);
    return utf16leText(t.rest(name));
  };
  const out = { domain: field(0, 'domainName'), user: field(1, 'userName'), password: field(2, 'password') };
  expectEnd(creds, 'TSPasswordCreds');
  return out;
}
