// Byte vectors for the RDP PDUs between the channel joins and the Demand Active PDU, annotated per field.
//
// Section numbers: the brief that asked for these named the examples 4.1.10-4.1.13; in the current
// [MS-RDPBCGR] they are 4.1.9 Client Security Exchange, 4.1.10 Client Info, 4.1.11 Server License
// Error - Valid Client and 4.1.12 Server Demand Active (4.1.13 is the Client Confirm Active).
//
// The 4.1.x dumps are whole TPKTs (TPKT | X.224 Data | MCS Send Data Request/Indication | user data)
// from a Standard RDP Security connection with 128-bit RC4: the codecs here take the MCS user data, so
// the tests slice at the *_USER_DATA offsets below. Client Info, License Error and Demand Active are
// RC4-encrypted on the wire; the spec annotates their decrypted contents, which are the *_PLAIN vectors
// (the bytes after the 12-byte non-FIPS security header, decrypted).
// Vectors not from the spec are built from the structure layouts and say so.

/** [MS-RDPBCGR] 4.1.9 Client Security Exchange PDU (94 bytes). */
export const SECURITY_EXCHANGE_4_1_9 = [
  '03 00 00 5e', //                   TPKT: version 3, length 94
  '02 f0 80', //                      X.224 Data TPDU, EOT
  '64 00 06 03 eb 70 50', //          MCS Send Data Request: initiator 1007, channel 1003, high, begin|end, userData length 80
  // --- user data (offset 14): TS_SECURITY_PACKET
  '01 02 00 00', //                   basic security header: flags 0x0201 SEC_EXCHANGE_PKT | SEC_LICENSE_ENCRYPT_SC, flagsHi 0
  '48 00 00 00', //                   length 72
  '91 ac 0c 8f 64 8c 39 f4 e7 ff 0a 3b 79 11 5c 13 51 2a cb 72 8f 9d b7 42 2e f7 08 4c 8e ae 55 99', // encryptedClientRandom (64 bytes,
  '62 d2 81 81 e4 66 c8 05 ea d4 73 06 3f c8 5f af 2a fd fc f1 64 b3 3f 0a 15 1d db 2c 10 9d 30 11', //   little-endian, 512-bit RSA)
  '00 00 00 00 00 00 00 00', //       8 bytes of zero padding
].join(' ');
export const SECURITY_EXCHANGE_4_1_9_USER_DATA = 14;

