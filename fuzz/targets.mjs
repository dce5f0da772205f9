// The fuzz targets: name → how one input is run, and its seeds. Decoders may throw DecodeError
// (pointing inside the input) and nothing else; the tracker, the diagnosis, the reports and capture
// replay may not throw at all. Every input is a plain byte array, so a failing one can be saved and
// replayed: targets that need more (a cipher suite, a split, two streams) read it from the bytes.
import { CODECS } from './codecs.mjs';
import { Rng } from './prng.mjs';
import { captureConnections, captureSeeds, streamFrames, vectorSeeds } from './seeds.mjs';

/** A failure other than a decoder's DecodeError. */
export class FuzzFailure extends Error {}

const u16be = (b, i) => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);

/** Split points taken from the input itself, so a replay splits the same way. */
function splits(b, n) {
  const rng = new Rng(b.length * 31 + (b[0] ?? 0) + ((b[b.length - 1] ?? 0) << 8));
  return Array.from({ length: n }, () => rng.int(b.length + 1)).sort((x, y) => x - y);
}

function pieces(b, n) {
  const cuts = [0, ...splits(b, n), b.length];
  return cuts.slice(1).map((end, i) => b.subarray(cuts[i], end));
}

// ---- the tracker's input script: records of [kind u8][length u16be][bytes] ----

const SCRIPT = ['c2s', 's2c', 'c2s-inner', 's2c-inner', 'fin-c2s', 'fin-s2c', 'rst-c2s', 'rst-s2c', 'gap-c2s', 'gap-s2c', 'client-random'];
const DATA_KINDS = 4;

export function decodeScript(b) {
  const out = [];
  for (let i = 0; i + 3 <= b.length;) {
    const len = u16be(b, i + 1);
    out.push({ kind: b[i] % SCRIPT.length, bytes: b.subarray(i + 3, i + 3 + len) });
    i += 3 + len;
  }
  return out;
}

export function encodeScript(records) {
  const parts = [];
  for (const r of records) {
    for (let i = 0; i === 0 || i < r.bytes.length; i += 0xffff) {
      const piece = r.bytes.subarray(i, i + 0xffff);
      parts.push(Uint8Array.of(r.kind, piece.length >> 8, piece.length & 0xff), piece);
    }
  }
  return Buffer.concat(parts);
}

function scriptFromInputs(inputs) {
  const records = [];
  for (const i of inputs) {
    if (i.kind === 'data') records.push({ kind: (i.dir === 'c2s' ? 0 : 1) + (i.lane === 'inner' ? 2 : 0), bytes: i.bytes });
    else if (i.kind === 'close') records.push({ kind: (i.how === 'fin' ? 4 : 6) + (i.dir === 'c2s' ? 0 : 1), bytes: new Uint8Array(0) });
  }
  return encodeScript(records);
}

function trackerInputs(records) {
  const inputs = [{ kind: 'tcp', what: 'syn', at: 0, packet: 1 }, { kind: 'tcp', what: 'syn-ack', at: 1, packet: 2 }];
  records.forEach(({ kind, bytes }, n) => {
    const w = { at: 2 + n, packet: 3 + n };
    const dir = kind % 2 === 0 ? 'c2s' : 's2c';
    if (kind < DATA_KINDS) inputs.push({ kind: 'data', dir, lane: kind < 2 ? 'wire' : 'inner', bytes, ...w });
    else if (kind < 8) inputs.push({ kind: 'close', dir, how: kind < 6 ? 'fin' : 'rst', ...w });
    else if (kind < 10) inputs.push({ kind: 'gap', dir, bytes: bytes.length || 1, ...w });
    else if (bytes.length === 32) inputs.push({ kind: 'rdp-client-random', source: 'user', clientRandom: bytes, ...w });
  });
  inputs.push({ kind: 'end', how: 'capture-end', at: 3 + records.length });
  return inputs;
}

/** The events must not carry the tracker's report of an exception it caught. */
function checkEvents(events) {
  const internal = events.find((e) => e.type === 'warning' && /internal error/.test(e.message));
  if (internal) throw new FuzzFailure(`tracker: ${internal.message}`);
}

