// CredsspClient ([MS-CSSP] 3.1.5 over NTLMv2) against the scenario server's CredsspResponder, in
// memory, with a real RSA key from the scenario certificate: the AUTHENTICATE it sends (MIC, MsvAvFlags,
// ExportedSessionKey), pubKeyAuth for versions 2-6, delegation, and every way the server can refuse.
import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/wire/hex.js';
import { CLIENT_WORKSTATION, CredsspClient, type CredsspClientStep, type PubKeyAuthCheck } from '../../src/credssp/credssp-client.js';
import { decodeTsRequest, encodeTsRequest, type TsRequest } from '../../src/credssp/ts-request.js';
import { decodeNtlm, MIC_OFFSET, NTLM_FLAG, type NtlmAuthenticate, type NtlmChallenge } from '../../src/credssp/ntlm.js';
import { computeMic } from '../../src/credssp/ntlmv2.js';
import { NtlmSealing, sessionKeys } from '../../src/credssp/ntlm-seal.js';
import { clientPubKeyAuth } from '../../src/credssp/pub-key-auth.js';
import { decodeTsCredentials, encodeTsCredentials } from '../../src/credssp/ts-credentials.js';
import { CredsspResponder, SCENARIO_ACCOUNT, type CredsspAction, type CredsspBehaviour } from '../../src/server/credssp-responder.js';
import { checkAuthenticate } from '../../src/server/ntlm-server.js';
import { scenarioCertificate } from '../../src/server/tls-certs.js';
import { subjectPublicKey } from '../../src/tls/x509.js';

const hex = (b: Uint8Array): string => toHex(b, '');
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const CERT = scenarioCertificate('ok').cert;
const SPK = subjectPublicKey(CERT.der);
const CREDENTIALS = { user: 'RDPSCOPE', domain: 'RDPSCOPE', password: SCENARIO_ACCOUNT.password };

/** A deterministic random source that remembers what it handed out, call by call. */
function recordingRandom(seed: number): { random: (n: number) => Uint8Array; calls: Uint8Array[] } {
  const calls: Uint8Array[] = [];
  const random = (n: number): Uint8Array => {
    const b = Uint8Array.from({ length: n }, (_, i) => (seed + calls.length * 61 + i * 7) & 0xff);
    calls.push(b);
    return b;
  };
  return { random, calls };
}

const written = (actions: CredsspAction[]): Uint8Array => {
  const w = actions.find((a): a is { write: Uint8Array } => 'write' in a);
  if (!w) throw new Error(`expected a write, got ${JSON.stringify(actions)}`);
  return w.write;
};
const sends = (steps: CredsspClientStep[]): Uint8Array[] => steps.flatMap((s) => ('send' in s ? [s.send] : []));
const checkOf = (steps: CredsspClientStep[]): PubKeyAuthCheck | undefined => steps.flatMap((s) => ('check' in s ? [s.check] : []))[0];

interface Options {
  password?: string;
  delegate?: boolean;
  behaviour?: CredsspBehaviour;
  /** changes the server's answer to the AUTHENTICATE before the client sees it */
  edit?: (r: TsRequest) => TsRequest;
}

/** One exchange, message by message: client NEGOTIATE, server CHALLENGE, client AUTHENTICATE, ... */
function exchange(o: Options = {}) {
  const rnd = recordingRandom(0x40);
  const client = new CredsspClient({
    credentials: { ...CREDENTIALS, password: o.password ?? CREDENTIALS.password },
    delegate: o.delegate ?? false, serverPublicKey: SPK, random: rnd.random,
  });
  const server = new CredsspResponder({
    now: () => NOW, random: (n) => new Uint8Array(n).fill(0x11), serverPublicKey: SPK, hybridEx: true,
    ...(o.behaviour ? { behaviour: o.behaviour } : {}),
  });
  const negotiate = client.start();
  const challengeRequest = decodeTsRequest(written(server.receive(negotiate)));
  const challengeToken = challengeRequest.negoTokens![0]!;
  const challenge = decodeNtlm(challengeToken) as NtlmChallenge;
  const afterChallenge = client.receive(challengeRequest, challenge, NOW);
  const authenticateBytes = sends(afterChallenge)[0]!;
  const authenticate = decodeTsRequest(authenticateBytes);
  const serverAnswer = server.receive(authenticateBytes);
  const answerBytes = 'write' in serverAnswer[0]! ? serverAnswer[0].write : undefined;
  const answer = answerBytes && (o.edit ?? ((r) => r))(decodeTsRequest(answerBytes));
  const final = answer ? client.receive(answer, undefined, NOW) : [];
  const credentialBytes = sends(final)[0];
  const serverFinal = credentialBytes ? server.receive(credentialBytes) : [];
  return {
    client, rnd, negotiate, challengeRequest, challengeToken, challenge, afterChallenge, authenticateBytes, authenticate,
    serverAnswer, answer, final, credentialBytes, serverFinal,
    sent: [negotiate, authenticateBytes, ...(credentialBytes ? [credentialBytes] : [])],
  };
}