/** [MS-RDPBCGR] 4.1.10 Client Info PDU as sent (427 bytes, RC4-encrypted after the non-FIPS header). */
export const CLIENT_INFO_4_1_10_WIRE = [
  '03 00 01 ab', //                   TPKT: length 427
  '02 f0 80', //                      X.224 Data
  '64 00 06 03 eb 70 81 9c', //       MCS Send Data Request: initiator 1007, channel 1003, userData length 412
  // --- user data (offset 15)
  '48 00 00 00', //                   flags 0x0048 SEC_INFO_PKT | SEC_ENCRYPT, flagsHi 0
  '45 ca 46 fa 5e a7 be bc', //       dataSignature
  // 400 bytes of encrypted TS_INFO_PACKET
  '74 21 d3 65 e9 ba 76 12 7c 55 4b 9d 84 3b 3e 07 29 20 73 25 7b e6 9a bb e8 41 8a a0 69 3f 26 9a cd bc a6 03 27',
  'f5 ce bb a8 c2 ff 0f 38 a3 bf 74 81 ac cb c9 08 49 0a 43 cf 91 31 36 cd ba 3d 16 4f 11 d7 69 12',
  'c8 e9 57 c0 b8 0f c4 72 66 79 bd 86 ba 30 60 76 b4 cd 52 5e 79 8e 88 95 f0 9a 43 20 d9 96 74 1d',
  '5c 8a 9a e3 8a 5d d2 55 17 8c f2 66 6b 3f 3d 3a e3 2a d4 ff d5 11 30 30 e2 ff e2 e4 11 0c 7f 6a',
  '1e a3 f4 2f dd 4f 89 8c c0 ca d3 8a 49 d7 00 d9 09 40 ab 79 1a 72 f9 89 42 af 20 aa 50 c7 cd d0',
  'b8 1e ab d3 eb 10 01 82 68 9f f5 c9 05 fe 20 bb 7c 68 b4 72 cd 37 53 df 43 0a 6d de cb be 5f 80',
  '05 1e b8 f3 5d 04 0c c6 66 3b 39 5f 5d a2 da b9 ea c9 da ba 7c 9d 4e 4a 4f 4a 16 04 ea 4e 23 d3',
  '6d 2c 2b 42 58 19 69 10 23 d4 e1 af 46 34 fc 23 81 59 54 65 5f 6c 67 57 14 62 57 94 f1 81 86 00',
  'fe 1c 27 f6 76 e2 00 ea c5 f7 b5 e9 b2 ad ef 7f 87 8b 8a b0 d3 1e 43 54 4b ab f6 ba 7f 5a b9 e5',
  '2d 5f 81 ab 2a 15 c4 97 bc d3 92 9a da be 8a b0 fb a4 1a a0 96 26 86 23 10 1b 21 0a 91 05 22 4d',
  '6c 4d 01 4c 84 f3 50 56 4f 3a e4 c0 24 bf 35 f6 f5 8b 3f 20 55 98 91 05 4d ee 46 95 44 6d 06 33',
  '42 1f 9f 84 91 e7 c5 9f 04 11 de cf a5 07 5f 27 dd c0 ac b1 a7 98 9d 6d 79 00 70 33 bf 4e 16 23',
  '57 f5 c7 88 82 d1 c6 a3 b4 0b 29',
].join(' ');
export const CLIENT_INFO_4_1_10_USER_DATA = 15;

/** [MS-RDPBCGR] 4.1.10 decrypted TS_INFO_PACKET (400 bytes), with its TS_EXTENDED_INFO_PACKET. */
export const CLIENT_INFO_4_1_10_PLAIN = [
  '09 04 09 04', //                   CodePage 0x04090409
  'b3 43 00 00', //                   flags 0x43b3: MOUSE | DISABLECTRLALTDEL | UNICODE | MAXIMIZESHELL | COMPRESSION
  //                                    | ENABLEWINDOWSKEY | FORCE_ENCRYPTED_CS_PDU, compression type 1 (64K)
  '0a 00', //                         cbDomain 10
  '0c 00', //                         cbUserName 12
  '00 00', //                         cbPassword 0
  '00 00', //                         cbAlternateShell 0
  '00 00', //                         cbWorkingDir 0
  '4e 00 54 00 44 00 45 00 56 00 00 00', //             Domain "NTDEV" + NUL
  '65 00 6c 00 74 00 6f 00 6e 00 73 00 00 00', //       UserName "eltons" + NUL
  '00 00', //                         Password "" (offset 44)
  '00 00', //                         AlternateShell ""
  '00 00', //                         WorkingDir ""
  '02 00', //                         clientAddressFamily AF_INET (offset 50)
  '1e 00', //                         cbClientAddress 30 (terminator included)
  '31 00 35 00 37 00 2e 00 35 00 39 00 2e 00 32 00 34 00 32 00 2e 00 31 00 35 00 36 00 00 00', // "157.59.242.156"
  '84 00', //                         cbClientDir 132 (offset 84)
  '43 00 3a 00 5c 00 64 00 65 00 70 00 6f 00 74 00 73 00 5c 00 77 00 32 00 6b 00 33 00 5f 00 31 00',
  '5c 00 74 00 65 00 72 00 6d 00 73 00 72 00 76 00 5c 00 6e 00 65 00 77 00 63 00 6c 00 69 00 65 00',
  '6e 00 74 00 5c 00 6c 00 69 00 62 00 5c 00 77 00 69 00 6e 00 33 00 32 00 5c 00 6f 00 62 00 6a 00',
  '5c 00 69 00 33 00 38 00 36 00 5c 00 6d 00 73 00 74 00 73 00 63 00 61 00 78 00 2e 00 64 00 6c 00',
  '6c 00 00 00', //                   clientDir "C:\depots\w2k3_1\termsrv\newclient\lib\win32\obj\i386\mstscax.dll"
  // clientTimeZone (TS_TIME_ZONE_INFORMATION, 172 bytes, offset 218)
  'e0 01 00 00', //                   Bias 480 (UTC-8)
  '50 00 61 00 63 00 69 00 66 00 69 00 63 00 20 00 53 00 74 00 61 00 6e 00 64 00 61 00 72 00 64 00',
  '20 00 54 00 69 00 6d 00 65 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00', // StandardName "Pacific Standard Time"
  '00 00 0a 00 00 00 05 00 02 00 00 00 00 00 00 00', // StandardDate: October, 5th Sunday, 02:00
  '00 00 00 00', //                   StandardBias 0
  '50 00 61 00 63 00 69 00 66 00 69 00 63 00 20 00 44 00 61 00 79 00 6c 00 69 00 67 00 68 00 74 00',
  '20 00 54 00 69 00 6d 00 65 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00', // DaylightName "Pacific Daylight Time"
  '00 00 04 00 00 00 01 00 02 00 00 00 00 00 00 00', // DaylightDate: April, 1st Sunday, 02:00
  'c4 ff ff ff', //                   DaylightBias -60
  '00 00 00 00', //                   clientSessionId 0 (offset 390)
  '01 00 00 00', //                   performanceFlags PERF_DISABLE_WALLPAPER
  '00 00', //                         cbAutoReconnectCookie 0 (offset 398); the packet ends here
].join(' ');

