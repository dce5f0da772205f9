// A real TLS session between node:tls (OpenSSL) client and server over an in-memory pipe, for the
// decryption tests: the raw bytes of each direction in the order they were written, the client's
// NSS key log lines ('keylog' event), and the plaintext each side sent. No socket, no network.
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { Dir } from '../../../src/analyze/input.js';
import { makeCertificate, type GeneratedCert } from '../../../src/server/pki.js';

export interface Recorded {
  /** every write, in order, as it went over the pipe */
  wire: { dir: Dir; bytes: Uint8Array }[];
  keylog: string;
  protocol: string;
  cipher: string;
  /** what each side wrote through TLS */
  sent: Record<Dir, Buffer>;
  cert: GeneratedCert;
}

let cert: GeneratedCert | undefined;
export function testCertificate(): GeneratedCert {
  return (cert ??= makeCertificate({ cn: 'localhost', dnsNames: ['localhost'], notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 86_400_000 * 30) }));
}

class End extends Duplex {
  peer!: End;
  constructor(private readonly dir: Dir, private readonly log: Recorded['wire']) {
    super();
  }
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
    this.log.push({ dir: this.dir, bytes: new Uint8Array(chunk) });
    this.peer.push(chunk);
    cb();
  }
  override _read(): void {}
  override _final(cb: () => void): void {
    this.peer.push(null);
    cb();
  }
}

/**
 * Handshake, then the client sends `messages.c2s` and the server answers each client chunk with
 * `messages.s2c`; ends with the client's close_notify. Options go to both ends (minVersion,
 * maxVersion, ciphers, secureOptions).
 */
export async function recordSession(opts: tls.SecureContextOptions & { secureOptions?: number }, messages: { c2s: string[]; s2c: string[] }): Promise<Recorded> {
  const wire: Recorded['wire'] = [];
  const a = new End('c2s', wire);
  const b = new End('s2c', wire);
  a.peer = b;
  b.peer = a;
  const c = testCertificate();
  const sent = { c2s: Buffer.alloc(0), s2c: Buffer.alloc(0) };
  const lines: string[] = [];
  const server = new tls.TLSSocket(b, { isServer: true, secureContext: tls.createSecureContext({ key: c.keyPem, cert: c.certPem, ...opts }) });
  const client = tls.connect({ socket: a, rejectUnauthorized: false, ...opts });
  client.on('keylog', (line: Buffer) => lines.push(line.toString('latin1')));
  await new Promise<void>((resolve, reject) => {
    client.once('secureConnect', resolve);
    client.once('error', reject);
    server.once('error', reject);
  });
  let i = 0;
  server.on('data', () => {
    const m = messages.s2c[i++];
    if (m !== undefined) {
      sent.s2c = Buffer.concat([sent.s2c, Buffer.from(m)]);
      server.write(m);
    }
  });
  let got = 0;
  const expected = messages.s2c.reduce((n, m) => n + Buffer.byteLength(m), 0);
  const answered = new Promise<void>((resolve) => {
    if (expected === 0) resolve();
    client.on('data', (d: Buffer) => {
      got += d.length;
      if (got >= expected) resolve();
    });
  });
  for (const m of messages.c2s) {
    sent.c2s = Buffer.concat([sent.c2s, Buffer.from(m)]);
    await new Promise<void>((resolve) => client.write(m, () => resolve()));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await answered;
  const protocol = client.getProtocol() ?? '';
  const cipher = (client.getCipher() as { standardName: string }).standardName;
  await new Promise<void>((resolve) => {
    client.end(() => resolve());
  });
  await new Promise((resolve) => setImmediate(resolve));
  server.destroy();
  return { wire, keylog: `${lines.join('')}`, protocol, cipher, sent, cert: c };
}