/** The server side redone here: check the AUTHENTICATE, then unseal what the client sealed, in order. */
function serverView(x: ReturnType<typeof exchange>) {
  const auth = decodeNtlm(x.authenticate.negoTokens![0]!) as NtlmAuthenticate;
  const check = checkAuthenticate(auth, x.challenge.serverChallenge, SCENARIO_ACCOUNT);
  if (!check.ok) throw new Error(`checkAuthenticate: ${check.reason}`);
  const receive = new NtlmSealing(check.keys.c2s, check.keyExchange);
  const pubKeyAuth = receive.unseal(x.authenticate.pubKeyAuth!);
  const authInfo = x.credentialBytes ? receive.unseal(decodeTsRequest(x.credentialBytes).authInfo!) : undefined;
  return { auth, check, pubKeyAuth, authInfo };
}

describe('the scenario certificate key', () => {
  it('subjectPublicKey() is the RSAPublicKey DER node:crypto exports (PKCS #1)', () => {
    const pkcs1 = createPublicKey(CERT.certPem).export({ type: 'pkcs1', format: 'der' });
    expect(hex(SPK)).toBe(hex(new Uint8Array(pkcs1)));
    expect(SPK.length).toBeGreaterThan(256);
  });
});

describe('the AUTHENTICATE the client sends', () => {
  const x = exchange();
  const { auth, check } = serverView(x);

  it('asks random for 8 (client challenge), 16 (session key) and 32 (nonce) bytes, in that order', () => {
    expect(x.rnd.calls.map((c) => c.length)).toEqual([8, 16, 32]);
    expect(hex(auth.ntlmv2!.clientChallenge)).toBe(hex(x.rnd.calls[0]!));
  });

  it('names user, domain and workstation RDPSCOPE and negotiates key exchange', () => {
    expect(auth).toMatchObject({ type: 3, user: 'RDPSCOPE', domain: 'RDPSCOPE', workstation: 'RDPSCOPE' });
    expect(CLIENT_WORKSTATION).toBe('RDPSCOPE');
    expect(auth.flags & NTLM_FLAG.NTLMSSP_NEGOTIATE_KEY_EXCH).not.toBe(0);
    expect(auth.encryptedRandomSessionKey.length).toBe(16);
  });

  it('has MsvAvFlags 0x2 (MIC present) in its NTLMv2 AV pairs, with the server timestamp', () => {
    expect(auth.ntlmv2!.avPairs.flags).toBe(0x2);
    expect(auth.ntlmv2!.timestamp).toBe(x.challenge.targetInfo!.timestamp);
    expect(auth.mic?.length).toBe(16);
  });

  it('the MIC is HMAC_MD5(ExportedSessionKey = the second random value, NEGOTIATE || CHALLENGE || AUTHENTICATE)', () => {
    const token = x.authenticate.negoTokens![0]!;
    const zeroed = token.slice();
    zeroed.fill(0, MIC_OFFSET, MIC_OFFSET + 16);
    const negotiateToken = decodeTsRequest(x.negotiate).negoTokens![0]!;
    expect(hex(computeMic(x.rnd.calls[1]!, negotiateToken, x.challengeToken, zeroed))).toBe(hex(auth.mic!));
    expect(hex(computeMic(x.rnd.calls[2]!.subarray(0, 16), negotiateToken, x.challengeToken, zeroed))).not.toBe(hex(auth.mic!));
  });

  it('the server recovers that same ExportedSessionKey and so the same session keys', () => {
    expect(check.ok && check.keyExchange).toBe(true);
    expect(check.ok && check.keys).toEqual(sessionKeys(x.rnd.calls[1]!, auth.flags));
  });
});