/** [MS-RDPBCGR] 4.1.11 Server License Error PDU - Valid Client as sent (42 bytes). */
export const LICENSE_VALID_CLIENT_4_1_11_WIRE = [
  '03 00 00 2a', //                   TPKT: length 42
  '02 f0 80', //                      X.224 Data
  '68 00 01 03 eb 70 1c', //          MCS Send Data Indication: initiator 1002, channel 1003, userData length 28
  // --- user data (offset 14)
  '88 02', //                         flags 0x0288 SEC_ENCRYPT | SEC_LICENSE_PKT | SEC_LICENSE_ENCRYPT_CS
  '02 03', //                         flagsHi (junk: SEC_FLAGSHI_VALID is not set)
  '8d 43 9a ab d5 2a 31 39', //       dataSignature
  '62 4d c1 ec 0d 99 88 e6 da ab 2c 02 72 4d 49 90', // encrypted licensing packet (16 bytes)
].join(' ');
export const LICENSE_VALID_CLIENT_4_1_11_USER_DATA = 14;

/** [MS-RDPBCGR] 4.1.11 decrypted licensing packet (16 bytes): LICENSE_VALID_CLIENT_DATA. */
export const LICENSE_VALID_CLIENT_4_1_11_PLAIN = [
  'ff', //                            bMsgType ERROR_ALERT
  '03', //                            flags PREAMBLE_VERSION_3_0
  '10 00', //                         wMsgSize 16
  '07 00 00 00', //                   dwErrorCode STATUS_VALID_CLIENT
  '02 00 00 00', //                   dwStateTransition ST_NO_TRANSITION
  '04 00', //                         bbErrorInfo.wBlobType BB_ERROR_BLOB
  '00 00', //                         bbErrorInfo.wBlobLen 0
].join(' ');

