// The 43 alternatives of T.125 DomainMCSPDU (§7 part 10) in CHOICE order: the PER choice index
// (6 bits, [MS-RDPBCGR] 4.1.5-4.1.9 annotate it) is the position in this list.
export const DOMAIN_PDU_TYPES = [
  'plumbDomainIndication', 'erectDomainRequest', 'mergeChannelsRequest', 'mergeChannelsConfirm',
  'purgeChannelsIndication', 'mergeTokensRequest', 'mergeTokensConfirm', 'purgeTokensIndication',
  'disconnectProviderUltimatum', 'rejectMCSPDUUltimatum', 'attachUserRequest', 'attachUserConfirm',
  'detachUserRequest', 'detachUserIndication', 'channelJoinRequest', 'channelJoinConfirm',
  'channelLeaveRequest', 'channelConveneRequest', 'channelConveneConfirm', 'channelDisbandRequest',
  'channelDisbandIndication', 'channelAdmitRequest', 'channelAdmitIndication', 'channelExpelRequest',
  'channelExpelIndication', 'sendDataRequest', 'sendDataIndication', 'uniformSendDataRequest',
  'uniformSendDataIndication', 'tokenGrabRequest', 'tokenGrabConfirm', 'tokenInhibitRequest',
  'tokenInhibitConfirm', 'tokenGiveRequest', 'tokenGiveIndication', 'tokenGiveResponse',
  'tokenGiveConfirm', 'tokenPleaseRequest', 'tokenPleaseIndication', 'tokenReleaseRequest',
  'tokenReleaseConfirm', 'tokenTestRequest', 'tokenTestConfirm',
] as const;

export type DomainPduType = (typeof DOMAIN_PDU_TYPES)[number];

/** PER choice index of a DomainMCSPDU alternative. */
export const DOMAIN_PDU_INDEX = Object.fromEntries(DOMAIN_PDU_TYPES.map((t, i) => [t, i])) as Record<DomainPduType, number>;

/** 'attachUserConfirm' → 'MCS Attach User Confirm', 'rejectMCSPDUUltimatum' → 'MCS Reject MCSPDU Ultimatum'. */
function displayName(t: string): string {
  const words = t.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+/g) ?? [t];
  return `MCS ${words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ')}`;
}

/** Display names used as the `pdu` of errors and in reports. */
export const DOMAIN_PDU_NAME = Object.fromEntries(DOMAIN_PDU_TYPES.map((t) => [t, displayName(t)])) as Record<DomainPduType, string>;

/** T.125 DataPriority (§7 part 1), 2 bits; RDP sends 'high'. */
export const DATA_PRIORITY = ['top', 'high', 'medium', 'low'] as const;
export type DataPriority = (typeof DATA_PRIORITY)[number];

/** T.125 Segmentation BIT STRING {begin(0), end(1)} as the 2-bit value on the wire: begin is the high bit. */
export const SEGMENTATION = { BEGIN: 0b10, END: 0b01 } as const;

/** T.125 user ids (UserId ::= DynamicChannelId (1001..65535)) travel as id - 1001 in ALIGNED PER. */
export const MCS_USER_ID_BASE = 1001;
