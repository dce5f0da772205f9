// MCS (T.125) and GCC (T.124) byte vectors from [MS-RDPBCGR] section 4, annotated per field. Each
// starts with TPKT + X.224 Data (03 00 LL LL 02 f0 80); the MCS PDU follows at offset 7.

/** [MS-RDPBCGR] 4.1.3 Client MCS Connect Initial PDU with GCC Conference Create Request (416 bytes). */
export const CONNECT_INITIAL_4_1_3 = [
  '03 00 01 a0', //             TPKT: version 3, length 416
  '02 f0 80', //                X.224 Data: LI 2, DT, EOT
  '7f 65 82 01 94', //          BER [APPLICATION 101] Connect-Initial, length 404
  '04 01 01', //                callingDomainSelector OCTET STRING 01
  '04 01 01', //                calledDomainSelector OCTET STRING 01
  '01 01 ff', //                upwardFlag BOOLEAN TRUE
  '30 19', //                   targetParameters SEQUENCE, 25 bytes:
  '02 01 22 02 01 02 02 01 00 02 01 01', //  maxChannelIds 34, maxUserIds 2, maxTokenIds 0, numPriorities 1
  '02 01 00 02 01 01 02 02 ff ff 02 01 02', // minThroughput 0, maxHeight 1, maxMCSPDUsize 65535 (ff ff), protocolVersion 2
  '30 19', //                   minimumParameters SEQUENCE, 25 bytes:
  '02 01 01 02 01 01 02 01 01 02 01 01', //  1, 1, 1, 1
  '02 01 00 02 01 01 02 02 04 20 02 01 02', // 0, 1, maxMCSPDUsize 1056, 2
  '30 1c', //                   maximumParameters SEQUENCE, 28 bytes:
  '02 02 ff ff 02 02 fc 17 02 02 ff ff 02 01 01', // maxChannelIds 65535, maxUserIds 64535 (fc 17), maxTokenIds 65535, numPriorities 1
  '02 01 00 02 01 01 02 02 ff ff 02 01 02', //       0, 1, maxMCSPDUsize 65535, 2
  '04 82 01 33', //             userData OCTET STRING, 307 bytes (GCC ConnectData, at offset 109):
  '00', //                        PER: Key CHOICE object (0), padding
  '05 00 14 7c 00 01', //         OBJECT IDENTIFIER length 5: 0.0.20.124.0.1 (T.124)
  '81 2a', //                     connectPDU length 298 (two-octet form)
  '00', //                        ConnectGCCPDU ext 0, choice conferenceCreateRequest (0), CCR ext 0, 3 optionals absent
  '08', //                        4 optionals absent, userData present, ConferenceName ext 0, text absent, (1 bit)
  '00 10', //                     conferenceName length 1, "1" (digit index 1), locked/listed/conductible FALSE, ext 0
  '00', //                        terminationMethod automatic, padding
  '01', //                        UserData: 1 set
  'c0 00', //                     value present, key h221NonStandard, length 4 - 4 = 0
  '44 75 63 61', //               "Duca"
  '81 1c', //                     value length 284 (client data blocks, at offset 132):
  // CS_CORE (0xc001, 216 bytes): version 0x00080004, 1280x1024, ... clientName "ELTONS-DEV2"
  '01 c0 d8 00 04 00 08 00 00 05 00 04 01 ca 03 aa',
  '09 04 00 00 ce 0e 00 00 45 00 4c 00 54 00 4f 00',
  '4e 00 53 00 2d 00 44 00 45 00 56 00 32 00 00 00',
  '00 00 00 00 00 00 00 00 04 00 00 00 00 00 00 00',
  '0c 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
  '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
  '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
  '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
  '00 00 00 00 01 ca 01 00 00 00 00 00 18 00 07 00',
  '01 00 36 00 39 00 37 00 31 00 32 00 2d 00 37 00',
  '38 00 33 00 2d 00 30 00 33 00 35 00 37 00 39 00',
  '37 00 34 00 2d 00 34 00 32 00 37 00 31 00 34 00',
  '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
  '00 00 00 00 00 00 00 00',
  '04 c0 0c 00 0d 00 00 00 00 00 00 00', // CS_CLUSTER (0xc004, 12 bytes)
  '02 c0 0c 00 1b 00 00 00 00 00 00 00', // CS_SECURITY (0xc002, 12 bytes)
  // CS_NET (0xc003, 44 bytes): 3 channels rdpdr, cliprdr, rdpsnd
  '03 c0 2c 00 03 00 00 00 72 64 70 64 72 00 00 00 00 00 80 80',
  '63 6c 69 70 72 64 72 00 00 00 a0 c0 72 64 70 73 6e 64 00 00 00 00 00 c0',
].join(' ');