/** [MS-RDPBCGR] 4.1.12 Server Demand Active PDU as sent (386 bytes, RC4-encrypted after the non-FIPS header). */
export const DEMAND_ACTIVE_4_1_12_WIRE = [
  '03 00 01 82', //                   TPKT: length 386
  '02 f0 80', //                      X.224 Data
  '68 00 01 03 eb 70 81 73', //       MCS Send Data Indication: initiator 1002, channel 1003, userData length 371
  // --- user data (offset 15)
  '08 00', //                         flags SEC_ENCRYPT
  '02 03', //                         flagsHi (junk)
  '56 02 e1 47 ac 5c 50 d9', //       dataSignature
  // 359 bytes of encrypted Demand Active
  '72 f9 c3 32 0a c7 23 3f 5f 78 11 de e2 af 6c 9b f3 63 32 6b 18 15 1c e5 e2 ff e2 61 f9 1e 99 90',
  'c5 62 9b 8f 2a c3 de bb 6f 3e 59 01 62 4f 75 e4 5c be e7 ce 08 44 b1 37 9f c0 27 55 bd e5 eb 7e',
  '63 80 6a bf 8e 0e 21 f0 c3 70 f8 e9 4f da 72 0f e5 ca 2a f3 b5 9d d7 05 de 4d 35 49 80 37 2f 8a',
  'fb 4b c2 1f f8 01 4f 2f 1d 73 7b 95 01 52 9d b1 c6 d2 03 61 51 da 3a 17 86 77 36 05 a2 24 63 5c',
  'af 65 67 e7 8d 0b a3 71 e1 ec f3 e4 a1 24 ed c8 2a 4f 5d 9f 91 89 91 1d 69 c5 f5 48 bb 37 b2 93',
  'e9 35 21 7e 0d 09 27 d6 16 d6 91 57 9c 7e f9 d2 a1 c5 26 63 de 78 38 f7 77 08 95 76 e3 68 bc 26',
  '82 18 3c fb f0 ba 21 02 72 55 27 fa 8c e2 59 ba 86 dd 11 12 ba 7e 87 74 3e c4 7c 57 3d 50 c0 b7',
  '0f 85 a0 7b 1d 86 7a 03 b3 6d ef de 1b 59 5c 4d ea 65 34 f8 bf f3 50 6b 24 b5 30 85 1d e6 30 3b',
  '99 0d 0b 31 b1 45 10 6b af 4a 38 bc 14 9c c5 c7 a7 24 b3 f9 6a 3a 87 c7 39 0f 59 b7 d6 3d c4 23',
  'd7 d3 fe c5 f3 b6 16 e4 2c c2 c7 27 a7 31 e9 d9 84 b8 19 59 ea a7 e1 1c d2 8d a7 00 61 e9 b5 ab',
  '0d 53 fe e2 cc 1d b8 93 39 c1 d4 e4 40 b3 e4 b8 a6 46 75 11 59 c1 cb 60 72 7a 6d a8 1a fe 9d b7',
  '4a 06 60 99 ad 81 48',
].join(' ');
export const DEMAND_ACTIVE_4_1_12_USER_DATA = 15;

