// Every codec with both an encoder and a decoder: a generator of random valid values, the encoder,
// the decoder, and what the decoded value must contain. The property tests check
// decode(encode(v)) ⊇ expected(v) (test/fuzz/roundtrip.test.ts); the fuzzer uses the encodings as
// seeds for the matching decoder targets (fuzz/targets.mjs).

const u8 = (r) => r.int(0x100);
const u16 = (r) => r.int(0x10000);
const u32 = (r) => r.u32();
const ASCII = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.';
/** printable ASCII, no CR/LF */
const ascii = (r, max, min = 0) => Array.from({ length: min + r.int(max - min + 1) }, () => r.pick(ASCII)).join('');
/** BMP text without NULs or surrogates (UTF-16 round trips) */
const text = (r, max) => Array.from({ length: r.int(max + 1) }, () =>
  String.fromCharCode(r.bool(0.7) ? r.pick(ASCII).charCodeAt(0) : r.bool() ? 0xa0 + r.int(0x60) : 0x4e00 + r.int(0x1000))).join('');
const bytes = (r, max, min = 0) => r.bytes(min + r.int(max - min + 1));
const maybe = (r, f) => (r.bool() ? f() : undefined);
const list = (r, max, f, min = 0) => Array.from({ length: min + r.int(max - min + 1) }, f);
/** the object without its undefined properties (what a decoder leaves out) */
const defined = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const oid = (r) => [r.int(3), r.int(40), ...list(r, 6, () => (r.bool() ? r.int(128) : r.u32() >>> r.int(32)))].join('.');

const connectionHeader = (r) => ({ dstRef: u16(r), srcRef: u16(r), classOption: 0 });
const domainParameters = (r) => ({
  maxChannelIds: u16(r), maxUserIds: u16(r), maxTokenIds: u16(r), numPriorities: r.int(8), minThroughput: u16(r),
  maxHeight: r.int(8), maxMCSPDUsize: u16(r), protocolVersion: 2,
});
/** NTLMSSP_NEGOTIATE_VERSION set exactly when a version is sent */
const withVersionFlag = (v) => ({ ...v, flags: (v.version ? v.flags | 0x02000000 : v.flags & ~0x02000000) >>> 0 });
const ntlmVersion = (r) => ({ major: r.int(16), minor: r.int(16), build: u16(r), revision: 15 });

