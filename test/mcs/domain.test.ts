import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/wire/hex.js';
import {
  decodeDomainPdu, decodeX224Data, DOMAIN_PDU_NAME, DOMAIN_PDU_TYPES, encodeAttachUserConfirm, encodeAttachUserRequest,
  encodeChannelJoinConfirm, encodeChannelJoinRequest, encodeDisconnectProviderUltimatum, encodeDomainPdu,
  encodeErectDomainRequest, encodeSendDataIndication, encodeSendDataRequest, encodeX224Data, SEGMENTATION,
  type DomainPdu,
} from '../../src/mcs/index.js';
import * as V from '../vectors/mcs.js';
import { decodeError } from '../helpers/decode-error.js';

/** Decodes the MCS PDU of a full TPKT vector at its absolute offset. */
function decode(hex: string): DomainPdu {
  const { payload, payloadOffset } = decodeX224Data(fromHex(hex));
  return decodeDomainPdu(payload, payloadOffset);
}

/** Re-encoded and wrapped, the PDU must be the vector again. */
function reencodes(hex: string, encoded: Uint8Array): void {
  expect(toHex(encodeX224Data(encoded))).toBe(toHex(fromHex(hex)));
}

describe('DomainMCSPDU vectors of MS-RDPBCGR 4.1.5-4.1.11 and 4.2.3', () => {
  it('4.1.5 Erect Domain Request', () => {
    expect(decode(V.ERECT_DOMAIN_4_1_5)).toEqual({ type: 'erectDomainRequest', subHeight: 0, subInterval: 0 });
    reencodes(V.ERECT_DOMAIN_4_1_5, encodeErectDomainRequest());
  });

  it('rdesktop 1.9\'s Erect Domain Request (two bare 16-bit values, from a real capture) is named, not malformed', () => {
    expect(decodeDomainPdu(fromHex('04 00 01 00 01'))).toMatchObject({ type: 'erectDomainRequest', subHeight: 1, subInterval: 1, nonStandard: expect.stringContaining('rdesktop') });
    // a zero length byte elsewhere is still not PER
    expect(() => decodeDomainPdu(fromHex('04 00 01 00'))).toThrow(/subHeight/);
  });

  it('4.1.6 Attach User Request', () => {
    expect(decode(V.ATTACH_USER_REQUEST_4_1_6)).toEqual({ type: 'attachUserRequest' });
    reencodes(V.ATTACH_USER_REQUEST_4_1_6, encodeAttachUserRequest());
  });

  it('4.1.7 Attach User Confirm: rt-successful, user 1007', () => {
    expect(decode(V.ATTACH_USER_CONFIRM_4_1_7)).toEqual({ type: 'attachUserConfirm', result: 0, resultName: 'rt-successful', initiator: 1007 });
    reencodes(V.ATTACH_USER_CONFIRM_4_1_7, encodeAttachUserConfirm(0, 1007));
  });

  it('4.1.8 Channel Join Requests for 1007 and 1003', () => {
    expect(decode(V.CHANNEL_JOIN_REQUEST_4_1_8_1_1)).toEqual({ type: 'channelJoinRequest', initiator: 1007, channelId: 1007 });
    expect(decode(V.CHANNEL_JOIN_REQUEST_4_1_8_2_1)).toEqual({ type: 'channelJoinRequest', initiator: 1007, channelId: 1003 });
    reencodes(V.CHANNEL_JOIN_REQUEST_4_1_8_1_1, encodeChannelJoinRequest(1007, 1007));
    reencodes(V.CHANNEL_JOIN_REQUEST_4_1_8_2_1, encodeChannelJoinRequest(1007, 1003));
  });

  it('4.1.8 Channel Join Confirms for 1007 and 1006', () => {
    const ok = { type: 'channelJoinConfirm', result: 0, resultName: 'rt-successful', initiator: 1007 };
    expect(decode(V.CHANNEL_JOIN_CONFIRM_4_1_8_1_2)).toEqual({ ...ok, requested: 1007, channelId: 1007 });
    expect(decode(V.CHANNEL_JOIN_CONFIRM_4_1_8_5_2)).toEqual({ ...ok, requested: 1006, channelId: 1006 });
    reencodes(V.CHANNEL_JOIN_CONFIRM_4_1_8_1_2, encodeChannelJoinConfirm({ result: 0, initiator: 1007, requested: 1007, channelId: 1007 }));
    reencodes(V.CHANNEL_JOIN_CONFIRM_4_1_8_5_2, encodeChannelJoinConfirm({ result: 0, initiator: 1007, requested: 1006, channelId: 1006 }));
  });

  it('4.1.9 Security Exchange: Send Data Request with an 80-byte one-octet length', () => {
    const full = fromHex(V.SECURITY_EXCHANGE_4_1_9);
    const pdu = decode(V.SECURITY_EXCHANGE_4_1_9);
    expect(pdu).toEqual({
      type: 'sendDataRequest', initiator: 1007, channelId: 1003, priority: 'high',
      segmentation: SEGMENTATION.BEGIN | SEGMENTATION.END, data: full.subarray(14), dataOffset: 14,
    });
    reencodes(V.SECURITY_EXCHANGE_4_1_9, encodeSendDataRequest({ initiator: 1007, channelId: 1003, data: full.subarray(14) }));
  });

  it('4.1.10 Client Info: Send Data Request with a 412-byte two-octet length', () => {
    const full = fromHex(V.CLIENT_INFO_4_1_10);
    const pdu = decode(V.CLIENT_INFO_4_1_10);
    expect(pdu).toMatchObject({ type: 'sendDataRequest', initiator: 1007, channelId: 1003, dataOffset: 15 });
    expect(pdu.type === 'sendDataRequest' && pdu.data).toEqual(full.subarray(15));
    reencodes(V.CLIENT_INFO_4_1_10, encodeSendDataRequest({ initiator: 1007, channelId: 1003, data: full.subarray(15) }));
  });

  it('4.1.11 License Error: Send Data Indication from the server channel 1002', () => {
    const full = fromHex(V.LICENSE_ERROR_4_1_11);
    expect(decode(V.LICENSE_ERROR_4_1_11)).toEqual({
      type: 'sendDataIndication', initiator: 1002, channelId: 1003, priority: 'high', segmentation: 3,
      data: full.subarray(14), dataOffset: 14,
    });
    reencodes(V.LICENSE_ERROR_4_1_11, encodeSendDataIndication({ initiator: 1002, channelId: 1003, data: full.subarray(14) }));
  });

  it('4.2.3 Disconnect Provider Ultimatum (also what xrdp sends): 21 80 is rn-user-requested (3)', () => {
    expect(decode(V.DISCONNECT_PROVIDER_ULTIMATUM_4_2_3)).toEqual({ type: 'disconnectProviderUltimatum', reason: 3, reasonName: 'rn-user-requested' });
    reencodes(V.DISCONNECT_PROVIDER_ULTIMATUM_4_2_3, encodeDisconnectProviderUltimatum(3));
    expect(toHex(encodeDisconnectProviderUltimatum(1))).toBe('20 80'); // rn-provider-initiated
    expect(decodeDomainPdu(fromHex('20 80'))).toMatchObject({ reason: 1, reasonName: 'rn-provider-initiated' });
  });
});

