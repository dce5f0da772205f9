// GCC user data vectors (annotated per field): the client data of [MS-RDPBCGR] 4.1.3 and the server
// data of [MS-RDPBCGR] 4.1.4, cut from those PDUs after the H.221 key and the PER length.

/**
 * [MS-RDPBCGR] 4.1.3 Client MCS Connect Initial PDU: the Conference Create Request user data ("Duca",
 * 0x11c = 284 bytes), at offset 132 (0x84) of the 416-byte PDU. Blocks: core, cluster, security, network.
 */
export const CLIENT_DATA_4_1_3 = [
  // TS_UD_CS_CORE
  '01 c0 d8 00', //                   header: CS_CORE (0xc001), length 216
  '04 00 08 00', //                   version 0x00080004 (RDP 5.0-8.1)
  '00 05 00 04', //                   desktopWidth 1280, desktopHeight 1024
  '01 ca', //                         colorDepth RNS_UD_COLOR_8BPP
  '03 aa', //                         SASSequence RNS_UD_SAS_DEL
  '09 04 00 00', //                   keyboardLayout 0x409 (en-US)
  'ce 0e 00 00', //                   clientBuild 3790
  '45 00 4c 00 54 00 4f 00 4e 00 53 00 2d 00 44 00 45 00 56 00 32 00 00 00 00 00 00 00 00 00 00 00', // clientName "ELTONS-DEV2"
  '04 00 00 00', //                   keyboardType 4 (IBM enhanced 101/102-key)
  '00 00 00 00', //                   keyboardSubType 0
  '0c 00 00 00', //                   keyboardFunctionKey 12
  Array(64).fill('00').join(' '), //  imeFileName "" (64 bytes)
  '01 ca', //                         postBeta2ColorDepth RNS_UD_COLOR_8BPP
  '01 00', //                         clientProductId 1
  '00 00 00 00', //                   serialNumber 0
  '18 00', //                         highColorDepth 24 bpp
  '07 00', //                         supportedColorDepths 24 | 16 | 15 bpp
  '01 00', //                         earlyCapabilityFlags RNS_UD_CS_SUPPORT_ERRINFO_PDU
  '36 00 39 00 37 00 31 00 32 00 2d 00 37 00 38 00 33 00 2d 00 30 00 33 00 35 00 37 00 39 00 37 00', // clientDigProductId
  '34 00 2d 00 34 00 32 00 37 00 31 00 34 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00', //   "69712-783-0357974-42714"
  '00', //                            connectionType 0
  '00', //                            pad1octet
  '00 00 00 00', //                   serverSelectedProtocol PROTOCOL_RDP
  // TS_UD_CS_CLUSTER
  '04 c0 0c 00', //                   header: CS_CLUSTER (0xc004), length 12
  '0d 00 00 00', //                   Flags REDIRECTION_SUPPORTED | REDIRECTION_VERSION4 << 2
  '00 00 00 00', //                   RedirectedSessionID 0
  // TS_UD_CS_SEC
  '02 c0 0c 00', //                   header: CS_SECURITY (0xc002), length 12
  '1b 00 00 00', //                   encryptionMethods 40BIT | 128BIT | 56BIT | FIPS
  '00 00 00 00', //                   extEncryptionMethods 0
  // TS_UD_CS_NET
  '03 c0 2c 00', //                   header: CS_NET (0xc003), length 44
  '03 00 00 00', //                   channelCount 3
  '72 64 70 64 72 00 00 00', //       "rdpdr"
  '00 00 80 80', //                   INITIALIZED | COMPRESS_RDP
  '63 6c 69 70 72 64 72 00', //       "cliprdr"
  '00 00 a0 c0', //                   INITIALIZED | ENCRYPT_RDP | COMPRESS_RDP | SHOW_PROTOCOL
  '72 64 70 73 6e 64 00 00', //       "rdpsnd"
  '00 00 00 c0', //                   INITIALIZED | ENCRYPT_RDP
].join(' ');

/** The 4.1.4 server's modulus, little-endian as sent (64 bytes, before the 8 padding bytes). */
export const MODULUS_4_1_4_LE = [
  'cb 81 fe ba 6d 61 c3 55 05 d5 5f 2e 87 f8 71 94 d6 f1 a5 cb f1 5f 0c 3d f8 70 02 96 c4 fb 9b c8',
  '3c 2d 55 ae e8 ff 32 75 ea 68 79 e5 a2 01 fd 31 a0 b1 1f 55 a6 1f c1 f6 d1 83 88 63 26 56 12 bc',
].join(' ');