/** [MS-RDPBCGR] 4.1.12 decrypted Demand Active (359 bytes, from the Share Control Header). */
export const DEMAND_ACTIVE_4_1_12_PLAIN = [
  '67 01', //                         totalLength 359
  '11 00', //                         pduType 0x0011: PDUTYPE_DEMANDACTIVEPDU | TS_PROTOCOL_VERSION << 4
  'ea 03', //                         pduSource 1002
  'ea 03 01 00', //                   shareID 0x000103ea
  '04 00', //                         lengthSourceDescriptor 4
  '51 01', //                         lengthCombinedCapabilities 337
  '52 44 50 00', //                   sourceDescriptor "RDP\0"
  '0d 00', //                         numberCapabilities 13
  '00 00', //                         pad2Octets
  // offset 22
  '09 00 08 00 ea 03 dc e2', //       Share (9), 8: nodeID 1002, pad
  '01 00 18 00 01 00 03 00 00 02 00 00 00 00 1d 04 00 00 00 00 00 00 01 01', // General (1), 24: WINDOWS, WINDOWS_NT,
  //                                    protocolVersion 0x200, extraFlags 0x041d, refreshRect 1, suppressOutput 1
  '14 00 08 00 02 00 00 00', //       Virtual Channel (20), 8: VCCAPS_COMPR_CS_8K, no VCChunkSize
  '16 00 28 00 00 00 00 00 70 f6 13 f3 01 00 00 00 01 00 00 00 18 00 00 00 9c f6 13 f3 61 a6 82 80',
  '00 00 00 00 00 50 91 bf', //       DrawGdiPlus (22), 40 (partly uninitialised server memory)
  '0e 00 04 00', //                   Font (14), 4: too short, fontSupportFlags and pad are missing (server bug)
  '02 00 1c 00 18 00 01 00 01 00 01 00 00 05 00 04 00 00 01 00 01 00 00 00 01 00 00 00', // Bitmap (2), 28:
  //                                    24 bpp, 1/4/8 bpp 1, 1280x1024, resize 1, compression 1, multiRect 1
  '03 00 58 00', //                   Order (3), 88:
  '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00', //   terminalDescriptor ""
  '40 42 0f 00', //                                       pad4octetsA
  '01 00 14 00 00 00 01 00 00 00', //                     desktopSave X 1, Y 20, pad, maximumOrderLevel 1, numberFonts 0
  '22 00', //                                             orderFlags NEGOTIATEORDERSUPPORT | COLORINDEXSUPPORT
  '01 01 01 01 01 00 00 01 01 01 01 01 00 00 00 01 01 01 01 01 01 01 01 00 01 01 01 01 00 00 00 00', // orderSupport (22 set)
  'a1 06 00 00', //                                       textFlags 0x06a1, orderSupportExFlags 0
  '40 42 0f 00 40 42 0f 00', //                           pad4octetsB, desktopSaveSize 1000000
  '01 00 00 00 00 00 00 00', //                           pad2octetsC, pad2octetsD, textANSICodePage 0, pad2octetsE
  '0a 00 08 00 06 00 00 00', //       Color Table Cache (10), 8: 6 entries
  '12 00 08 00 01 00 00 00', //       Bitmap Cache Host Support (18), 8: TS_BITMAPCACHE_REV2
  '08 00 0a 00 01 00 19 00 19 00', // Pointer (8), 10: color pointers, cache 25, pointer cache 25
  '0d 00 58 00', //                   Input (13), 88:
  '35 00 00 00', //                                       inputFlags 0x35: SCANCODES | MOUSEX | UNICODE | FASTPATH_INPUT2
  'a1 06 00 00 40 42 0f 00 0c f6 13 f3 93 5a 37 f3', //   keyboard layout/type/subtype/function keys (uninitialised)
  '00 90 30 e1 34 1c 38 f3 40 f6 13 f3 04 00 00 00 4c 54 dc e2 08 50 dc e2 01 00 00 00 08 50 dc e2',
  '00 00 00 00 38 f6 13 f3 2e 05 38 f3 08 50 dc e2 2c f6 13 f3 00 00 00 00 08 00 0a 00 01 00 19 00', // imeFileName (uninitialised)
  '17 00 08 00 00 00 00 00', //       RAIL (23), 8: TS_RAIL_LEVEL_DEFAULT
  '18 00 0b 00 00 00 00 00 00 00 00', // Window (24), 11
  '00 00 00 00', //                   sessionId 0
].join(' ');

/**
 * A Demand Active like a current Windows server sends under TLS, built from the 2.2.7 layouts (not from
 * a capture): every summarised capability type, an RDP 8+ codec list and a capability type rdpscope
 * does not know (0x00ff). 448 bytes.
 */
