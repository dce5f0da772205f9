// Byte vectors from [MS-RDPBCGR] section 4 (annotated per field).

/** [MS-RDPBCGR] 4.1.1 Client X.224 Connection Request PDU (cookie "eltons", PROTOCOL_RDP). */
export const CR_4_1_1 = [
  '03 00 00 2c', //             TPKT: version 3, length 44
  '27 e0 00 00 00 00 00', //    X.224 CR: LI 39, CR|CDT 0, DST-REF 0, SRC-REF 0, class 0
  '43 6f 6f 6b 69 65 3a 20 6d 73 74 73 68 61 73 68 3d 65 6c 74 6f 6e 73 0d 0a', // "Cookie: mstshash=eltons\r\n"
  '01 00 08 00 00 00 00 00', // RDP_NEG_REQ: type 1, flags 0, length 8, requestedProtocols PROTOCOL_RDP
].join(' ');

/**
 * [MS-RDPBCGR] 4.1.2 Server X.224 Connection Confirm PDU. Erratum: the dump's selectedProtocol bytes
 * read 01 00 00 00 (PROTOCOL_SSL) while its annotation says PROTOCOL_RDP; we assert the bytes.
 */
export const CC_4_1_2 = [
  '03 00 00 13', //             TPKT: version 3, length 19
  '0e d0 00 00 12 34 00', //    X.224 CC: LI 14, CC|CDT 0, DST-REF 0, SRC-REF 0x1234, class 0
  '02 00 08 00 01 00 00 00', // RDP_NEG_RSP: type 2, flags 0, length 8, selectedProtocol 1
].join(' ');
