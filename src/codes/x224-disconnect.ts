// X.224 Disconnect Request reason codes (ITU-T X.224 §13.5.3 (d)). Class 0 peers, RDP included,
// rarely send a DR; these explain one when it appears.
import { defineCodes } from './table.js';

export const X224_DISCONNECT_REASON = defineCodes({
  0: { name: 'not-specified', meaning: 'No reason given.' },
  1: { name: 'congestion-at-tsap', meaning: 'Congestion at the transport service access point.' },
  2: { name: 'session-entity-not-attached', meaning: 'No session entity is attached to the TSAP.' },
  3: { name: 'address-unknown', meaning: 'The called address is unknown.' },
  128: { name: 'normal-disconnect', meaning: 'Normal disconnect initiated by the session entity.' },
  129: { name: 'remote-congestion', meaning: 'Remote transport entity congestion at connect time.' },
  130: { name: 'negotiation-failed', meaning: 'Connection negotiation failed (proposed class not supported).' },
  131: { name: 'duplicate-source-ref', meaning: 'Duplicate source reference detected for the same pair of NSAPs.' },
  132: { name: 'mismatched-refs', meaning: 'Mismatched references.' },
  133: { name: 'protocol-error', meaning: 'Protocol error.' },
  135: { name: 'reference-overflow', meaning: 'Reference overflow.' },
  136: { name: 'refused', meaning: 'Connection request refused on this network connection.' },
  138: { name: 'header-or-parameter-length-invalid', meaning: 'Header or parameter length invalid.' },
});