/** Everything that reads a connection's events: diagnosis, summaries, both report forms. */
function analyse(m, events) {
  checkEvents(events);
  const verdict = m.diagnose.diagnose(events);
  m.tlsSummary.tlsSummary(events);
  m.json.toJson(m.json.connectionReport(events, verdict));
  m.report.renderConnection('fuzz', events, verdict, { color: false, bytes: true });
  return verdict;
}

/**
 * Tracker mutation: mutate one direction's whole stream and cut it again where the original records
 * were cut, or edit single records (bytes, order, a close, a gap, a client random for Standard RDP
 * Security keys), then split records at random points.
 */
function mutateScript(rng, seed, other, mutateBytes) {
  let records = decodeScript(seed).map((r) => ({ ...r }));
  const op = rng.int(4);
  if (op === 0 && records.length) {
    const kind = rng.int(2);
    const own = records.filter((r) => r.kind === kind);
    const stream = mutateBytes(rng, Buffer.concat(own.map((r) => r.bytes)), other);
    let at = 0;
    own.forEach((r, i) => {
      r.bytes = i === own.length - 1 ? stream.subarray(at) : stream.subarray(at, at + r.bytes.length);
      at += r.bytes.length;
    });
  } else if (op === 1 && records.length) {
    const r = rng.pick(records);
    r.bytes = mutateBytes(rng, r.bytes, other);
  } else if (op === 2 && records.length > 1) {
    const i = rng.int(records.length - 1);
    if (rng.bool()) [records[i], records[i + 1]] = [records[i + 1], records[i]];
    else records.splice(i, 1);
  } else {
    const kind = rng.range(4, SCRIPT.length - 1);
    // a client random comes from the probe or the user (32 bytes), not from the wire
    const bytes = kind === 10 ? rng.bytes(32) : new Uint8Array(kind >= 8 ? 1 + rng.int(100) : 0);
    records.splice(rng.int(records.length + 1), 0, { kind, bytes });
  }
  for (let k = rng.int(4); k > 0 && records.length; k--) {
    const i = rng.int(records.length);
    const r = records[i];
    if (r.kind >= DATA_KINDS || r.bytes.length < 2) continue;
    const cut = 1 + rng.int(r.bytes.length - 1);
    records.splice(i, 1, { kind: r.kind, bytes: r.bytes.subarray(0, cut) }, { kind: r.kind, bytes: r.bytes.subarray(cut) });
  }
  records = records.filter((r) => r.kind >= DATA_KINDS || r.bytes.length > 0);
  return encodeScript(records);
}

/**
 * Connections the captures do not have: TLS and NLA with the plaintext (inner lane) of a live probe,
 * CredSSP with NTLM, Early User Authorization, and the MCS/RDP sequence to the Demand Active.
 */