/**
 * [MS-RDPBCGR] 4.1.4 Server MCS Connect Response PDU with GCC Conference Create Response (337 bytes).
 * Errata: the connectPDU length reads 2a (42) while 279 bytes follow (the annotation: "MUST be
 * ignored by the client"); copies of the annotation list the GCC bytes as "14 76 0a 01 01 00 01 c0
 * 00 00 4d 63 44 6e", one 00 more than the dump holds.
 */
export const CONNECT_RESPONSE_4_1_4 = [
  '03 00 01 51', //             TPKT: version 3, length 337
  '02 f0 80', //                X.224 Data
  '7f 66 82 01 45', //          BER [APPLICATION 102] Connect-Response, length 325
  '0a 01 00', //                result ENUMERATED rt-successful (0)
  '02 01 00', //                calledConnectId INTEGER 0
  '30 1a', //                   domainParameters SEQUENCE, 26 bytes:
  '02 01 22 02 01 03 02 01 00 02 01 01', //  maxChannelIds 34, maxUserIds 3, maxTokenIds 0, numPriorities 1
  '02 01 00 02 01 01 02 03 00 ff f8 02 01 02', // minThroughput 0, maxHeight 1, maxMCSPDUsize 65528 (00 ff f8), protocolVersion 2
  '04 82 01 1f', //             userData OCTET STRING, 287 bytes (GCC ConnectData, at offset 50):
  '00 05 00 14 7c 00 01', //      Key object, OID 0.0.20.124.0.1
  '2a', //                        connectPDU length 42 (wrong: 279 follow; ignored)
  '14', //                        ext 0, choice conferenceCreateResponse (1), CCResp ext 0, userData present
  '76 0a', //                     nodeID 0x760a + 1001 = 31219
  '01 01', //                     tag: length 1, value 1
  '00', //                        result: ext 0, success (0), padding
  '01', //                        UserData: 1 set
  'c0 00 4d 63 44 6e', //         value present, h221NonStandard, length 4: "McDn"
  '81 08', //                     value length 264 (server data blocks, at offset 73):
  '01 0c 0c 00 04 00 08 00 00 00 00 00', // SC_CORE (0x0c01, 12): version 0x00080004, clientRequestedProtocols 0
  '03 0c 10 00 eb 03 03 00 ec 03 ed 03 ee 03 00 00', // SC_NET (0x0c03, 16): I/O 1003; 1004, 1005, 1006; pad
  // SC_SECURITY (0x0c02, 236): ENCRYPTION_METHOD_128BIT, ENCRYPTION_LEVEL_CLIENT_COMPATIBLE, random, proprietary cert
  '02 0c ec 00 02 00 00 00 02 00 00 00 20 00 00 00',
  'b8 00 00 00 10 11 77 20 30 61 0a 12 e4 34 a1 1e',
  'f2 c3 9f 31 7d a4 5f 01 89 34 96 e0 ff 11 08 69',
  '7f 1a c3 d2 01 00 00 00 01 00 00 00 01 00 00 00',
  '06 00 5c 00 52 53 41 31 48 00 00 00 00 02 00 00',
  '3f 00 00 00 01 00 01 00 cb 81 fe ba 6d 61 c3 55',
  '05 d5 5f 2e 87 f8 71 94 d6 f1 a5 cb f1 5f 0c 3d',
  'f8 70 02 96 c4 fb 9b c8 3c 2d 55 ae e8 ff 32 75',
  'ea 68 79 e5 a2 01 fd 31 a0 b1 1f 55 a6 1f c1 f6',
  'd1 83 88 63 26 56 12 bc 00 00 00 00 00 00 00 00',
  '08 00 48 00 e9 e1 d6 28 46 8b 4e f5 0a df fd ee',
  '21 99 ac b4 e1 8f 5f 81 57 82 ef 9d 96 52 63 27',
  '18 29 db b3 4a fd 9a da 42 ad b5 69 21 89 0e 1d',
  'c0 4c 1a a8 aa 71 3e 0f 54 b9 9a e4 99 68 3f 6c',
  'd6 76 84 61 00 00 00 00 00 00 00 00',
].join(' ');

