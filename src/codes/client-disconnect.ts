// Windows client disconnect reasons: the dialog's "Error code" (IMsTscAxEvents::OnDisconnected
// discReason, Win32 docs TermServ/imstscaxevents-ondisconnected). The low byte groups the codes
// (0x04 socket, 0x06 security, 0x07 CredSSP/logon, 0x08 misc) - an observation, not documented.
import { defineCodes } from './table.js';

export const CLIENT_DISCONNECT = defineCodes({
  0x0: { name: 'disconnectReasonNoInfo', meaning: 'No information is available.' },
  0x1: { name: 'disconnectReasonLocalNotError', meaning: 'The client disconnected locally; not an error.' },
  0x2: { name: 'disconnectReasonRemoteByUser', meaning: 'The user disconnected the remote session; not an error.' },
  0x3: { name: 'disconnectReasonByServer', meaning: 'The server ended the connection; not an error by itself (see the extended code).' },
  // 0x04 family: name resolution and sockets
  0x104: { name: 'disconnectReasonDNSLookupFailed', meaning: 'The host name could not be resolved.' },
  0x204: { name: 'disconnectReasonSocketConnectFailed', meaning: 'The TCP connect failed (refused, unreachable or timed out).' },
  0x304: { name: 'disconnectReasonWinsockSendFailed', meaning: 'Sending on the socket failed.' },
  0x404: { name: 'disconnectReasonSocketRecvFailed', meaning: 'Receiving on the socket failed (typically a reset).' },
  0x604: { name: 'disconnectReasonGetHostByNameFailed', meaning: 'The name lookup for the requested host failed.' },
  0x704: { name: 'disconnectReasonTimeoutOccurred', meaning: 'A timeout occurred.' },
  0x804: { name: 'disconnectReasonInvalidIP', meaning: 'The IP address given is not valid.' },
  0x904: { name: 'disconnectReasonAtClientWinsockFDCLOSE', meaning: 'The TCP connection was closed under the client (Winsock FD_CLOSE).' },
  // 0x06 family: memory and Standard RDP Security
  0x106: { name: 'disconnectReasonOutOfMemory', meaning: 'The client ran out of memory.' },
  0x206: { name: 'disconnectReasonOutOfMemory2', meaning: 'The client ran out of memory.' },
  0x306: { name: 'disconnectReasonOutOfMemory3', meaning: 'The client ran out of memory.' },
  0x406: { name: 'disconnectReasonInvalidSecurityData', meaning: 'The security data received is not valid.' },
  0x506: { name: 'disconnectReasonInvalidEncryption', meaning: 'The encryption method is not valid.' },
  0x606: { name: 'disconnectReasonInvalidServerSecurityInfo', meaning: "The server's security data (key or certificate) is not valid." },
  0x706: { name: 'disconnectReasonServerCertificateUnpackErr', meaning: "The server's certificate could not be unpacked." },
  0x906: { name: 'disconnectReasonInternalSecurityError', meaning: 'Internal security error in the client.' },
  0xa06: { name: 'disconnectReasonInternalSecurityError2', meaning: 'Internal security error in the client.' },
  0xb06: { name: 'disconnectReasonEncryptionError', meaning: 'Encrypting data failed.' },
  0xc06: { name: 'disconnectReasonDecryptionError', meaning: 'Decrypting data failed.' },
  // 0x07 family: CredSSP / logon results (SSL_ERR_*, from wincred.h)
  0x807: { name: 'SSL_ERR_LOGON_FAILURE', meaning: 'Logon failed: wrong user name or password.' },
  0xa07: { name: 'SSL_ERR_NO_SUCH_USER', meaning: 'The user account does not exist.' },
  0xb07: { name: 'SSL_ERR_ACCOUNT_DISABLED', meaning: 'The user account is disabled.' },
  0xc07: { name: 'SSL_ERR_ACCOUNT_RESTRICTION', meaning: 'An account restriction (logon hours, workstations, blank password) prevents logon.' },
  0xd07: { name: 'SSL_ERR_ACCOUNT_LOCKED_OUT', meaning: 'The user account is locked out.' },
  0xe07: { name: 'SSL_ERR_ACCOUNT_EXPIRED', meaning: 'The user account has expired.' },
  0xf07: { name: 'SSL_ERR_PASSWORD_EXPIRED', meaning: "The user's password has expired." },
  0x1207: { name: 'SSL_ERR_PASSWORD_MUST_CHANGE', meaning: 'The password must be changed before the first logon.' },
  0x1607: { name: 'SSL_ERR_DELEGATION_POLICY', meaning: 'Credential delegation policy does not allow sending credentials to this server.' },
  0x1707: { name: 'SSL_ERR_POLICY_NTLM_ONLY', meaning: 'Policy allows only NTLM, but the server needs Kerberos (or the reverse).' },
  0x1807: { name: 'SSL_ERR_NO_AUTHENTICATING_AUTHORITY', meaning: 'No authority (domain controller / KDC) could be reached to authenticate.' },
  0x1b07: { name: 'SSL_ERR_CERT_EXPIRED', meaning: 'A certificate used for authentication has expired.' },
  0x1c07: { name: 'SSL_ERR_SMARTCARD_WRONG_PIN', meaning: 'The smart card PIN is wrong.' },
  0x2107: { name: 'SSL_ERR_FRESH_CRED_REQUIRED_BY_SERVER', meaning: 'The server requires freshly typed credentials; saved ones are refused.' },
  0x2207: { name: 'SSL_ERR_SMARTCARD_CARD_BLOCKED', meaning: 'The smart card is blocked.' },
  // 0x08 family: miscellaneous
  0x108: { name: 'disconnectReasonConnectionTimedOut', meaning: 'The connection timed out.' },
  0x208: { name: 'disconnectReasonHostNotFound', meaning: 'The host was not found.' },
  0x308: { name: 'disconnectReasonInvalidIPAddr', meaning: 'The IP address given is not valid.' },
  0x408: { name: 'disconnectReasonInternalError', meaning: 'Internal error in the client.' },
  0x508: { name: 'disconnectReasonDNSLookupFailed2', meaning: 'The DNS lookup failed.' },
  0x608: { name: 'disconnectReasonTimerError', meaning: 'Internal timer error in the client.' },
  0x808: { name: 'disconnectReasonLicensingFailed', meaning: 'The licensing exchange failed.' },
  0x908: { name: 'disconnectReasonLicensingTimeout', meaning: 'The licensing exchange timed out.' },
  0xc08: { name: 'disconnectReasonClientDecompressionError', meaning: 'The client could not decompress received data.' },
  // Undocumented values users report (peers-and-codes.md §3.2)
  0x708: { name: 'ConsoleSessionConflict', undocumented: true, meaning: 'Reported around conflicts with an existing console session and around timeouts (anhkgg/SuperRDP #38).' },
  0xb09: { name: 'NlaRequiredByServer', undocumented: true, meaning: 'The remote computer requires Network Level Authentication, which the client did not offer (mRemoteNG #875).' },
  0x1104: { name: 'ClientProtocolError', undocumented: true, meaning: 'The client detected a protocol error in what the server sent (stascorp/rdpwrap #363).' },
});
