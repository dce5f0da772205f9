// T.125 DomainParameters (§7 part 2), carried three times in Connect-Initial and once in
// Connect-Response: eight INTEGER (0..MAX) fields in a SEQUENCE ([MS-RDPBCGR] 2.2.1.3, 2.2.1.4).
import type { ByteReader } from '../wire/reader.js';
import { BER_TAG, berExpectEnd, berInteger, berTlv, berUnsigned, readBerTlv, type BerIntegerForm } from './ber.js';

export interface DomainParameters {
  maxChannelIds: number;
  maxUserIds: number;
  maxTokenIds: number;
  numPriorities: number;
  minThroughput: number;
  maxHeight: number;
  maxMCSPDUsize: number;
  protocolVersion: number;
}

/** Field order on the wire. */
export const DOMAIN_PARAMETER_FIELDS = [
  'maxChannelIds', 'maxUserIds', 'maxTokenIds', 'numPriorities',
  'minThroughput', 'maxHeight', 'maxMCSPDUsize', 'protocolVersion',
] as const satisfies readonly (keyof DomainParameters)[];

const params = (...v: number[]): DomainParameters =>
  Object.fromEntries(DOMAIN_PARAMETER_FIELDS.map((k, i) => [k, v[i]!])) as unknown as DomainParameters;

/**
 * What mstsc sends ([MS-RDPBCGR] 4.1.3, which FreeRDP copies). The 3.2.5.3.3 table says 65535 for
 * maximumParameters.maxUserIds; the 4.1.3 bytes (02 02 fc 17) say 64535. We send what the bytes say.
 */
export const CLIENT_DOMAIN_PARAMETERS = {
  target: params(34, 2, 0, 1, 0, 1, 65535, 2),
  minimum: params(1, 1, 1, 1, 0, 1, 1056, 2),
  maximum: params(65535, 64535, 65535, 1, 0, 1, 65535, 2),
} as const;

/** The merged parameters a Windows server answers with ([MS-RDPBCGR] 4.1.4). */
export const SERVER_DOMAIN_PARAMETERS: DomainParameters = params(34, 3, 0, 1, 0, 1, 65528, 2);

export function decodeDomainParameters(r: ByteReader, field: string): DomainParameters {
  const seq = readBerTlv(r, field, BER_TAG.SEQUENCE).body;
  const out = {} as DomainParameters;
  for (const k of DOMAIN_PARAMETER_FIELDS) out[k] = berUnsigned(readBerTlv(seq, `${field}.${k}`, BER_TAG.INTEGER), `${field}.${k}`);
  berExpectEnd(seq, field);
  return out;
}

export function encodeDomainParameters(p: DomainParameters, form: BerIntegerForm): Uint8Array {
  return berTlv(BER_TAG.SEQUENCE, ...DOMAIN_PARAMETER_FIELDS.map((k) => berInteger(p[k], form)));
}
