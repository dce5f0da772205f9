// FreeRDP connect errors as FreeRDP logs them (include/freerdp/error.h: class 2, value 0x0002xxxx).
import { defineCodes, type CodeInfo } from './table.js';

const C = (type: number) => 0x20000 | type;
const e = (name: string, meaning: string): CodeInfo => ({ name: `ERRCONNECT_${name}`, meaning });

export const ERRCONNECT = defineCodes({
  [C(0x01)]: e('PRE_CONNECT_FAILED', 'The client failed before connecting (configuration, plugins).'),
  [C(0x02)]: e('CONNECT_UNDEFINED', 'Connection failed without a more specific error.'),
  [C(0x03)]: e('POST_CONNECT_FAILED', 'The client failed after the connection sequence.'),
  [C(0x04)]: e('DNS_ERROR', 'Name resolution failed.'),
  [C(0x05)]: e('DNS_NAME_NOT_FOUND', 'The host name does not exist.'),
  [C(0x06)]: e('CONNECT_FAILED', 'The TCP connection could not be made.'),
  [C(0x07)]: e('MCS_CONNECT_INITIAL_ERROR', 'The server rejected or dropped the MCS Connect Initial.'),
  [C(0x08)]: e('TLS_CONNECT_FAILED', 'The TLS handshake failed.'),
  [C(0x09)]: e('AUTHENTICATION_FAILED', 'Authentication (CredSSP/NLA) failed.'),
  [C(0x0a)]: e('INSUFFICIENT_PRIVILEGES', 'The user may not connect (logon right missing).'),
  [C(0x0b)]: e('CONNECT_CANCELLED', 'The connection was cancelled.'),
  [C(0x0c)]: e('SECURITY_NEGO_CONNECT_FAILED', 'Security protocol negotiation failed (X.224 / TLS / NLA).'),
  [C(0x0d)]: e('CONNECT_TRANSPORT_FAILED', 'The transport failed (connection reset or closed).'),
  [C(0x0e)]: e('PASSWORD_EXPIRED', 'The password has expired.'),
  [C(0x0f)]: e('PASSWORD_CERTAINLY_EXPIRED', 'The password has expired (confirmed by the server).'),
  [C(0x10)]: e('CLIENT_REVOKED', 'The client or account was revoked.'),
  [C(0x11)]: e('KDC_UNREACHABLE', 'No Kerberos KDC could be reached.'),
  [C(0x12)]: e('ACCOUNT_DISABLED', 'The account is disabled.'),
  [C(0x13)]: e('PASSWORD_MUST_CHANGE', 'The password must be changed first.'),
  [C(0x14)]: e('LOGON_FAILURE', 'Logon failed.'),
  [C(0x15)]: e('WRONG_PASSWORD', 'Wrong password.'),
  [C(0x16)]: e('ACCESS_DENIED', 'Access denied.'),
  [C(0x17)]: e('ACCOUNT_RESTRICTION', 'An account restriction prevents logon.'),
  [C(0x18)]: e('ACCOUNT_LOCKED_OUT', 'The account is locked out.'),
  [C(0x19)]: e('ACCOUNT_EXPIRED', 'The account has expired.'),
  [C(0x1a)]: e('LOGON_TYPE_NOT_GRANTED', 'The user lacks the Remote Desktop logon right.'),
  [C(0x1b)]: e('NO_OR_MISSING_CREDENTIALS', 'No credentials were supplied.'),
  [C(0x1c)]: e('ACTIVATION_TIMEOUT', 'The connection sequence did not finish in time.'),
  [C(0x1d)]: e('TARGET_BOOTING', 'The target is still booting.'),
  [C(0x1e)]: e('HYBRID_REQUIRED_BY_SERVER', 'The server requires NLA (CredSSP), which the client did not use.'),
});