describe('DomainMCSPDU bit layout beyond the vectors', () => {
  it('puts a non-zero result across the octet boundary (4 bits: 1 in the first octet, 3 in the next)', () => {
    // rt-too-many-users (13 = 1101): 0x2c | present 0x02 | 1 → 2f, then 101 + padding → a0
    expect(toHex(encodeAttachUserConfirm(13, 1007))).toBe('2f a0 00 06');
    expect(decodeDomainPdu(fromHex('2f a0 00 06'))).toEqual({ type: 'attachUserConfirm', result: 13, resultName: 'rt-too-many-users', initiator: 1007 });
    // failed join without channelId: rt-no-such-channel (3 = 0011)
    expect(toHex(encodeChannelJoinConfirm({ result: 3, initiator: 1007, requested: 1010 }))).toBe('3c 60 00 06 03 f2');
    expect(decodeDomainPdu(fromHex('3c 60 00 06 03 f2'))).toEqual({
      type: 'channelJoinConfirm', result: 3, resultName: 'rt-no-such-channel', initiator: 1007, requested: 1010,
    });
    expect(decodeDomainPdu(fromHex('2c 20'))).toEqual({ type: 'attachUserConfirm', result: 1, resultName: 'rt-domain-merging' });
  });

  it('round-trips every encodable PDU through encodeDomainPdu, including user ids at both bounds', () => {
    const pdus = [
      { type: 'erectDomainRequest', subHeight: 300, subInterval: 0xffffffff },
      { type: 'attachUserConfirm', result: 15, resultName: 'rt-user-rejected', initiator: 65535 },
      { type: 'channelJoinRequest', initiator: 1001, channelId: 0 },
      { type: 'channelJoinConfirm', result: 0, resultName: 'rt-successful', initiator: 1001, requested: 65535, channelId: 65535 },
      { type: 'sendDataIndication', initiator: 1002, channelId: 1004, priority: 'low', segmentation: SEGMENTATION.BEGIN, data: new Uint8Array(16383), dataOffset: 8 },
      { type: 'disconnectProviderUltimatum', reason: 4, reasonName: 'rn-channel-purged' },
    ] as const satisfies readonly DomainPdu[];
    for (const p of pdus) expect(decodeDomainPdu(encodeDomainPdu(p))).toEqual(p);
  });

  it('refuses values the encoders cannot write with RangeError', () => {
    expect(() => encodeChannelJoinRequest(1000, 1003)).toThrow(RangeError);
    expect(() => encodeChannelJoinRequest(1007, 65536)).toThrow(RangeError);
    expect(() => encodeAttachUserConfirm(16)).toThrow(RangeError);
    expect(() => encodeDisconnectProviderUltimatum(5)).toThrow(RangeError);
    expect(() => encodeSendDataRequest({ initiator: 1007, channelId: 1003, data: new Uint8Array(0x4000) })).toThrow(RangeError);
    expect(() => encodeSendDataRequest({ initiator: 1007, channelId: 1003, segmentation: 4, data: new Uint8Array(1) })).toThrow(RangeError);
  });

  it('names every other DomainMCSPDU choice and refuses choices 43-63', () => {
    expect(DOMAIN_PDU_TYPES).toHaveLength(43);
    expect(decodeDomainPdu(Uint8Array.of(12 << 2))).toEqual({ type: 'detachUserRequest' });
    expect(decodeDomainPdu(Uint8Array.of(42 << 2))).toEqual({ type: 'tokenTestConfirm' });
    expect(DOMAIN_PDU_NAME.attachUserConfirm).toBe('MCS Attach User Confirm');
    expect(DOMAIN_PDU_NAME.disconnectProviderUltimatum).toBe('MCS Disconnect Provider Ultimatum');
    expect(DOMAIN_PDU_NAME.rejectMCSPDUUltimatum).toBe('MCS Reject MCSPDU Ultimatum');
    expect(decodeError(() => decodeDomainPdu(Uint8Array.of(43 << 2), 20)).toJSON()).toMatchObject({
      code: 'UNSUPPORTED_VALUE', layer: 'mcs', pdu: 'MCS Domain PDU', field: 'DomainMCSPDU choice', offset: 20,
    });
  });

  it('reports truncation, bad values and trailing bytes with the PDU name and absolute offset', () => {
    expect(decodeError(() => decodeDomainPdu(fromHex('2e 00 00'), 7)).toJSON()).toMatchObject({
      code: 'NOT_ENOUGH_BYTES', pdu: 'MCS Attach User Confirm', field: 'initiator', offset: 9,
    });
    expect(decodeError(() => decodeDomainPdu(fromHex('23 80'), 7)).toJSON()).toMatchObject({
      code: 'UNSUPPORTED_VALUE', pdu: 'MCS Disconnect Provider Ultimatum', field: 'reason', offset: 7,
    }); // reason 7
    expect(decodeError(() => decodeDomainPdu(fromHex('28 00'), 7)).toJSON()).toMatchObject({
      code: 'INVALID_FIELD', pdu: 'MCS Attach User Request', field: 'trailing data', offset: 8,
    });
    expect(decodeError(() => decodeDomainPdu(fromHex('64 00 06 03 eb 70 05 01 02'), 7)).toJSON()).toMatchObject({
      code: 'NOT_ENOUGH_BYTES', pdu: 'MCS Send Data Request', field: 'userData', offset: 14,
    });
    expect(decodeError(() => decodeDomainPdu(fromHex('64 00 06 03 eb 70 c1 00'), 7)).toJSON()).toMatchObject({
      code: 'UNSUPPORTED_VALUE', field: 'userData', offset: 13,
    }); // fragmented length
    expect(decodeError(() => decodeDomainPdu(fromHex('38 ff ff 03 eb'))).toJSON()).toMatchObject({
      code: 'INVALID_FIELD', field: 'initiator', offset: 1,
    }); // 65535 + 1001 is above UserId's bound
    expect(decodeError(() => decodeDomainPdu(new Uint8Array(0), 3)).toJSON()).toMatchObject({ code: 'NOT_ENOUGH_BYTES', offset: 3 });
  });
});
