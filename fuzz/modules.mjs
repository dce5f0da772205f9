// The rdpscope modules the fuzzer and the property tests use, by short name. `load` maps a path
// under src/ without extension to the module: dist/*.js for `npm run fuzz`, src/*.ts under vitest.
export const MODULE_PATHS = {
  errors: 'wire/errors',
  wire: 'wire/index',
  x224: 'x224/index',
  mcs: 'mcs/index',
  gcc: 'gcc/index',
  rdp: 'rdp/index',
  lic: 'licensing/index',
  tlsRecord: 'tls/record',
  tlsAlert: 'tls/alert',
  tlsHandshake: 'tls/handshake',
  tlsClientHello: 'tls/client-hello',
  tlsServerHello: 'tls/server-hello',
  tlsCertificate: 'tls/certificate',
  tlsServerKeyExchange: 'tls/server-key-exchange',
  tlsExtensions: 'tls/extensions',
  x509: 'tls/x509',
  der: 'credssp/der',
  tsRequest: 'credssp/ts-request',
  spnego: 'credssp/spnego',
  tsCredentials: 'credssp/ts-credentials',
  ntlm: 'credssp/ntlm',
  ntlmv2: 'credssp/ntlmv2',
  earlyUserAuth: 'credssp/early-user-auth',
  ntlmChallenge: 'server/ntlm-challenge',
  rdpsec: 'rdpsec/index',
  framing: 'analyze/stages/rdp-framing',
  tracker: 'analyze/tracker',
  diagnose: 'analyze/diagnose',
  tlsSummary: 'analyze/tls-summary',
  report: 'report/text',
  json: 'report/json',
  replay: 'capture/replay',
  reader: 'capture/reader',
  flows: 'capture/flows',
  ip: 'capture/ip',
  tcp: 'capture/tcp',
  link: 'capture/link',
  socks: 'capture/socks',
};

/** @param {(path: string) => Promise<object>} load */
export async function loadModules(load) {
  const entries = await Promise.all(Object.entries(MODULE_PATHS).map(async ([k, p]) => [k, await load(p)]));
  return Object.fromEntries(entries);
}