function syntheticScripts(m, rng, serverHellos) {
  const gen = (name) => CODECS.find((c) => c.name === name);
  const enc = (name, v) => gen(name).encode(m, v ?? gen(name).gen(rng));
  const header = { dstRef: 0, srcRef: 0x1234, classOption: 0 };
  const send = (type, data) => m.mcs.encodeX224Data(m.mcs.encodeDomainPdu({ type, initiator: 1007, channelId: 1003, data }));
  const domain = (pdu) => m.mcs.encodeX224Data(m.mcs.encodeDomainPdu(pdu));
  const clientData = m.gcc.encodeClientDataBlocks(gen('gcc-client-data').gen(rng));
  const serverData = m.gcc.encodeServerData({ core: { version: 0x00080004, clientRequestedProtocols: 3 }, network: { mcsChannelId: 1003, channelIds: [] } });
  const mcs = [
    [2, m.mcs.encodeX224Data(m.mcs.encodeConnectInitial(m.mcs.encodeConferenceCreateRequest(clientData)))],
    [3, m.mcs.encodeX224Data(m.mcs.encodeConnectResponse({ result: 0, calledConnectId: 0, userData: m.mcs.encodeConferenceCreateResponse(serverData) }))],
    [2, domain({ type: 'erectDomainRequest' })], [2, domain({ type: 'attachUserRequest' })],
    [3, domain({ type: 'attachUserConfirm', result: 0, initiator: 1007 })],
    [2, domain({ type: 'channelJoinRequest', initiator: 1007, channelId: 1007 })],
    [3, domain({ type: 'channelJoinConfirm', result: 0, initiator: 1007, requested: 1007, channelId: 1007 })],
    [2, send('sendDataRequest', m.rdp.encodeClientInfoPdu({ user: 'fuzz', domain: 'lab', flags: 0x10 | 0x20 | 0x100 }))],
    [3, send('sendDataIndication', m.lic.encodeLicensingPduWithHeader(m.lic.encodeValidClientLicense()))],
    [3, send('sendDataIndication', enc('rdp-demand-active'))],
    [3, send('sendDataIndication', enc('rdp-set-error-info'))],
  ];
  const tsRequest = (v) => m.tsRequest.encodeTsRequest(v);
  const credssp = [
    [2, tsRequest({ version: 6, negoTokens: [enc('ntlm-negotiate')] })],
    [3, tsRequest({ version: 6, negoTokens: [enc('ntlm-challenge')] })],
    [2, tsRequest({ version: 6, negoTokens: [enc('ntlm-authenticate')], pubKeyAuth: rng.bytes(48), clientNonce: rng.bytes(32) })],
    [3, rng.bool() ? tsRequest({ version: 6, errorCode: 0xc000006d }) : tsRequest({ version: 6, pubKeyAuth: rng.bytes(48) })],
    [2, tsRequest({ version: 6, authInfo: rng.bytes(80) })],
  ];
  const ccs = m.tlsRecord.encodeTlsRecord(20, 0x0303, Uint8Array.of(1));
  const connection = (selected, inner) => {
    const records = [
      { kind: 0, bytes: m.x224.encodeConnectionRequest({ header: { ...header, srcRef: 0 }, cookie: 'fuzz', negotiation: { flags: 0, requestedProtocols: 0xb } }) },
      { kind: 1, bytes: m.x224.encodeConnectionConfirm({ header, negotiation: { type: 'response', flags: 0x1f, selectedProtocol: selected } }) },
      { kind: 0, bytes: enc('tls-client-hello', { ...gen('tls-client-hello').gen(rng), version: 0x0303, minVersion: 0x0301 }) },
      // ServerHello, then each side's ChangeCipherSpec and encrypted Finished: the handshake is over
      { kind: 1, bytes: m.tlsRecord.encodeTlsRecord(22, 0x0303, m.tlsHandshake.encodeHandshake(2, rng.pick(serverHellos))) },
      { kind: 1, bytes: Buffer.concat([ccs, m.tlsRecord.encodeTlsRecord(22, 0x0303, rng.bytes(40))]) },
      { kind: 0, bytes: Buffer.concat([ccs, m.tlsRecord.encodeTlsRecord(22, 0x0303, rng.bytes(40))]) },
      ...inner.map(([kind, bytes]) => ({ kind, bytes })),
    ];
    return encodeScript(records);
  };
  return [
    connection(1, mcs),
    connection(2, [...credssp, ...mcs]),
    connection(8, [...credssp, [3, m.earlyUserAuth.encodeEarlyUserAuthResult(rng.pick([0, 5]))], ...mcs]),
  ];
}

// ---- decoders ----