/** [MS-RDPBCGR] 4.1.5 Client MCS Erect Domain Request PDU. */
export const ERECT_DOMAIN_4_1_5 = [
  '03 00 00 0c 02 f0 80', //    TPKT length 12, X.224 Data
  '04', //                      choice erectDomainRequest (1) << 2, padding
  '01 00', //                   subHeight: length 1, 0
  '01 00', //                   subInterval: length 1, 0
].join(' ');

/** [MS-RDPBCGR] 4.1.6 Client MCS Attach User Request PDU. */
export const ATTACH_USER_REQUEST_4_1_6 = [
  '03 00 00 08 02 f0 80', //    TPKT length 8, X.224 Data
  '28', //                      choice attachUserRequest (10) << 2
].join(' ');

/** [MS-RDPBCGR] 4.1.7 Server MCS Attach User Confirm PDU. */
export const ATTACH_USER_CONFIRM_4_1_7 = [
  '03 00 00 0b 02 f0 80', //    TPKT length 11, X.224 Data
  '2e', //                      choice attachUserConfirm (11), initiator present, result bit 3
  '00', //                      result bits 2-0: rt-successful (0), padding
  '00 06', //                   initiator 6 + 1001 = 1007
].join(' ');

/** [MS-RDPBCGR] 4.1.8.1.1 Client Join Request PDU for Channel 1007 (User Channel). */
export const CHANNEL_JOIN_REQUEST_4_1_8_1_1 = [
  '03 00 00 0c 02 f0 80', //    TPKT length 12, X.224 Data
  '38', //                      choice channelJoinRequest (14) << 2
  '00 06', //                   initiator 6 + 1001 = 1007
  '03 ef', //                   channelId 1007
].join(' ');

/** [MS-RDPBCGR] 4.1.8.1.2 Server Join Confirm PDU for Channel 1007 (User Channel). */
export const CHANNEL_JOIN_CONFIRM_4_1_8_1_2 = [
  '03 00 00 0f 02 f0 80', //    TPKT length 15, X.224 Data
  '3e', //                      choice channelJoinConfirm (15), channelId present, result bit 3
  '00', //                      result bits 2-0: rt-successful (0), padding
  '00 06', //                   initiator 1007
  '03 ef', //                   requested 1007
  '03 ef', //                   channelId 1007
].join(' ');

/** [MS-RDPBCGR] 4.1.8.2.1 Client Join Request PDU for Channel 1003 (I/O Channel). */
export const CHANNEL_JOIN_REQUEST_4_1_8_2_1 = '03 00 00 0c 02 f0 80 38 00 06 03 eb'; // initiator 1007, channelId 1003

/** [MS-RDPBCGR] 4.1.8.5.2 Server Join Confirm PDU for Channel 1006 (rdpsnd Channel). */
export const CHANNEL_JOIN_CONFIRM_4_1_8_5_2 = '03 00 00 0f 02 f0 80 3e 00 00 06 03 ee 03 ee'; // 1007 joined 1006

/** [MS-RDPBCGR] 4.1.9 Client Security Exchange PDU: MCS Send Data Request with a one-octet length. */
export const SECURITY_EXCHANGE_4_1_9 = [
  '03 00 00 5e 02 f0 80', //    TPKT length 94, X.224 Data
  '64', //                      choice sendDataRequest (25) << 2
  '00 06', //                   initiator 1007
  '03 eb', //                   channelId 1003 (I/O)
  '70', //                      dataPriority high (01), segmentation begin|end (11), padding
  '50', //                      userData length 80 (at offset 14):
  '01 02 00 00 48 00 00 00 91 ac 0c 8f 64 8c 39 f4', // TS_SECURITY_HEADER flags 0x0201, flagsHi 0; length 72; encrypted client random
  'e7 ff 0a 3b 79 11 5c 13 51 2a cb 72 8f 9d b7 42',
  '2e f7 08 4c 8e ae 55 99 62 d2 81 81 e4 66 c8 05',
  'ea d4 73 06 3f c8 5f af 2a fd fc f1 64 b3 3f 0a',
  '15 1d db 2c 10 9d 30 11 00 00 00 00 00 00 00 00',
].join(' ');