describe('a full exchange with the right password', () => {
  it('without delegate: check "match" (v6, binding hash), then done; nothing more is sent', () => {
    const x = exchange();
    expect(checkOf(x.final)).toMatchObject({ result: 'match', version: 6, method: 'sha256-binding-hash' });
    expect(x.final.at(-1)).toHaveProperty('done');
    expect(x.credentialBytes).toBeUndefined();
  });

  it('with delegate: authInfo goes out, the client reports delegated, and the server answers EUA AUTHZ_SUCCESS', () => {
    const x = exchange({ delegate: true });
    expect(x.final.map((s) => Object.keys(s)[0])).toEqual(['check', 'send', 'delegated']);
    expect(checkOf(x.final)?.result).toBe('match');
    const req = decodeTsRequest(x.credentialBytes!);
    expect(Object.keys(req).filter((k) => req[k as keyof TsRequest] !== undefined)).toEqual(['version', 'authInfo']);
    expect(x.serverFinal).toEqual([{ write: Uint8Array.of(0, 0, 0, 0) }]);
    expect(x.client.receive({ version: 6 }, undefined, NOW)).toEqual([]);
  });

  it('the server unseals the client pubKeyAuth (hash with the nonce) and then the authInfo, which decodes to the credentials', () => {
    const x = exchange({ delegate: true });
    const v = serverView(x);
    expect(v.pubKeyAuth).toEqual({ ok: true, message: clientPubKeyAuth(6, SPK, x.rnd.calls[2]!) });
    expect(v.authInfo?.ok).toBe(true);
    expect(v.authInfo?.ok && decodeTsCredentials(v.authInfo.message)).toEqual(CREDENTIALS);
  });

  it('the password appears in no byte the client sends, neither UTF-8 nor UTF-16LE', () => {
    const x = exchange({ delegate: true });
    const needles = [Buffer.from(CREDENTIALS.password, 'utf8'), Buffer.from(CREDENTIALS.password, 'utf16le')];
    // the search would find it in the unsealed TSCredentials
    expect(Buffer.from(encodeTsCredentials(CREDENTIALS)).includes(needles[1]!)).toBe(true);
    expect(x.sent.length).toBe(3);
    for (const bytes of x.sent) for (const n of needles) expect(Buffer.from(bytes).includes(n)).toBe(false);
  });
});

describe('CredSSP versions', () => {
  it.each([
    [2, 'public-key-plus-one'],
    [3, 'public-key-plus-one'],
    [4, 'public-key-plus-one'],
    [5, 'sha256-binding-hash'],
    [6, 'sha256-binding-hash'],
  ] as const)('server version %i: %s, match, and delegation completes', (version, method) => {
    const x = exchange({ behaviour: { version }, delegate: true });
    expect(x.challengeRequest.version).toBe(version);
    expect(checkOf(x.final)).toMatchObject({ result: 'match', version, method });
    expect(x.serverFinal).toEqual([{ write: Uint8Array.of(0, 0, 0, 0) }]);
  });

  it('version 2: no clientNonce, and the client seals the TLS key itself', () => {
    const x = exchange({ behaviour: { version: 2 } });
    expect(x.authenticate.clientNonce).toBeUndefined();
    expect(x.rnd.calls.map((c) => c.length)).toEqual([8, 16]);
    expect(serverView(x).pubKeyAuth).toEqual({ ok: true, message: SPK });
  });

  it('version 6: a 32-byte clientNonce, the third random value', () => {
    const x = exchange();
    expect(x.authenticate.version).toBe(6);
    expect(hex(x.authenticate.clientNonce!)).toBe(hex(x.rnd.calls[2]!));
    expect(x.authenticate.clientNonce!.length).toBe(32);
  });
});

describe('refusals', () => {
  it('wrong password: the server answers errorCode STATUS_LOGON_FAILURE and the client is done', () => {
    const x = exchange({ password: 'Wrong#Pass1', delegate: true });
    expect(x.answer).toEqual({ version: 6, errorCode: 0xc000006d });
    expect(x.final).toEqual([{ done: expect.any(String) }]);
    expect(x.credentialBytes).toBeUndefined();
  });

  it('wrong-pubkeyauth: the server pubKeyAuth unseals but binds another key: mismatch, no authInfo even with delegate', () => {
    const x = exchange({ behaviour: 'wrong-pubkeyauth', delegate: true });
    expect(checkOf(x.final)).toMatchObject({ result: 'mismatch', version: 6 });
    expect(sends(x.final)).toEqual([]);
    expect(x.final.at(-1)).toHaveProperty('done');
  });

  it('a server TSRequest without pubKeyAuth ends the exchange', () => {
    const x = exchange({ delegate: true, edit: (r) => ({ version: r.version }) });
    expect(x.final).toEqual([{ done: expect.stringMatching(/pubKeyAuth/) }]);
  });

  it.each([
    ['checksum', 5],
    ['sealed hash', 30],
  ])('a flipped byte in the server pubKeyAuth (%s) is bad-signature, and no authInfo goes out', (_, at) => {
    const x = exchange({
      delegate: true,
      edit: (r) => {
        const p = r.pubKeyAuth!.slice();
        p[at]! ^= 0x80;
        return { ...r, pubKeyAuth: p };
      },
    });
    expect(checkOf(x.final)?.result).toBe('bad-signature');
    expect(sends(x.final)).toEqual([]);
    expect(x.final.at(-1)).toHaveProperty('done');
  });

  it('control: the server answer re-encoded unchanged still matches (so the edits above are what fail it)', () => {
    const x = exchange({ delegate: true, edit: (r) => decodeTsRequest(encodeTsRequest(r)) });
    expect(checkOf(x.final)?.result).toBe('match');
  });
});
