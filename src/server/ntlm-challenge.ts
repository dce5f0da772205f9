// The scenario server's side of the CredSSP opening: an NTLM CHALLENGE ([MS-NLMP] 2.2.1.2) with
// target information AV pairs (2.2.2.1) and a VERSION (2.2.2.10), sent in a TSRequest.
import { ByteWriter } from '../wire/writer.js';
import { utf16leBytes } from '../wire/text.js';
import { msToFiletime, NTLM_SIGNATURE } from '../credssp/ntlm-fields.js';

export interface ChallengeSpec {
  nbDomain: string;
  nbComputer: string;
  dnsDomain: string;
  dnsComputer: string;
  /** ms since the Unix epoch, sent as MsvAvTimestamp */
  now: number;
  serverChallenge: Uint8Array;
  /** product version, e.g. [10, 0, 17763] */
  version: [number, number, number];
}

const HEADER = 56;
/** NTLMSSP_NEGOTIATE_* flags a Windows server answers with (unicode, sign, seal, NTLM, target info, version, ESS, 128, 56, key exchange) */
const FLAGS = 0xe28a8235;
const AV = { eol: 0, nbComputer: 1, nbDomain: 2, dnsComputer: 3, dnsDomain: 4, dnsTree: 5, timestamp: 7 } as const;

function avPairs(s: ChallengeSpec): Uint8Array {
  const ts = new Uint8Array(8);
  new DataView(ts.buffer).setBigUint64(0, msToFiletime(s.now), true);
  const pairs: [number, Uint8Array][] = [
    [AV.nbDomain, utf16leBytes(s.nbDomain)], [AV.nbComputer, utf16leBytes(s.nbComputer)], [AV.dnsDomain, utf16leBytes(s.dnsDomain)],
    [AV.dnsComputer, utf16leBytes(s.dnsComputer)], [AV.dnsTree, utf16leBytes(s.dnsDomain)], [AV.timestamp, ts], [AV.eol, new Uint8Array(0)],
  ];
  const w = new ByteWriter(pairs.reduce((n, [, v]) => n + 4 + v.length, 0));
  for (const [id, v] of pairs) w.u16le(id).u16le(v.length).bytes(v);
  return w.finish();
}

export function encodeNtlmChallenge(s: ChallengeSpec): Uint8Array {
  const target = utf16leBytes(s.nbDomain);
  const info = avPairs(s);
  const w = new ByteWriter(HEADER + target.length + info.length);
  w.bytes(NTLM_SIGNATURE).u32le(2);
  w.u16le(target.length).u16le(target.length).u32le(HEADER);
  w.u32le(FLAGS).bytes(s.serverChallenge).bytes(new Uint8Array(8));
  w.u16le(info.length).u16le(info.length).u32le(HEADER + target.length);
  w.u8(s.version[0]).u8(s.version[1]).u16le(s.version[2]).bytes(new Uint8Array(3)).u8(15);
  return w.bytes(target).bytes(info).finish();
}