/** name → (bytes) => unknown; base 0, and a leading selector byte (kind, block) is not part of the PDU */
function decoders(m) {
  const reader = (b, layer, pdu) => new m.wire.ByteReader(b, layer, pdu, 0);
  const kinds = ['basic', 'non-fips', 'fips'];
  const d = {
    'tpkt-size': (b) => m.x224.findTpktSize(b, 0),
    'x224-connection-request': (b) => m.x224.decodeConnectionRequest(b, 0),
    'x224-connection-confirm': (b) => m.x224.decodeConnectionConfirm(b, 0),
    'x224-frame': (b) => {
      const f = m.x224.decodeX224Frame(b, 0);
      return f.kind === 'DT' ? m.x224.decodeDataTpdu(f) : f.kind === 'DR' ? m.x224.decodeDisconnectRequest(f) : f;
    },
    'x224-data': (b) => m.mcs.decodeX224Data(b, 0),
    'tls-record-size': (b) => m.tlsRecord.findTlsRecordSize(b, 0),
    'tls-record': (b) => m.tlsRecord.decodeTlsRecord(b, 0),
    'tls-alert': (b) => m.tlsAlert.decodeAlert(b, 0),
    'tls-handshake-reassembly': (b) => {
      const h = new m.tlsHandshake.HandshakeReassembler();
      let at = 0;
      return pieces(b, 3).flatMap((p) => { const out = h.push(p, at); at += p.length; return out; });
    },
    'tls-client-hello': (b) => m.tlsClientHello.decodeClientHello(b, 0),
    'tls-server-hello': (b) => m.tlsServerHello.decodeServerHello(b, 0),
    'tls-certificate': (b) => m.tlsCertificate.decodeCertificateMessage(b, 0, false),
    'tls-certificate-13': (b) => m.tlsCertificate.decodeCertificateMessage(b, 0, true),
    // first two bytes: the cipher suite the ServerHello chose; the third: the version (0 = unknown)
    'tls-server-key-exchange': (b) => m.tlsServerKeyExchange.decodeServerKeyExchange(
      b.subarray(3), 0, u16be(b, 0), b[2] ? 0x0300 + (b[2] % 5) : undefined),
    'tls-extensions': (b) => m.tlsExtensions.decodeExtensions(reader(b, 'tls', 'extensions')),
    'x509': (b) => m.x509.parseCertificate(b),
    'x509-public-key': (b) => m.x509.subjectPublicKey(b),
    'der-tlv': (b) => {
      const r = reader(b, 'credssp', 'DER');
      const out = [];
      while (r.remaining > 0) out.push(m.der.readTlv(r, 'TLV'));
      return out;
    },
    'ts-request-size': (b) => m.tsRequest.findTsRequestSize(b, 0),
    'ts-request': (b) => m.tsRequest.decodeTsRequest(b, 0),
    'spnego': (b) => m.spnego.decodeSpnego(b, 0),
    'ts-credentials': (b) => m.tsCredentials.decodeTsCredentials(b, 0),
    'ntlm': (b) => m.ntlm.decodeNtlm(b, 0),
    'early-user-auth': (b) => m.earlyUserAuth.decodeEarlyUserAuthResult(b, 0),
    'mcs-ber-tlv': (b) => {
      const r = reader(b, 'mcs', 'BER');
      const out = [];
      while (r.remaining > 0) out.push(m.mcs.readBerTlv(r, 'TLV'));
      return out;
    },
    'mcs-connect-initial': (b) => m.mcs.decodeConnectInitial(b, 0),
    'mcs-connect-response': (b) => m.mcs.decodeConnectResponse(b, 0),
    'mcs-connect-response-result': (b) => m.mcs.decodeConnectResponseResult(b, 0),
    'mcs-domain-pdu': (b) => m.mcs.decodeDomainPdu(b, 0),
    'gcc-conference-create-request': (b) => m.mcs.decodeConferenceCreateRequest(b, 0),
    'gcc-conference-create-response': (b) => m.mcs.decodeConferenceCreateResponse(b, 0),
    'gcc-data-blocks': (b) => [m.gcc.decodeDataBlocks(b, 0, 'client'), m.gcc.decodeDataBlocks(b, 0, 'server')],
    'gcc-client-data': (b) => m.gcc.decodeClientData(b, 0),
    'gcc-client-blocks': (b) => {
      const f = [m.gcc.decodeClientCore, m.gcc.decodeClientSecurity, m.gcc.decodeClientNetwork, m.gcc.decodeClientCluster,
        m.gcc.decodeClientMonitor, m.gcc.decodeClientMonitorEx][(b[0] ?? 0) % 6];
      return f(b.subarray(1), 0);
    },
    'gcc-server-data': (b) => m.gcc.decodeServerData(b, 0),
    'gcc-server-blocks': (b) => [m.gcc.decodeServerCore, m.gcc.decodeServerSecurity, m.gcc.decodeServerNetwork][(b[0] ?? 0) % 3](b.subarray(1), 0),
    'gcc-server-certificate': (b) => m.gcc.decodeServerCertificate(b, 0),
    'rdp-framing': (b) => m.framing.frameRdp(b, 0),
    'rdp-security-header': (b) => kinds.map((k) => m.rdp.decodeSecurityHeader(b, 0, k)),
    'rdp-security-exchange': (b) => m.rdp.decodeSecurityExchange(b, 0),
    'rdp-client-info-pdu': (b) => m.rdp.decodeClientInfoPdu(b.subarray(1), 0, kinds[(b[0] ?? 0) % 3]),
    'rdp-info-packet': (b) => m.rdp.decodeInfoPacket(b, 0),
    'rdp-share-pdu': (b) => m.rdp.decodeSharePdu(b, 0),
    'rdp-share-pdus': (b) => m.rdp.decodeSharePdus(b, 0),
    'rdp-demand-active': (b) => m.rdp.decodeDemandActive(b, 0),
    'rdp-capability-sets': (b) => m.rdp.readCapabilitySets(reader(b.subarray(1), 'rdp', 'capabilities'), b[0] ?? 0, 0),
    'rdp-deactivate-all': (b) => m.rdp.decodeDeactivateAll(b, 0),
    'rdp-set-error-info': (b) => m.rdp.decodeSetErrorInfo(b, 0),
    'rdp-set-error-info-body': (b) => m.rdp.decodeSetErrorInfoBody(b, 0),
    'licensing-pdu': (b) => m.lic.decodeLicensingPdu(b, 0),
    'licensing-pdu-with-header': (b) => m.lic.decodeLicensingPduWithHeader(b.subarray(1), 0, kinds[(b[0] ?? 0) % 3]),
    'licensing-new-license-request': (b) => m.lic.decodeNewLicenseRequest(b, 0),
    'licensing-platform-challenge-response': (b) => m.lic.decodePlatformChallengeResponse(b, 0),
    'licensing-platform-challenge-response-data': (b) => m.lic.decodePlatformChallengeResponseData(b, 0),
    'rsa-public-key-der': (b) => m.rdpsec.rsaPublicKeyFromDer(b, 0),
  };
  return d;
}

