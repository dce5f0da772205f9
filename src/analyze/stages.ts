// Stage names used in output (failure-catalogue.md §2), in connection-sequence order.

export const STAGES = [
  'resolve',
  'tcp',
  'x224',
  'tls',
  'credssp',
  'mcs-connect',
  'channels',
  'security-exchange',
  'client-info',
  'licensing',
  'capabilities',
  'finalization',
  'active',
] as const;

export type StageName = (typeof STAGES)[number];