/** [MS-RDPBCGR] 4.1.10 Client Info PDU (encrypted): MCS Send Data Request with a two-octet length. */
export const CLIENT_INFO_4_1_10 = [
  '03 00 01 ab 02 f0 80', //    TPKT length 427, X.224 Data
  '64 00 06 03 eb 70', //       sendDataRequest, initiator 1007, channelId 1003, high, begin|end
  '81 9c', //                   userData length 412 (two-octet form; at offset 15):
  '48 00 00 00 45 ca 46 fa 5e a7 be bc 74 21 d3 65', // TS_SECURITY_HEADER1 flags 0x0048 (SEC_ENCRYPT|SEC_INFO_PKT), signature, RC4 data
  'e9 ba 76 12 7c 55 4b 9d 84 3b 3e 07 29 20 73 25',
  '7b e6 9a bb e8 41 8a a0 69 3f 26 9a cd bc a6 03',
  '27 f5 ce bb a8 c2 ff 0f 38 a3 bf 74 81 ac cb c9',
  '08 49 0a 43 cf 91 31 36 cd ba 3d 16 4f 11 d7 69',
  '12 c8 e9 57 c0 b8 0f c4 72 66 79 bd 86 ba 30 60',
  '76 b4 cd 52 5e 79 8e 88 95 f0 9a 43 20 d9 96 74',
  '1d 5c 8a 9a e3 8a 5d d2 55 17 8c f2 66 6b 3f 3d',
  '3a e3 2a d4 ff d5 11 30 30 e2 ff e2 e4 11 0c 7f',
  '6a 1e a3 f4 2f dd 4f 89 8c c0 ca d3 8a 49 d7 00',
  'd9 09 40 ab 79 1a 72 f9 89 42 af 20 aa 50 c7 cd',
  'd0 b8 1e ab d3 eb 10 01 82 68 9f f5 c9 05 fe 20',
  'bb 7c 68 b4 72 cd 37 53 df 43 0a 6d de cb be 5f',
  '80 05 1e b8 f3 5d 04 0c c6 66 3b 39 5f 5d a2 da',
  'b9 ea c9 da ba 7c 9d 4e 4a 4f 4a 16 04 ea 4e 23',
  'd3 6d 2c 2b 42 58 19 69 10 23 d4 e1 af 46 34 fc',
  '23 81 59 54 65 5f 6c 67 57 14 62 57 94 f1 81 86',
  '00 fe 1c 27 f6 76 e2 00 ea c5 f7 b5 e9 b2 ad ef',
  '7f 87 8b 8a b0 d3 1e 43 54 4b ab f6 ba 7f 5a b9',
  'e5 2d 5f 81 ab 2a 15 c4 97 bc d3 92 9a da be 8a',
  'b0 fb a4 1a a0 96 26 86 23 10 1b 21 0a 91 05 22',
  '4d 6c 4d 01 4c 84 f3 50 56 4f 3a e4 c0 24 bf 35',
  'f6 f5 8b 3f 20 55 98 91 05 4d ee 46 95 44 6d 06',
  '33 42 1f 9f 84 91 e7 c5 9f 04 11 de cf a5 07 5f',
  '27 dd c0 ac b1 a7 98 9d 6d 79 00 70 33 bf 4e 16',
  '23 57 f5 c7 88 82 d1 c6 a3 b4 0b 29',
].join(' ');

/** [MS-RDPBCGR] 4.1.11 Server License Error PDU - Valid Client: MCS Send Data Indication. */
export const LICENSE_ERROR_4_1_11 = [
  '03 00 00 2a 02 f0 80', //    TPKT length 42, X.224 Data
  '68', //                      choice sendDataIndication (26) << 2
  '00 01', //                   initiator 1 + 1001 = 1002 (the server's channel)
  '03 eb', //                   channelId 1003 (I/O)
  '70', //                      high, begin|end
  '1c', //                      userData length 28 (at offset 14):
  '88 02 02 03 8d 43 9a ab d5 2a 31 39', // TS_SECURITY_HEADER1: SEC_ENCRYPT|SEC_LICENSE_PKT|SEC_LICENSE_ENCRYPT_CS, signature
  '62 4d c1 ec 0d 99 88 e6 da ab 2c 02 72 4d 49 90', // encrypted licensing packet
].join(' ');

/**
 * [MS-RDPBCGR] 4.2.3 MCS Disconnect Provider Ultimatum PDU, which xrdp also sends when it closes a
 * session: the 3-bit reason straddles the two octets (0x21 = choice 8, bits 01; 0x80 = bit 1).
 */
export const DISCONNECT_PROVIDER_ULTIMATUM_4_2_3 = [
  '03 00 00 09 02 f0 80', //    TPKT length 9, X.224 Data
  '21 80', //                   choice disconnectProviderUltimatum (8), reason 011 = rn-user-requested (3), padding
].join(' ');