/** The 4.1.4 certificate's signature, little-endian as sent (64 bytes, before the 8 padding bytes). */
export const SIGNATURE_4_1_4_LE = [
  'e9 e1 d6 28 46 8b 4e f5 0a df fd ee 21 99 ac b4 e1 8f 5f 81 57 82 ef 9d 96 52 63 27 18 29 db b3',
  '4a fd 9a da 42 ad b5 69 21 89 0e 1d c0 4c 1a a8 aa 71 3e 0f 54 b9 9a e4 99 68 3f 6c d6 76 84 61',
].join(' ');

export const SERVER_RANDOM_4_1_4 = '10 11 77 20 30 61 0a 12 e4 34 a1 1e f2 c3 9f 31 7d a4 5f 01 89 34 96 e0 ff 11 08 69 7f 1a c3 d2';

/**
 * [MS-RDPBCGR] 4.1.4 Server MCS Connect Response PDU: the Conference Create Response user data
 * ("McDn", 0x108 = 264 bytes), at offset 73 (0x49) of the 337-byte PDU. Blocks: core, network, security.
 */
export const SERVER_DATA_4_1_4 = [
  // TS_UD_SC_CORE
  '01 0c 0c 00', //                   header: SC_CORE (0x0c01), length 12
  '04 00 08 00', //                   version 0x00080004 (RDP 5.0-8.1)
  '00 00 00 00', //                   clientRequestedProtocols PROTOCOL_RDP (no earlyCapabilityFlags)
  // TS_UD_SC_NET
  '03 0c 10 00', //                   header: SC_NET (0x0c03), length 16
  'eb 03', //                         MCSChannelId 1003
  '03 00', //                         channelCount 3
  'ec 03 ed 03 ee 03', //             channelIdArray 1004, 1005, 1006
  '00 00', //                         Pad (channelCount is odd)
  // TS_UD_SC_SEC1
  '02 0c ec 00', //                   header: SC_SECURITY (0x0c02), length 236
  '02 00 00 00', //                   encryptionMethod ENCRYPTION_METHOD_128BIT
  '02 00 00 00', //                   encryptionLevel ENCRYPTION_LEVEL_CLIENT_COMPATIBLE
  '20 00 00 00', //                   serverRandomLen 32
  'b8 00 00 00', //                   serverCertLen 184
  SERVER_RANDOM_4_1_4, //             serverRandom
  // SERVER_CERTIFICATE / PROPRIETARYSERVERCERTIFICATE
  '01 00 00 00', //                   dwVersion CERT_CHAIN_VERSION_1, t = 0 (permanent)
  '01 00 00 00', //                   dwSigAlgId SIGNATURE_ALG_RSA
  '01 00 00 00', //                   dwKeyAlgId KEY_EXCHANGE_ALG_RSA
  '06 00', //                         wPublicKeyBlobType BB_RSA_KEY_BLOB
  '5c 00', //                         wPublicKeyBlobLen 92
  '52 53 41 31', //                   RSA_PUBLIC_KEY magic 'RSA1'
  '48 00 00 00', //                   keylen 72
  '00 02 00 00', //                   bitlen 512
  '3f 00 00 00', //                   datalen 63
  '01 00 01 00', //                   pubExp 65537
  MODULUS_4_1_4_LE, //                modulus
  '00 00 00 00 00 00 00 00', //       modulus padding
  '08 00', //                         wSignatureBlobType BB_RSA_SIGNATURE_BLOB
  '48 00', //                         wSignatureBlobLen 72
  SIGNATURE_4_1_4_LE, //              SignatureBlob
  '00 00 00 00 00 00 00 00', //       signature padding
].join(' ');

/**
 * [MS-RDPBCGR] 5.3.3.1.1 Terminal Services Signing Key: the public half (little-endian), which signs
 * every proprietary certificate, including the one in 4.1.4.
 */
export const TS_SIGNING_KEY = {
  modulusLe: [
    '3d 3a 5e bd 72 43 3e c9 4d bb c1 1e 4a ba 5f cb 3e 88 20 87 ef f5 c1 e2 d7 b7 6b 9a f2 52 45 95',
    'ce 63 65 6b 58 3a fe ef 7c e7 bf fe 3d f6 5c 7d 6c 5e 06 09 1a f5 61 bb 20 93 09 5f 05 6d ea 87',
  ].join(' '),
  publicExponentLe: '5b 7b 88 c0',
};