/** Capture-layer helpers return a reason string for bad input: they may not throw at all. */
function captureHelpers(m) {
  return {
    'capture-ip': (b) => m.ip.decodeIp(b, 0),
    'capture-tcp': (b) => m.tcp.decodeTcp(b, 0, b.length, b.length + (b[0] ?? 0)),
    'capture-link': (b) => m.link.ipOffset(u16be(b, 0), b.subarray(2)),
    'capture-socks': (b) => {
      const [c2s, s2c] = pieces(b, 1);
      return [m.socks.parseSocks(c2s, s2c), m.socks.looksLikeSocks(c2s)];
    },
  };
}

/** Which generated encodings seed which decoder target (by codec name). */
const OWN_SEEDS = {
  'x224-connection-request': ['x224-connection-request'],
  'x224-connection-confirm': ['x224-connection-confirm'],
  'x224-frame': ['x224-connection-request', 'x224-disconnect-request', 'x224-data'],
  'tpkt-size': ['x224-connection-request', 'x224-data'],
  'x224-data': ['x224-data'],
  'tls-record': ['tls-record', 'tls-alert', 'tls-client-hello'],
  'tls-record-size': ['tls-record', 'tls-client-hello'],
  'tls-handshake-reassembly': ['tls-handshake'],
  'ts-request': ['ts-request'],
  'ts-request-size': ['ts-request'],
  'der-tlv': ['ts-request', 'spnego', 'ts-credentials'],
  'spnego': ['spnego'],
  'ts-credentials': ['ts-credentials'],
  'early-user-auth': ['early-user-auth'],
  'ntlm': ['ntlm-negotiate', 'ntlm-challenge', 'ntlm-authenticate'],
  'mcs-ber-tlv': ['mcs-connect-initial', 'mcs-connect-response'],
  'mcs-connect-initial': ['mcs-connect-initial'],
  'mcs-connect-response': ['mcs-connect-response'],
  'mcs-connect-response-result': ['mcs-connect-response'],
  'mcs-domain-pdu': ['mcs-domain-pdu'],
  'gcc-conference-create-request': ['gcc-conference-create-request'],
  'gcc-conference-create-response': ['gcc-conference-create-response'],
  'gcc-data-blocks': ['gcc-data-blocks', 'gcc-client-data', 'gcc-server-data'],
  'gcc-client-data': ['gcc-client-data'],
  'gcc-server-data': ['gcc-server-data'],
  'gcc-server-certificate': ['gcc-server-certificate'],
  'rdp-framing': ['x224-data', 'tls-record'],
  'rdp-security-header': ['rdp-security-header'],
  'rdp-security-exchange': ['rdp-security-exchange'],
  'rdp-info-packet': ['rdp-client-info'],
  'rdp-share-pdu': ['rdp-share-data', 'rdp-demand-active', 'rdp-deactivate-all', 'rdp-set-error-info'],
  'rdp-share-pdus': ['rdp-share-data', 'rdp-demand-active', 'rdp-set-error-info'],
  'rdp-demand-active': ['rdp-demand-active'],
  'rdp-deactivate-all': ['rdp-deactivate-all'],
  'rdp-set-error-info': ['rdp-set-error-info'],
  'licensing-pdu': ['licensing-error', 'licensing-request'],
  'licensing-new-license-request': ['licensing-new-license-request'],
  'licensing-platform-challenge-response': ['licensing-platform-challenge-response'],
  'licensing-platform-challenge-response-data': ['licensing-platform-challenge-response-data'],
};

