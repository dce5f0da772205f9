// T.125 MCS enumerations (ITU-T T.125 §7, part 1): Result, carried by Connect-Response, Attach-User
// Confirm and Channel-Join Confirm; Reason, carried by Disconnect-Provider Ultimatum (MS-RDPBCGR
// 2.2.2.3 allows only rn-provider-initiated and rn-user-requested).
import { defineCodes } from './table.js';

export const MCS_RESULT = defineCodes({
  0: { name: 'rt-successful', meaning: 'Accepted.' },
  1: { name: 'rt-domain-merging', meaning: 'The domain is being merged; try later.' },
  2: { name: 'rt-domain-not-hierarchical', meaning: 'The domain is not hierarchical.' },
  3: { name: 'rt-no-such-channel', meaning: 'The channel does not exist.' },
  4: { name: 'rt-no-such-domain', meaning: 'The domain does not exist.' },
  5: { name: 'rt-no-such-user', meaning: 'The user id does not exist.' },
  6: { name: 'rt-not-admitted', meaning: 'The user is not admitted to the channel.' },
  7: { name: 'rt-other-user-id', meaning: 'A different user id is required.' },
  8: { name: 'rt-parameters-unacceptable', meaning: 'The domain parameters (or client data) are unacceptable.' },
  9: { name: 'rt-token-not-available', meaning: 'The token is not available.' },
  10: { name: 'rt-token-not-possessed', meaning: 'The token is not held by the requester.' },
  11: { name: 'rt-too-many-channels', meaning: 'Too many channels.' },
  12: { name: 'rt-too-many-tokens', meaning: 'Too many tokens.' },
  13: { name: 'rt-too-many-users', meaning: 'Too many users: the server is at its connection limit.' },
  14: { name: 'rt-unspecified-failure', meaning: 'Failure without a stated reason.' },
  15: { name: 'rt-user-rejected', meaning: 'The server rejected the connection.' },
});

export const MCS_DISCONNECT_REASON = defineCodes({
  0: { name: 'rn-domain-disconnected', meaning: 'The domain was disconnected.' },
  1: { name: 'rn-provider-initiated', meaning: 'The provider ended it: an administrator or the server disconnected the session.' },
  2: { name: 'rn-token-purged', meaning: 'A token was purged.' },
  3: { name: 'rn-user-requested', meaning: 'The user asked to disconnect.' },
  4: { name: 'rn-channel-purged', meaning: 'A channel was purged.' },
});