export const DEMAND_ACTIVE_MODERN = [
  'c0 01 11 00 ea 03', //             totalLength 448, PDUTYPE_DEMANDACTIVEPDU v1, pduSource 1002
  'ea 03 01 00', //                   shareID 0x000103ea
  '04 00 aa 01', //                   lengthSourceDescriptor 4, lengthCombinedCapabilities 426
  '52 44 50 00', //                   "RDP\0"
  '11 00 00 00', //                   numberCapabilities 17, pad
  '09 00 08 00 ea 03 00 00', //       Share: nodeID 1002
  '01 00 18 00 01 00 03 00 00 02 00 00 00 00 1d 04 00 00 00 00 00 00 01 01', // General
  '14 00 0c 00 00 00 00 00 40 06 00 00', // Virtual Channel, 12: VCCAPS_NO_COMPR, VCChunkSize 1600
  '0e 00 08 00 01 00 00 00', //       Font, 8: FONTSUPPORT_FONTLIST
  '02 00 1c 00 20 00 01 00 01 00 01 00 80 07 38 04 00 00 01 00 01 00 00 08 01 00 00 00', // Bitmap: 32 bpp,
  //                                    1920x1080, resize, compression, drawingFlags DRAW_ALLOW_SKIP_ALPHA
  '03 00 58 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 14 00 00 00 01 00 00 00 2a 00', // Order:
  //                                    orderFlags NEGOTIATEORDERSUPPORT | ZEROBOUNDSDELTASSUPPORT | COLORINDEXSUPPORT
  '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00', //   no orders
  '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
  '0a 00 08 00 06 00 00 00', //       Color Table Cache
  '12 00 08 00 01 00 00 00', //       Bitmap Cache Host Support
  '08 00 0a 00 01 00 19 00 19 00', // Pointer
  '0d 00 58 00 35 01 00 00', //       Input: inputFlags 0x135 (... | TS_INPUT_FLAG_MOUSE_HWHEEL)
  '09 04 00 00 04 00 00 00 00 00 00 00 0c 00 00 00', //   keyboardLayout 0x409, type 4, subtype 0, function keys 12
  '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
  '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00', // imeFileName ""
  '1a 00 08 00 00 00 3f 00', //       Multifragment Update: MaxRequestSize 0x3f0000
  '1b 00 06 00 01 00', //             Large Pointer: LARGE_POINTER_FLAG_96x96
  '1c 00 0c 00 52 00 00 00 00 00 00 00', // Surface Commands: SETSURFACEBITS | FRAMEMARKER | STREAMSURFACEBITS
  '1d 00 5c 00', //                   Bitmap Codecs, 92:
  '04', //                                                bitmapCodecCount 4
  'b9 1b 8d ca 0f 00 4f 15 58 9f ae 2d 1a 87 e2 d6 01 03 00 01 01 03', // NSCodec, id 1, 3 property bytes
  '12 2f 77 76 72 bd 63 44 af b3 b7 3c 9c 6f 78 86 03 04 00 00 00 00 00', // RemoteFX, id 3, 4 property bytes
  'd4 cc 44 27 8a 9d 74 4e 80 3c 0e cb ee a1 9c 54 05 04 00 00 00 00 00', // Image RemoteFX, id 5, 4 property bytes
  '11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 00 00 00', //            an unknown GUID, id 0, no properties
  '1e 00 08 00 02 00 00 00', //       Frame Acknowledge: 2 unacknowledged frames
  '17 00 08 00 00 00 00 00', //       RAIL
  'ff 00 06 00 aa bb', //             type 0x00ff, unknown to rdpscope
  '01 00 00 00', //                   sessionId 1
].join(' ');

/** A Server Set Error Info PDU built from 2.2.5.1.1: errorInfo ERRINFO_SERVER_DENIED_CONNECTION (22 bytes). */
export const SET_ERROR_INFO_DENIED = [
  '16 00', //                         totalLength 22
  '17 00', //                         PDUTYPE_DATAPDU | TS_PROTOCOL_VERSION << 4
  '00 00', //                         pduSource 0 (2.2.5.1.1: MUST be zero)
  'ea 03 01 00', //                   shareId 0x000103ea
  '00', //                            pad1
  '01', //                            streamId STREAM_LOW
  '08 00', //                         uncompressedLength 8 (totalLength - 14, as mstsc fills it in 4.1.14)
  '2f', //                            pduType2 PDUTYPE2_SET_ERROR_INFO_PDU (47)
  '00', //                            compressedType
  '00 00', //                         compressedLength
  '07 00 00 00', //                   errorInfo 0x7 ERRINFO_SERVER_DENIED_CONNECTION
].join(' ');

