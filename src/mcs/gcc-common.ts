// T.124 GCC pieces both Conference Create PDUs share ([MS-RDPBCGR] 2.2.1.3, 2.2.1.4; T.124 §8.7,
// §9.5-9.6): ConnectData, Key, and the UserData SET OF that carries the RDP settings blocks.
import { latin1, latin1Bytes } from '../wire/text.js';
import type { PerReader, PerWriter } from './per.js';

/** ConnectData::t124Identifier: {itu-t(0) recommendation(0) t(20) t124(124) version(0) 1}. */
export const T124_OID = '0.0.20.124.0.1';

/** H.221 non-standard keys of the user data set: client-to-server and server-to-client. */
export const H221_CLIENT_KEY = 'Duca';
export const H221_SERVER_KEY = 'McDn';

export const GCC_NAME = {
  request: 'GCC Conference Create Request',
  response: 'GCC Conference Create Response',
} as const;

/** ConnectGCCPDU alternatives (extensible CHOICE, 8 root alternatives). */
export const CONNECT_GCC_PDU = {
  conferenceCreateRequest: 0,
  conferenceCreateResponse: 1,
  count: 8,
} as const;

/**
 * ConnectData ::= SEQUENCE { t124Identifier Key, connectPDU OCTET STRING }: checks the key is the
 * T.124 OID and returns the declared connectPDU length and its offset (the contents follow, aligned).
 */
export function readConnectDataHeader(p: PerReader): { declared: number; at: number } {
  const keyAt = p.absolute;
  if (p.index(2, 't124Identifier') !== 0) throw p.error('UNEXPECTED_TYPE', 't124Identifier', 'an H.221 key where the T.124 OID belongs', keyAt);
  p.align();
  const oidAt = p.absolute;
  const oid = p.objectIdentifier('t124Identifier');
  if (oid !== T124_OID) throw p.error('UNSUPPORTED_VALUE', 't124Identifier', `OID ${oid}, expected ${T124_OID} (T.124)`, oidAt);
  const at = p.absolute;
  return { declared: p.length('connectPDU length'), at };
}

export function writeConnectDataHeader(w: PerWriter, connectPduLength: number): void {
  w.index(0, 2).objectIdentifier(T124_OID).length(connectPduLength);
}

/**
 * UserData ::= SET OF SEQUENCE { key Key, value OCTET STRING OPTIONAL }: every set is read; the value
 * of the one keyed h221NonStandard `key` is returned (a view and its absolute offset).
 */
export function readUserData(p: PerReader, key: string): { bytes: Uint8Array; at: number } {
  p.align();
  const countAt = p.absolute;
  const count = p.length('userData count');
  let found: { bytes: Uint8Array; at: number } | undefined;
  for (let i = 0; i < count; i++) {
    const hasValue = p.bool('userData value present');
    const keyAt = p.absolute;
    let name: string;
    if (p.index(2, 'userData key') === 0) name = p.objectIdentifier('userData key');
    else name = latin1(p.octetString('userData key', 4, 255).bytes);
    const value = hasValue ? p.octetString('userData value') : undefined;
    if (name === key && found === undefined) {
      if (!value) throw p.error('INVALID_FIELD', 'userData value', `the "${key}" set has no value`, keyAt);
      found = value;
    }
  }
  if (!found) throw p.error('INVALID_FIELD', 'userData', `no user data set keyed "${key}" among ${count}`, countAt);
  return found;
}

/** One user data set keyed h221NonStandard `key`, with its value. */
export function writeUserData(w: PerWriter, key: string, value: Uint8Array): void {
  w.length(1).bool(true).index(1, 2).octetString(latin1Bytes(key), 4, 255).octetString(value);
}
