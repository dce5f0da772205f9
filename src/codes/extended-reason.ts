// ExtendedDisconnectReasonCode: the dialog's "Extended error code" (IMsRdpClient::ExtendedDisconnectReason,
// Win32 docs). Values 1-12 and 256-267 mirror MS-RDPBCGR 2.2.5.1.1 errorInfo (see errinfo.ts).
import { defineCodes } from './table.js';

export const EXTENDED_REASON = defineCodes(
  {
    0: { name: 'exDiscReasonNoInfo', meaning: 'No extended information.' },
    1: { name: 'exDiscReasonAPIInitiatedDisconnect', meaning: 'An administrative tool on the server disconnected the session from another session.' },
    2: { name: 'exDiscReasonAPIInitiatedLogoff', meaning: 'An administrative tool on the server forced a logoff from another session.' },
    3: { name: 'exDiscReasonServerIdleTimeout', meaning: "The server's idle session time limit expired." },
    4: { name: 'exDiscReasonServerLogonTimeout', meaning: "The server's active session time limit expired." },
    5: { name: 'exDiscReasonReplacedByOtherConnection', meaning: 'Another connection took over this session.' },
    6: { name: 'exDiscReasonOutOfMemory', meaning: 'The server ran out of memory.' },
    7: { name: 'exDiscReasonServerDeniedConnection', meaning: 'The server denied the connection.' },
    8: { name: 'exDiscReasonServerDeniedConnectionFips', meaning: 'The server denied the connection (client using FIPS).' },
    9: { name: 'exDiscReasonServerInsufficientPrivileges', meaning: 'The user lacks the privileges to connect.' },
    10: { name: 'exDiscReasonServerFreshCredsRequired', meaning: 'The server refuses saved credentials; the user must type them.' },
    11: { name: 'exDiscReasonRpcInitiatedDisconnectByUser', meaning: "An administrative tool running in the user's own session disconnected it." },
    12: { name: 'exDiscReasonLogoffByUser', meaning: 'The user logged off.' },
    256: { name: 'exDiscReasonLicenseInternal', meaning: 'Internal error in the server licensing component.' },
    257: { name: 'exDiscReasonLicenseNoLicenseServer', meaning: 'No Remote Desktop license server was found.' },
    258: { name: 'exDiscReasonLicenseNoLicense', meaning: 'No client access licence is available.' },
    259: { name: 'exDiscReasonLicenseErrClientMsg', meaning: 'The server received a bad licensing message from the client.' },
    260: { name: 'exDiscReasonLicenseHwidDoesntMatchLicense', meaning: "The client's stored licence was modified." },
    261: { name: 'exDiscReasonLicenseErrClientLicense', meaning: "The client's stored licence has an invalid format." },
    262: { name: 'exDiscReasonLicenseCantFinishProtocol', meaning: 'Network problems cut the licensing exchange short.' },
    263: { name: 'exDiscReasonLicenseClientEndedProtocol', meaning: 'The client ended the licensing exchange early.' },
    264: { name: 'exDiscReasonLicenseErrClientEncryption', meaning: 'A licensing message was not encrypted correctly.' },
    265: { name: 'exDiscReasonLicenseCantUpgradeLicense', meaning: "The client's licence could not be upgraded or renewed." },
    266: { name: 'exDiscReasonLicenseNoRemoteConnections', meaning: 'The server is not licensed to accept remote connections.' },
    267: { name: 'exDiscReasonLicenseCreatingLicStoreAccDenied', meaning: 'The client could not create its licence store (access denied).' },
    768: { name: 'exDiscReasonRdpEncInvalidCredentials', meaning: 'The credentials supplied are not valid.' },
  },
  [
    {
      from: 0x1000,
      to: 0x7fff,
      name: 'exDiscReasonProtocolRange',
      meaning: 'A protocol error the server reported; the value is its Set Error Info code (see the server event log).',
    },
  ],
);