/** A Server Deactivate All PDU built from 2.2.3.1.1 (13 bytes). */
export const DEACTIVATE_ALL = [
  '0d 00', //                         totalLength 13
  '16 00', //                         PDUTYPE_DEACTIVATEALLPDU | TS_PROTOCOL_VERSION << 4
  'ea 03', //                         pduSource 1002
  'ea 03 01 00', //                   shareID 0x000103ea
  '01 00', //                         lengthSourceDescriptor 1
  '00', //                            sourceDescriptor 0x00
].join(' ');

/** The 4-byte Deactivate All Windows XP sends (totalLength 4, no pduSource). */
export const DEACTIVATE_ALL_XP = '04 00 16 00';

/** A T.128 FlowPDU (totalLength 0x8000), built from T.128 8.5: peers ignore it. */
export const FLOW_RESPONSE = [
  '00 80', //                         flowMarker 0x8000
  '42 00', //                         pduTypeFlow FLOW_RESPONSE
  '01', //                            flowIdentifier
  '05', //                            flowNumber
  'ea 03', //                         pduSource 1002
].join(' ');

/**
 * A Server License Request built from [MS-RDPELE] 2.2.2.1 (142 bytes, no security header), as a server
 * that wants a client access licence sends it: a short CERT_CHAIN_VERSION_2 certificate header stands
 * for the certificate.
 */
export const LICENSE_REQUEST = [
  '01', //                            bMsgType LICENSE_REQUEST
  '03', //                            flags PREAMBLE_VERSION_3_0
  '8e 00', //                         wMsgSize 142
  '01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f 20', // ServerRandom
  '00 00 06 00', //                   ProductInfo.dwVersion 0x00060000 (6.0)
  '2c 00 00 00', //                   cbCompanyName 44 (offset 40)
  '4d 00 69 00 63 00 72 00 6f 00 73 00 6f 00 66 00 74 00 20 00 43 00 6f 00 72 00 70 00 6f 00 72 00 61 00 74 00 69 00 6f 00 6e 00 00 00', // "Microsoft Corporation"
  '08 00 00 00', //                   cbProductId 8 (offset 88)
  '41 00 30 00 32 00 00 00', //       "A02"
  '0d 00 04 00 01 00 00 00', //       KeyExchangeList: BB_KEY_EXCHG_ALG_BLOB, 4 bytes: KEY_EXCHANGE_ALG_RSA (offset 100)
  '03 00 08 00 02 00 00 80 00 00 00 00', // ServerCertificate: BB_CERTIFICATE_BLOB, 8 bytes: dwVersion 0x80000002 (X.509, temporary), 0 certs
  '01 00 00 00', //                   ScopeList.ScopeCount 1 (offset 120)
  '0e 00 0e 00 6d 69 63 72 6f 73 6f 66 74 2e 63 6f 6d 00', // BB_SCOPE_BLOB, 14 bytes: "microsoft.com"
].join(' ');

/** A licensing error built from 2.2.1.12.1.3: ERR_NO_LICENSE_SERVER with ST_TOTAL_ABORT (16 bytes). */
export const LICENSE_ERROR_NO_LICENSE_SERVER = 'ff 03 10 00 06 00 00 00 01 00 00 00 04 00 00 00';

/** A licensing error with a non-empty BB_ERROR_BLOB: ERR_INVALID_CLIENT, ST_TOTAL_ABORT, 4 bytes of info (20 bytes). */
export const LICENSE_ERROR_INVALID_CLIENT = 'ff 83 14 00 08 00 00 00 01 00 00 00 04 00 04 00 de ad be ef';

/** A Server Platform Challenge built from [MS-RDPELE] 2.2.2.4 (38 bytes). */
export const PLATFORM_CHALLENGE = [
  '02 03 26 00', //                   PLATFORM_CHALLENGE, PREAMBLE_VERSION_3_0, wMsgSize 38
  '00 00 00 00', //                   ConnectFlags
  '09 00 0a 00 01 02 03 04 05 06 07 08 09 0a', // EncryptedPlatformChallenge: BB_ENCRYPTED_DATA_BLOB, 10 bytes
  '10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f', // MACData
].join(' ');