/** Handshake message bodies in the TLS records of each input (one direction's records), by type. */
function handshakeBodies(m, inputs) {
  const out = new Map();
  for (const b of inputs) {
    const h = new m.tlsHandshake.HandshakeReassembler();
    try {
      for (let at = 0; b[at] === 22 && b[at + 1] === 3;) {
        const size = m.tlsRecord.findTlsRecordSize(b.subarray(at), at);
        if (size === undefined) break;
        for (const msg of h.push(b.subarray(at + 5, at + size), at + 5)) {
          if (!out.has(msg.type)) out.set(msg.type, []);
          out.get(msg.type).push(msg.body);
        }
        at += size;
      }
    } catch { /* not (only) TLS records */ }
  }
  return out;
}

const u24 = (n) => Uint8Array.of(n >> 16, (n >> 8) & 0xff, n & 0xff);

/** The TLS 1.3 form of a Certificate body: empty context, each entry with empty extensions. */
function certificate13(ders) {
  const list = Buffer.concat(ders.flatMap((d) => [u24(d.length), d, Uint8Array.of(0, 0)]));
  return Buffer.concat([Uint8Array.of(0), u24(list.length), list]);
}

/** The extensions block at the end of a ClientHello body. */
function clientHelloExtensions(body) {
  let at = 34;
  at += 1 + (body[at] ?? 0);
  at += 2 + (((body[at] ?? 0) << 8) | (body[at + 1] ?? 0));
  at += 1 + (body[at] ?? 0);
  return body.subarray(at);
}

/**
 * All targets with their seeds. `root` is the repository (for test/vectors and fixtures); the
 * generated encodings come from `seed`.
 */