/** @type {Array<{name: string, gen: Function, encode: Function, decode: Function, expected?: Function}>} */
export const CODECS = [
  {
    name: 'x224-connection-request',
    gen: (r) => {
      const v = { header: connectionHeader(r) };
      const token = r.int(3);
      if (token === 1) v.cookie = ascii(r, 40);
      if (token === 2) v.routingToken = `Cookie: msts=${ascii(r, 40)}`;
      if (r.bool(0.8)) {
        v.negotiation = { flags: u8(r), requestedProtocols: u32(r) };
        if (r.bool(0.3)) v.correlation = { flags: u8(r), correlationId: r.bytes(16) };
      }
      return v;
    },
    encode: (m, v) => m.x224.encodeConnectionRequest(v),
    decode: (m, b, base) => m.x224.decodeConnectionRequest(b, base),
  },
  {
    name: 'x224-connection-confirm',
    gen: (r) => {
      const v = { header: connectionHeader(r) };
      const k = r.int(3);
      if (k === 1) v.negotiation = { type: 'response', flags: u8(r), selectedProtocol: u32(r) };
      if (k === 2) v.negotiation = { type: 'failure', flags: u8(r), failureCode: u32(r) };
      return v;
    },
    encode: (m, v) => m.x224.encodeConnectionConfirm(v),
    decode: (m, b, base) => m.x224.decodeConnectionConfirm(b, base),
  },
  {
    name: 'x224-disconnect-request',
    gen: (r) => ({ dstRef: u16(r), srcRef: u16(r), reason: u8(r) }),
    encode: (m, v) => m.x224.encodeDisconnectRequest(v),
    decode: (m, b, base) => m.x224.decodeDisconnectRequest(m.x224.decodeX224Frame(b, base)),
  },
  {
    name: 'x224-data',
    gen: (r) => ({ payload: bytes(r, 300) }),
    encode: (m, v) => m.mcs.encodeX224Data(v.payload),
    decode: (m, b, base) => m.mcs.decodeX224Data(b, base),
    expected: (v) => ({ eot: true, payload: v.payload }),
  },
  {
    name: 'tls-record',
    gen: (r) => ({ type: r.pick([20, 21, 22, 23]), version: r.pick([0x0300, 0x0301, 0x0302, 0x0303]), fragment: bytes(r, 400) }),
    encode: (m, v) => m.tlsRecord.encodeTlsRecord(v.type, v.version, v.fragment),
    decode: (m, b, base) => m.tlsRecord.decodeTlsRecord(b, base),
    expected: (v) => ({ ...v, length: v.fragment.length }),
  },
  {
    name: 'tls-alert',
    gen: (r) => ({ level: r.pick([1, 2]), description: u8(r), version: r.pick([0x0301, 0x0303]) }),
    encode: (m, v) => m.tlsAlert.encodeAlert(v.level, v.description, v.version),
    decode: (m, b, base) => m.tlsAlert.decodeAlert(m.tlsRecord.decodeTlsRecord(b, base).fragment, base + 5),
    expected: (v) => ({ level: v.level, description: v.description }),
  },
  {
    name: 'tls-client-hello',
    gen: (r) => {
      const version = r.range(0x0300, 0x0304);
      const v = {
        version, minVersion: r.range(0x0300, version), random: r.bytes(32),
        cipherSuites: list(r, 20, () => r.pick([0x002f, 0x0035, 0x009c, 0xc02f, 0xc030, 0xc013, 0x1301, 0x1302, 0x1303, u16(r)]), 1),
      };
      if (r.bool()) v.serverName = `${ascii(r, 20, 1)}.example`;
      if (r.bool()) v.groups = list(r, 6, () => r.pick([23, 24, 29, 30, 256]), 1);
      if (r.bool()) v.signatureAlgorithms = list(r, 8, () => r.pick([0x0401, 0x0403, 0x0804, 0x0807, 0x0201]), 1);
      return v;
    },
    encode: (m, v) => m.tlsClientHello.buildClientHello(v),
    decode: (m, b, base) => {
      const rec = m.tlsRecord.decodeTlsRecord(b, base);
      const [msg] = new m.tlsHandshake.HandshakeReassembler().push(rec.fragment, base + 5);
      return m.tlsClientHello.decodeClientHello(msg.body, msg.offset + 4);
    },
    // SSL 3.0 offers the renegotiation SCSV (0x00ff) instead of the extension
    expected: (v) => defined({
      random: v.random, cipherSuites: v.version === 0x0300 ? [...v.cipherSuites, 0x00ff] : v.cipherSuites,
      serverName: v.version === 0x0300 ? undefined : v.serverName, maxVersion: v.version,
    }),
  },
  {
    name: 'tls-handshake',
    gen: (r) => ({ type: u8(r), body: bytes(r, 300) }),
    encode: (m, v) => m.tlsHandshake.encodeHandshake(v.type, v.body),
    decode: (m, b, base) => new m.tlsHandshake.HandshakeReassembler().push(b, base)[0],
    expected: (v) => ({ type: v.type, body: v.body }),
  },
  {
    name: 'ts-request',
    gen: (r) => defined({
      version: r.int(7), negoTokens: maybe(r, () => list(r, 3, () => bytes(r, 200), 1)), authInfo: maybe(r, () => bytes(r, 100)),
      pubKeyAuth: maybe(r, () => bytes(r, 300)), errorCode: maybe(r, () => u32(r)), clientNonce: maybe(r, () => r.bytes(32)),
    }),
    encode: (m, v) => m.tsRequest.encodeTsRequest(v),
    decode: (m, b, base) => m.tsRequest.decodeTsRequest(b, base),
  },
  {
    name: 'spnego',
    gen: (r) => (r.bool()
      ? defined({ kind: 'init', mechTypes: list(r, 4, () => oid(r), 1), mechToken: maybe(r, () => bytes(r, 200)), mechListMIC: maybe(r, () => bytes(r, 20)) })
      : defined({ kind: 'resp', negState: maybe(r, () => r.int(4)), supportedMech: maybe(r, () => oid(r)), responseToken: maybe(r, () => bytes(r, 200)), mechListMIC: maybe(r, () => bytes(r, 20)) })),
    encode: (m, v) => m.spnego.encodeSpnego(v),
    decode: (m, b, base) => m.spnego.decodeSpnego(b, base),
  },
  {
    name: 'ts-credentials',
    gen: (r) => ({ domain: text(r, 20), user: text(r, 20), password: text(r, 30) }),
    encode: (m, v) => m.tsCredentials.encodeTsCredentials(v),
    decode: (m, b, base) => m.tsCredentials.decodeTsCredentials(b, base),
  },
  {
    name: 'early-user-auth',
    gen: (r) => ({ code: u32(r) }),
    encode: (m, v) => m.earlyUserAuth.encodeEarlyUserAuthResult(v.code),
    decode: (m, b, base) => m.earlyUserAuth.decodeEarlyUserAuthResult(b, base),
    expected: (v) => ({ value: v.code }),
  },
  {
    name: 'ntlm-negotiate',
    gen: (r) => withVersionFlag({ flags: u32(r), version: maybe(r, () => ntlmVersion(r)) }),
    encode: (m, v) => m.ntlm.encodeNtlmNegotiate(v.flags, v.version),
    decode: (m, b, base) => m.ntlm.decodeNtlm(b, base),
    expected: (v) => defined({ type: 1, flags: v.flags, version: v.version && { ...v.version } }),
  },
  {
    name: 'ntlm-challenge',
    gen: (r) => ({
      nbDomain: ascii(r, 15, 1), nbComputer: ascii(r, 15, 1), dnsDomain: `${ascii(r, 20, 1)}.test`, dnsComputer: `${ascii(r, 20, 1)}.test`,
      now: 1_600_000_000_000 + r.int(1e9), serverChallenge: r.bytes(8), version: [r.int(16), r.int(16), u16(r)],
    }),
    encode: (m, v) => m.ntlmChallenge.encodeNtlmChallenge(v),
    decode: (m, b, base) => m.ntlm.decodeNtlm(b, base),
    expected: (v) => ({
      type: 2, targetName: v.nbDomain, serverChallenge: v.serverChallenge,
      targetInfo: { nbComputerName: v.nbComputer, nbDomainName: v.nbDomain, dnsComputerName: v.dnsComputer, dnsDomainName: v.dnsDomain },
      version: { major: v.version[0], minor: v.version[1], build: v.version[2] },
    }),
  },
  {
    name: 'ntlm-authenticate',
    gen: (r) => withVersionFlag({
      flags: u32(r) | 1, domain: ascii(r, 15), user: ascii(r, 20), workstation: ascii(r, 15),
      lmResponse: r.bool() ? r.bytes(24) : new Uint8Array(0), ntResponse: r.bool() ? r.bytes(24) : new Uint8Array(0),
      encryptedRandomSessionKey: r.bool() ? r.bytes(16) : new Uint8Array(0), version: maybe(r, () => ntlmVersion(r)), withMic: r.bool(),
    }),
    encode: (m, v) => m.ntlmv2.encodeNtlmAuthenticate(v),
    decode: (m, b, base) => m.ntlm.decodeNtlm(b, base),
    expected: (v) => defined({
      type: 3, flags: v.flags, domain: v.domain, user: v.user, workstation: v.workstation, lmResponse: v.lmResponse,
      ntResponse: v.ntResponse, encryptedRandomSessionKey: v.encryptedRandomSessionKey, version: v.version && { ...v.version },
    }),
  },
  {
    name: 'mcs-connect-initial',
    gen: (r) => ({
      userData: bytes(r, 400),
      o: defined({
        callingDomainSelector: maybe(r, () => bytes(r, 4)), calledDomainSelector: maybe(r, () => bytes(r, 4)), upwardFlag: maybe(r, () => r.bool()),
        targetParameters: maybe(r, () => domainParameters(r)), minimumParameters: maybe(r, () => domainParameters(r)),
        maximumParameters: maybe(r, () => domainParameters(r)), integerForm: r.pick(['twos-complement', 'unsigned']),
      }),
    }),
    encode: (m, v) => m.mcs.encodeConnectInitial(v.userData, v.o),
    decode: (m, b, base) => m.mcs.decodeConnectInitial(b, base),
    expected: (v) => { const { integerForm, ...o } = v.o; return { userData: v.userData, ...o }; },
  },
  {
    name: 'mcs-connect-response',
    gen: (r) => defined({
      result: r.int(16), calledConnectId: u16(r), domainParameters: maybe(r, () => domainParameters(r)), userData: bytes(r, 400),
      integerForm: r.pick(['twos-complement', 'unsigned']),
    }),
    encode: (m, v) => m.mcs.encodeConnectResponse(v),
    decode: (m, b, base) => m.mcs.decodeConnectResponse(b, base),
    expected: (v) => { const { integerForm, ...o } = v; return o; },
  },
  {
    name: 'mcs-domain-pdu',
    gen: (r) => {
      const user = () => 1001 + r.int(65535 - 1001 + 1);
      switch (r.int(7)) {
        case 0: return { type: 'erectDomainRequest', subHeight: r.int(1000), subInterval: r.int(1000) };
        case 1: return { type: 'attachUserRequest' };
        case 2: return defined({ type: 'attachUserConfirm', result: r.int(16), initiator: maybe(r, user) });
        case 3: return { type: 'channelJoinRequest', initiator: user(), channelId: u16(r) };
        case 4: return defined({ type: 'channelJoinConfirm', result: r.int(16), initiator: user(), requested: u16(r), channelId: maybe(r, () => u16(r)) });
        case 5: return { type: 'disconnectProviderUltimatum', reason: r.int(5) };
        default: return {
          type: r.pick(['sendDataRequest', 'sendDataIndication']), initiator: user(), channelId: u16(r),
          priority: r.pick(['top', 'high', 'medium', 'low']), segmentation: r.int(4), data: bytes(r, 300),
        };
      }
    },
    encode: (m, v) => m.mcs.encodeDomainPdu(v),
    decode: (m, b, base) => m.mcs.decodeDomainPdu(b, base),
    expected: (v) => (v.type === 'erectDomainRequest' ? { type: v.type } : v),
  },
  {
    name: 'gcc-conference-create-request',
    gen: (r) => ({ clientData: bytes(r, 400), conferenceName: maybe(r, () => String(r.int(1e6))) }),
    encode: (m, v) => m.mcs.encodeConferenceCreateRequest(v.clientData, defined({ conferenceName: v.conferenceName })),
    decode: (m, b, base) => m.mcs.decodeConferenceCreateRequest(b, base),
    expected: (v) => defined({ userData: v.clientData, conferenceName: v.conferenceName }),
  },
  {
    name: 'gcc-conference-create-response',
    gen: (r) => ({ serverData: bytes(r, 400), o: defined({ nodeId: maybe(r, () => 1001 + r.int(64534)), tag: maybe(r, () => r.int(100)), result: maybe(r, () => r.int(5)) }) }),
    encode: (m, v) => m.mcs.encodeConferenceCreateResponse(v.serverData, v.o),
    decode: (m, b, base) => m.mcs.decodeConferenceCreateResponse(b, base),
    expected: (v) => ({ userData: v.serverData, ...v.o }),
  },
  {
    name: 'gcc-data-blocks',
    gen: (r) => ({ side: r.pick(['client', 'server']), blocks: list(r, 5, () => ({ type: u16(r), body: bytes(r, 100) })) }),
    encode: (m, v) => m.gcc.encodeDataBlocks(v.blocks),
    decode: (m, b, base) => m.gcc.decodeDataBlocks(b, base, 'client'),
    expected: (v) => v.blocks,
  },
  {
    name: 'gcc-client-data',
    gen: (r) => defined({
      core: maybe(r, () => {
        const c = {
          version: r.pick([0x00080001, 0x00080004, 0x0008000c]), desktopWidth: u16(r), desktopHeight: u16(r), colorDepth: r.pick([0xca00, 0xca01]),
          sasSequence: 0xaa03, keyboardLayout: u32(r), clientBuild: u32(r), clientName: text(r, 15), keyboardType: r.int(8),
          keyboardSubType: u32(r), keyboardFunctionKey: r.int(24), imeFileName: text(r, 31),
        };
        const tail = [['postBeta2ColorDepth', u16], ['clientProductId', u16], ['serialNumber', u32], ['highColorDepth', u16],
          ['supportedColorDepths', u16], ['earlyCapabilityFlags', u16], ['clientDigProductId', (x) => text(x, 31)], ['connectionType', u8],
          ['pad1octet', u8], ['serverSelectedProtocol', u32], ['desktopPhysicalWidth', u32], ['desktopPhysicalHeight', u32],
          ['desktopOrientation', u16], ['desktopScaleFactor', u32], ['deviceScaleFactor', u32]];
        for (const [f, g] of tail.slice(0, r.int(tail.length + 1))) c[f] = g(r);
        return c;
      }),
      security: maybe(r, () => ({ encryptionMethods: r.int(32), extEncryptionMethods: r.int(32) })),
      network: maybe(r, () => ({ channels: list(r, 8, () => ({ name: ascii(r, 7, 1), options: u32(r) })) })),
      cluster: maybe(r, () => ({ flags: u32(r), redirectedSessionId: u32(r) })),
      monitor: maybe(r, () => ({ flags: 0, monitors: list(r, 4, () => ({ left: u32(r) | 0, top: u32(r) | 0, right: u32(r) | 0, bottom: u32(r) | 0, flags: r.int(2) }), 1) })),
      messageChannel: maybe(r, () => ({ flags: 0 })),
      multitransport: maybe(r, () => ({ flags: r.pick([0, 1, 0x100, 0x101, 0x200]) })),
      monitorEx: maybe(r, () => ({ flags: 0, monitors: list(r, 4, () => ({ physicalWidth: u32(r), physicalHeight: u32(r), orientation: r.pick([0, 90, 180, 270]), desktopScaleFactor: u32(r), deviceScaleFactor: u32(r) }), 1) })),
    }),
    encode: (m, v) => m.gcc.encodeClientDataBlocks(v),
    decode: (m, b, base) => m.gcc.decodeClientData(b, base),
  },
  {
    name: 'gcc-server-data',
    gen: (r) => defined({
      core: maybe(r, () => defined({ version: r.pick([0x00080001, 0x00080004]), clientRequestedProtocols: maybe(r, () => r.int(16)) })),
      network: maybe(r, () => ({ mcsChannelId: 1003, channelIds: list(r, 6, () => 1004 + r.int(10)) })),
      security: maybe(r, () => (r.bool(0.3) ? { encryptionMethod: 0, encryptionLevel: 0 } : {
        encryptionMethod: r.pick([1, 2, 8, 0x10]), encryptionLevel: r.range(1, 4), serverRandom: r.bytes(32),
        certificate: { kind: 'x509', temporary: r.bool(), chain: list(r, 3, () => bytes(r, 200, 1), 2) },
      })),
      messageChannel: maybe(r, () => ({ mcsChannelId: u16(r) })),
      multitransport: maybe(r, () => ({ flags: r.pick([0, 1, 0x100, 0x200]) })),
    }),
    encode: (m, v) => m.gcc.encodeServerData(v),
    decode: (m, b, base) => m.gcc.decodeServerData(b, base),
  },
  {
    name: 'gcc-server-certificate',
    gen: (r) => {
      if (r.bool()) return { kind: 'x509', temporary: r.bool(), chain: list(r, 3, () => bytes(r, 300, 1), 2) };
      const bits = r.pick([512, 1024, 2048]);
      const modulus = r.bytes(bits / 8);
      modulus[0] |= 0x80;
      return { kind: 'proprietary', temporary: r.bool(), publicKey: { exponent: r.pick([3, 0x10001, (u32(r) | 1) >>> 0]), modulus, bits }, signature: r.bytes(72) };
    },
    encode: (m, v) => m.gcc.encodeServerCertificate(v),
    decode: (m, b, base) => m.gcc.decodeServerCertificate(b, base),
  },
  {
    name: 'rdp-security-header',
    gen: (r) => {
      const kind = r.pick(['basic', 'non-fips', 'fips']);
      const v = { kind, flags: u16(r), flagsHi: u16(r) };
      if (kind !== 'basic') v.signature = r.bytes(8);
      if (kind === 'fips') v.fips = { version: 1, padlen: r.int(8) };
      return v;
    },
    encode: (m, v) => m.rdp.encodeSecurityHeader(v),
    decode: (m, b, base, v) => m.rdp.decodeSecurityHeader(b, base, v.kind),
  },
  {
    name: 'rdp-security-exchange',
    gen: (r) => defined({ encryptedRandom: bytes(r, 256, 8), flagsHi: maybe(r, () => u16(r)) }),
    encode: (m, v) => m.rdp.encodeSecurityExchange(v),
    decode: (m, b, base) => m.rdp.decodeSecurityExchange(b, base),
    expected: (v) => defined({ encryptedRandom: v.encryptedRandom, flagsHi: v.flagsHi }),
  },
  {
    name: 'rdp-client-info',
    gen: (r) => {
      const unicode = r.bool(0.8);
      const s = (max) => (unicode ? text(r, max) : ascii(r, max));
      return defined({
        codePage: u32(r), flags: ((u32(r) & ~0x10) | (unicode ? 0x10 : 0)) >>> 0, domain: s(20), user: s(20), password: s(20),
        alternateShell: s(30), workingDir: s(30),
        extended: r.bool(0.2) ? false : defined({
          clientAddressFamily: r.pick([2, 0x17]), clientAddress: ascii(r, 30), clientDir: ascii(r, 60),
          sessionId: maybe(r, () => u32(r)), performanceFlags: maybe(r, () => u32(r)),
        }),
      });
    },
    encode: (m, v) => m.rdp.encodeInfoPacket(v),
    decode: (m, b, base) => m.rdp.decodeInfoPacket(b, base),
    expected: (v) => {
      const e = v.extended ? defined({ clientAddress: v.extended.clientAddress, clientDir: v.extended.clientDir, clientAddressFamily: v.extended.clientAddressFamily }) : undefined;
      return defined({ codePage: v.codePage, flags: v.flags, domain: v.domain, userName: v.user, alternateShell: v.alternateShell, workingDir: v.workingDir, extended: e });
    },
  },
  {
    name: 'rdp-client-info-pdu',
    gen: (r) => ({ user: ascii(r, 20), domain: ascii(r, 20), flags: 0x10 | 0x20 }),
    encode: (m, v) => m.rdp.encodeClientInfoPdu(v),
    decode: (m, b, base) => m.rdp.decodeClientInfoPdu(b, base),
    expected: (v) => ({ encrypted: false, info: { userName: v.user, domain: v.domain } }),
  },
  {
    name: 'rdp-share-data',
    gen: (r) => ({ shareId: u32(r), pduSource: u16(r), pduType2: u8(r), payload: bytes(r, 200), streamId: r.pick([1, 2, 4]) }),
    encode: (m, v) => m.rdp.encodeShareDataPdu(v),
    decode: (m, b, base) => m.rdp.decodeSharePdu(b, base),
    expected: (v) => ({
      control: { pduSource: v.pduSource }, data: { header: { shareId: v.shareId, streamId: v.streamId, pduType2: v.pduType2 }, body: v.payload },
    }),
  },
  {
    name: 'rdp-demand-active',
    gen: (r) => defined({
      shareId: u32(r), pduSource: u16(r), sourceDescriptor: ascii(r, 10, 1),
      capabilitySets: list(r, 6, () => ({ type: r.range(0x20, 0x40), data: bytes(r, 40) })), sessionId: maybe(r, () => u32(r)),
    }),
    encode: (m, v) => m.rdp.encodeDemandActive(v),
    decode: (m, b, base) => m.rdp.decodeDemandActive(b, base),
    expected: (v) => defined({ shareId: v.shareId, sourceDescriptor: v.sourceDescriptor, numberCapabilities: v.capabilitySets.length, sessionId: v.sessionId }),
  },
  {
    name: 'rdp-deactivate-all',
    gen: (r) => ({ shareId: u32(r), pduSource: u16(r), sourceDescriptor: bytes(r, 10, 1) }),
    encode: (m, v) => m.rdp.encodeDeactivateAll(v),
    decode: (m, b, base) => m.rdp.decodeDeactivateAll(b, base),
    expected: (v) => ({ shareId: v.shareId, sourceDescriptor: v.sourceDescriptor }),
  },
  {
    name: 'rdp-set-error-info',
    gen: (r) => ({ errorInfo: u32(r), shareId: u32(r), pduSource: u16(r) }),
    encode: (m, v) => m.rdp.encodeSetErrorInfo(v),
    decode: (m, b, base) => m.rdp.decodeSetErrorInfo(b, base),
    expected: (v) => ({ errorInfo: v.errorInfo, header: { shareId: v.shareId } }),
  },
  {
    name: 'licensing-error',
    gen: (r) => defined({ errorCode: u32(r), stateTransition: u32(r), errorInfo: maybe(r, () => bytes(r, 40)), flags: maybe(r, () => r.pick([2, 3, 0x83])) }),
    encode: (m, v) => m.lic.encodeLicenseError(v),
    decode: (m, b, base) => m.lic.decodeLicensingPdu(b, base),
    expected: (v) => ({ kind: 'error', error: { dwErrorCode: v.errorCode, dwStateTransition: v.stateTransition } }),
  },
  {
    name: 'licensing-request',
    gen: (r) => defined({
      serverRandom: r.bytes(32), dwVersion: maybe(r, () => u32(r)), companyName: maybe(r, () => ascii(r, 20)), productId: maybe(r, () => ascii(r, 10)),
      certificate: maybe(r, () => bytes(r, 200)), scopes: maybe(r, () => list(r, 3, () => ascii(r, 20, 1))),
    }),
    encode: (m, v) => m.lic.encodeServerLicenseRequest(v),
    decode: (m, b, base) => m.lic.decodeLicensingPdu(b, base),
    expected: (v) => ({ kind: 'license-request', request: defined({ serverRandom: v.serverRandom, scopes: v.scopes }) }),
  },
  {
    name: 'licensing-new-license-request',
    gen: (r) => ({ clientRandom: r.bytes(32), encryptedPremasterSecret: bytes(r, 72, 1), userName: ascii(r, 20), machineName: ascii(r, 20) }),
    encode: (m, v) => m.lic.encodeNewLicenseRequest(v),
    decode: (m, b, base) => m.lic.decodeNewLicenseRequest(b, base),
    expected: (v) => ({ clientRandom: v.clientRandom, userName: v.userName, machineName: v.machineName }),
  },
  {
    name: 'licensing-platform-challenge-response',
    gen: (r) => ({ encryptedResponse: bytes(r, 40), encryptedHardwareId: bytes(r, 40), mac: r.bytes(16) }),
    encode: (m, v) => m.lic.encodePlatformChallengeResponse(v),
    decode: (m, b, base) => m.lic.decodePlatformChallengeResponse(b, base),
    expected: (v) => ({ macData: v.mac }),
  },
  {
    name: 'licensing-platform-challenge-response-data',
    gen: (r) => ({ challenge: bytes(r, 40), clientType: u16(r), licenseDetailLevel: u16(r) }),
    encode: (m, v) => m.lic.encodePlatformChallengeResponseData(v),
    decode: (m, b, base) => m.lic.decodePlatformChallengeResponseData(b, base),
    expected: (v) => ({ challenge: v.challenge, wClientType: v.clientType, wLicenseDetailLevel: v.licenseDetailLevel }),
  },
  {
    name: 'licensing-pdu-with-header',
    gen: (r) => ({ errorCode: u32(r), stateTransition: u32(r) }),
    encode: (m, v) => m.lic.encodeLicensingPduWithHeader(m.lic.encodeLicenseError(v)),
    decode: (m, b, base) => m.lic.decodeLicensingPduWithHeader(b, base),
    expected: (v) => ({ encrypted: false, pdu: { kind: 'error', error: { dwErrorCode: v.errorCode, dwStateTransition: v.stateTransition } } }),
  },
];

/**
 * Whether `actual` holds everything in `expected` (objects: every key, recursively; arrays: same
 * length, element by element; bytes by content). Returns the path of the first difference, or ''.
 */
export function containsAt(actual, expected, path = '$') {
  if (expected instanceof Uint8Array) {
    if (!(actual instanceof Uint8Array) || actual.length !== expected.length || actual.some((x, i) => x !== expected[i])) return path;
    return '';
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${path}.length`;
    for (let i = 0; i < expected.length; i++) {
      const d = containsAt(actual[i], expected[i], `${path}[${i}]`);
      if (d) return d;
    }
    return '';
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return path;
    for (const [k, v] of Object.entries(expected)) {
      if (v === undefined) continue;
      const d = containsAt(actual[k], v, `${path}.${k}`);
      if (d) return d;
    }
    return '';
  }
  return Object.is(actual, expected) ? '' : path;
}