/** A Server New License built from [MS-RDPELE] 2.2.2.7 (44 bytes). */
export const NEW_LICENSE = [
  '03 03 2c 00', //                   NEW_LICENSE, PREAMBLE_VERSION_3_0, wMsgSize 44
  '09 00 14 00 a0 a1 a2 a3 a4 a5 a6 a7 a8 a9 aa ab ac ad ae af b0 b1 b2 b3', // EncryptedLicenseInfo, 20 bytes
  'c0 c1 c2 c3 c4 c5 c6 c7 c8 c9 ca cb cc cd ce cf', // MACData
].join(' ');

// ---- real captures (fixtures/pcaps, see its README for origins and licences) ----

/** RDP-003.pcap packet 23: an XP client's Security Exchange PDU (94 bytes; user data from offset 14). */
export const RDP003_SECURITY_EXCHANGE = [
  '03 00 00 5e 02 f0 80 64 00 06 03 eb 70 50', // TPKT 94, X.224 Data, SDrq initiator 1007, channel 1003, length 80
  '01 02 00 00', //                   SEC_EXCHANGE_PKT | SEC_LICENSE_ENCRYPT_SC
  '48 00 00 00', //                   length 72
  '4c ec f8 64 7d a6 11 d0 cc ca 1f 36 3c 8b 56 ca 74 48 fc 6c 23 a0 a5 7e 3a 24 f2 b6 ce cc 9f 90',
  'f5 c9 15 ee dc 55 b1 b8 f4 c0 2f e8 fc 3e 5d f9 8c d7 0e 21 d7 42 1c 1a 1a 9c 72 07 92 1e c2 2b',
  '00 00 00 00 00 00 00 00', //       padding
].join(' ');

/**
 * RDP-003.pcap packet 26: the server's License Error - Valid Client in the clear (34 bytes; user data
 * from offset 14). An old server: PREAMBLE_VERSION_2_0, junk flagsHi, and a junk wBlobType (0xe238)
 * on the empty bbErrorInfo, where 2.2.1.12.1 wants BB_ERROR_BLOB.
 */
export const RDP003_LICENSE_VALID_CLIENT = [
  '03 00 00 22 02 f0 80 68 00 01 03 eb 70 14', // TPKT 34, X.224 Data, SDin initiator 1002, channel 1003, length 20
  '80 02 10 00', //                   flags 0x0280 SEC_LICENSE_PKT | SEC_LICENSE_ENCRYPT_CS, flagsHi 0x0010 (junk)
  'ff 02 10 00', //                   ERROR_ALERT, PREAMBLE_VERSION_2_0, wMsgSize 16
  '07 00 00 00 02 00 00 00', //       STATUS_VALID_CLIENT, ST_NO_TRANSITION
  '38 e2 00 00', //                   bbErrorInfo: wBlobType 0xe238 (junk), wBlobLen 0
].join(' ');

/** rdp-proprietary-encryption.pcap packet 32: a Security Exchange PDU (94 bytes; user data from offset 14). */
export const PROPRIETARY_SECURITY_EXCHANGE = [
  '03 00 00 5e 02 f0 80 64 00 07 03 eb 70 50', // TPKT 94, X.224 Data, SDrq initiator 1008, channel 1003, length 80
  '01 02 00 00 48 00 00 00', //       SEC_EXCHANGE_PKT | SEC_LICENSE_ENCRYPT_SC, length 72
  '8b 68 9c 55 b7 c8 1a 58 75 5f 62 60 00 69 95 ae 78 ba b7 56 23 4a cd 65 b0 ec b8 dc bb 9e a6 9b',
  '65 20 ea ec ea 70 ae 4a dc 82 42 3b ee 7e 07 18 57 7a c4 be 71 0f 16 a2 bd 1d 54 64 59 81 77 44',
  '00 00 00 00 00 00 00 00',
].join(' ');
