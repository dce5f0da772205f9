// --record FILE (probe) and --pcapng FILE (fixture record): the run's own traffic written as a pcapng
// file (src/probe/record.ts) with the TLS key log in a Decryption Secrets Block, mode 0600.
//
// Secrets: the key log decrypts every TLS session in the file. Without --user that is the probe's
// anonymous handshake. With --user it is also the NTLM AUTHENTICATE (user, domain and an NTLMv2
// response, which an attacker can test passwords against offline) and, with --delegate, the
// TSCredentials, which CredSSP seals with the NTLM session key: the password is never in the file in
// clear, but anyone able to guess it can confirm the guess. So a recording with --user needs
// --record-credentials, said on purpose.
import { EXIT, type CliIO } from './io.js';
import { RDPSCOPE_VERSION } from './root.js';
import { ProbeRecording, RecordingFile } from '../probe/record.js';

export const RECORD_OPTION = {
  type: 'string',
  describe: 'write the run\'s own traffic to this pcapng file (mode 0600) with its TLS keys inside: rdpscope analyze and Wireshark decrypt it; whoever holds the file can too',
} as const;

export const RECORD_CREDENTIALS_OPTION = {
  type: 'boolean',
  describe: 'record with --user anyway: the keys in the file expose the NTLM AUTHENTICATE (an NTLMv2 response open to offline password guessing)',
} as const;


export interface RecordRequest {
  /** the file to write */
  path: string;
  /** e.g. "rdpscope probe" and "--record", for messages */
  command: string;
  flag: string;
  /** --user, when given */
  user?: string;
  /** --record-credentials */
  credentials?: boolean;
}

/**
 * Runs `run` with a recording and writes the file. A usage problem with the recording (--user without
 * --record-credentials, a path that cannot be written) stops before anything is probed.
 */
export async function withRecording(r: RecordRequest, io: CliIO, run: (recording: ProbeRecording) => Promise<number>): Promise<number> {
  if (r.user !== undefined && !r.credentials) {
    io.err(`${r.command}: ${r.flag} with --user: the TLS keys in the file would let whoever holds it read the NTLM AUTHENTICATE `
      + '(user, domain, and an NTLMv2 response that can be attacked offline to find the password); give --record-credentials to record anyway, or record without --user\n');
    return EXIT.USAGE;
  }
  let file: RecordingFile;
  try {
    file = new RecordingFile(r.path);
  } catch (e) {
    io.err(`${r.command}: ${r.flag} ${(e as Error).message}\n`);
    return EXIT.USAGE;
  }
  const recording = new ProbeRecording();
  let code: number;
  try {
    code = await run(recording);
  } catch (e) {
    file.abort();
    throw e;
  }
  if (recording.connections === 0) {
    file.abort();
    if (code !== EXIT.USAGE) io.err(`${r.command}: ${r.flag} ${r.path}: not written, no TCP connection was opened\n`);
    return code;
  }
  try {
    file.commit(recording.pcapng({ keys: true, application: `rdpscope ${RDPSCOPE_VERSION}` }));
  } catch (e) {
    io.err(`${r.command}: ${r.flag} ${(e as Error).message}\n`);
    return EXIT.CANNOT_ANALYZE;
  }
  const n = recording.connections;
  const keys = recording.keyLogLineCount;
  io.err(`recording written to ${r.path} (mode 0600): ${n} TCP connection${n === 1 ? '' : 's'}, `
    + `${keys ? `${keys} TLS key log line${keys === 1 ? '' : 's'}: whoever holds the file can decrypt the session${n === 1 ? '' : 's'}` : 'no TLS keys'}\n`);
  return code;
}
