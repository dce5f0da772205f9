// Shared by the T.125 connect PDUs: display names, the size limit, and telling BER connect PDUs
// (Connect-Initial 7f 65, Connect-Response 7f 66) from PER DomainMCSPDUs ([MS-RDPBCGR] 2.2.1.3-2.2.1.9).
import type { ByteReader } from '../wire/reader.js';
import { DOMAIN_PDU_TYPES } from './domain-names.js';

export const MCS_CONNECT_NAME = {
  initial: 'MCS Connect Initial',
  response: 'MCS Connect Response',
} as const;

/** Connect PDUs larger than this (64 KiB) are LIMIT_EXCEEDED: a TPKT cannot even carry one. */
export const MAX_CONNECT_PDU_SIZE = 65536;

export function checkConnectSize(r: ByteReader): void {
  if (r.length > MAX_CONNECT_PDU_SIZE) {
    throw r.error('LIMIT_EXCEEDED', 'length', `${r.length} bytes (at most ${MAX_CONNECT_PDU_SIZE})`, r.base);
  }
}

export type McsConnectKind = 'connect-initial' | 'connect-response' | 'domain';

/**
 * What the MCS PDU at the head of `bytes` is, from its first octets; undefined when it is none of
 * them (empty, another T.125 connect PDU, or a DomainMCSPDU choice above tokenTestConfirm (42)).
 * 0x7f is also the first octet of a PER tokenInhibitRequest, so 7f 65 / 7f 66 win.
 */
export function mcsConnectKind(bytes: Uint8Array): McsConnectKind | undefined {
  const first = bytes[0];
  if (first === undefined) return undefined;
  if (first === 0x7f && bytes.length >= 2) {
    if (bytes[1] === 0x65) return 'connect-initial';
    if (bytes[1] === 0x66) return 'connect-response';
    if (bytes[1] === 0x67 || bytes[1] === 0x68) return undefined; // Connect-Additional / Connect-Result
  }
  return first >> 2 < DOMAIN_PDU_TYPES.length ? 'domain' : undefined;
}