export function buildTargets(m, root, { seed = 1, perCodec = 24 } = {}) {
  const rng = new Rng(seed ^ 0x5eed);
  const generated = new Map(CODECS.map((c) => [c.name, Array.from({ length: perCodec }, () => c.encode(m, c.gen(rng)))]));
  const vectors = vectorSeeds(root);
  const captures = captureSeeds(root);
  const connections = captureConnections(m, captures);
  const frames = streamFrames(connections);
  const hs = handshakeBodies(m, [...frames, ...vectors, ...connections.flatMap((inputs) => ['c2s', 's2c'].map((dir) =>
    Buffer.concat(inputs.filter((i) => i.kind === 'data' && i.dir === dir).map((i) => i.bytes))))]);
  const chains = [];
  for (const body of hs.get(11) ?? []) {
    try { chains.push(m.tlsCertificate.decodeCertificateMessage(body, 0).certificates.map((c) => c.der)); } catch { /* TLS 1.3 form */ }
  }
  const certs = chains.flat();
  /** the bodies of the data blocks of these types, each after its index in `types` (the selector byte) */
  const selected = (encodings, types) => encodings.flatMap((e) => m.gcc.decodeDataBlocks(e, 0, 'client')
    .filter((blk) => types.includes(blk.type)).map((blk) => Buffer.concat([Uint8Array.of(types.indexOf(blk.type)), blk.body])));
  const capabilities = Array.from({ length: perCodec }, () => {
    const sets = CODECS.find((c) => c.name === 'rdp-demand-active').gen(rng).capabilitySets;
    const w = new m.wire.ByteWriter(1 + sets.reduce((n, c) => n + 4 + c.data.length, 0)).u8(sets.length);
    for (const c of sets) m.rdp.writeCapabilitySet(w, c);
    return w.finish();
  });
  // frames and vectors are seeds for every decoder, and so are their bodies past common headers
  const shared = [...vectors, ...frames].flatMap((b) => [b, ...[4, 7, 8, 14, 15, 19, 21].filter((o) => o < b.length).map((o) => b.subarray(o))]);
  const extra = {
    'tls-client-hello': hs.get(1), 'tls-server-hello': hs.get(2), 'tls-certificate': hs.get(11),
    'tls-server-key-exchange': (hs.get(12) ?? []).flatMap((body) => [0xc02f, 0xc030, 0x009e, 0xc013, 0x0033].map((s) => Buffer.concat([Uint8Array.of(s >> 8, s & 0xff, 3), body]))),
    'tls-certificate-13': chains.map(certificate13),
    'gcc-client-blocks': selected(generated.get('gcc-client-data'), [0xc001, 0xc002, 0xc003, 0xc004, 0xc005, 0xc008]),
    'gcc-server-blocks': selected(generated.get('gcc-server-data'), [0x0c01, 0x0c02, 0x0c03]),
    'rdp-client-info-pdu': generated.get('rdp-client-info-pdu').map((b) => Buffer.concat([Uint8Array.of(0), b])),
    'licensing-pdu-with-header': generated.get('licensing-pdu-with-header').map((b) => Buffer.concat([Uint8Array.of(0), b])),
    'tls-extensions': (hs.get(1) ?? []).map(clientHelloExtensions),
    'tls-alert': Array.from({ length: perCodec }, () => rng.bytes(2)),
    'rdp-capability-sets': capabilities,
    'rdp-set-error-info-body': generated.get('rdp-set-error-info').map((b) => b.subarray(b.length - 4)),
    'x509': certs, 'x509-public-key': certs, 'rsa-public-key-der': certs,
  };
  const targets = [];
  const checked = (name, run, own, kind) => targets.push({ name, kind, run, own: own.length ? own : shared, shared });
  for (const [name, f] of Object.entries(decoders(m))) {
    const own = [...(OWN_SEEDS[name] ?? []).flatMap((c) => generated.get(c)), ...(extra[name] ?? [])];
    checked(name, (b) => f(b), own, 'decoder');
  }
  for (const [name, f] of Object.entries(captureHelpers(m))) checked(name, (b) => f(b), [], 'total');

  const tls12ServerHellos = (hs.get(2) ?? []).filter((body) => m.tlsServerHello.decodeServerHello(body, 0).version === 0x0303);
  const scripts = [...connections.map(scriptFromInputs),
    ...Array.from({ length: 4 }, () => syntheticScripts(m, rng, tls12ServerHellos)).flat()];
  targets.push({
    name: 'tracker', kind: 'total', own: scripts, shared: scripts,
    mutate: (r, seedBytes, other, mutateBytes) => mutateScript(r, seedBytes, other, mutateBytes),
    run: (b) => {
      const tracker = new m.tracker.HandshakeTracker();
      for (const input of trackerInputs(decodeScript(b))) tracker.push(input);
      return analyse(m, tracker.events);
    },
  });
  const files = captures.map((c) => c.bytes);
  targets.push({
    name: 'replay', kind: 'total', own: files, shared: files, prefer: ['captureLength', 'captureLength', 'truncate', 'integer'],
    run: (b) => {
      const items = m.replay.replayBytes(b);
      for (const item of items) if (item.type === 'connection') analyse(m, item.events);
      return items;
    },
  });
  targets.push({
    name: 'capture-chunks', kind: 'total', own: files, shared: files, prefer: ['captureLength', 'truncate', 'integer'],
    run: (b) => {
      const whole = parseCapture(m, [b]);
      const split = parseCapture(m, pieces(b, 3));
      if (whole !== split) throw new FuzzFailure(`CaptureParser: a split file reads differently:\n${whole}\n${split}`);
      return whole;
    },
  });
  return targets;
}

/** What the capture reader makes of the chunks: packets and issues, as text to compare. */
function parseCapture(m, chunks) {
  const p = new m.reader.CaptureParser();
  const lines = [];
  for (const c of chunks) for (const pkt of p.push(c)) lines.push(`${pkt.number} ${pkt.offset} ${pkt.linktype} ${pkt.capLen} ${pkt.origLen} ${pkt.at} ${Buffer.from(pkt.data).toString('hex')}`);
  for (const i of p.end()) lines.push(JSON.stringify(i));
  return lines.join('\n');
}
