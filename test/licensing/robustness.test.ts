// Every licensing decoder, fed every truncation and single-byte edit of the vectors plus seeded random
// bytes, either decodes or throws a DecodeError of layer 'rdp' pointing inside the input.
import { fromHex } from '../../src/wire/hex.js';
import { robustnessSuite, type RobustnessCase } from '../helpers/robustness.js';
import {
  decodeLicensingPdu, decodeLicensingPduWithHeader, encodeLicensingPduWithHeader, encodeServerLicenseRequest,
} from '../../src/licensing/index.js';
import * as V from '../vectors/rdp.js';

const PDUS = [
  V.LICENSE_VALID_CLIENT_4_1_11_PLAIN, V.LICENSE_REQUEST, V.LICENSE_ERROR_NO_LICENSE_SERVER, V.LICENSE_ERROR_INVALID_CLIENT,
  V.PLATFORM_CHALLENGE, V.NEW_LICENSE, '13 83 08 00 01 00 00 00',
].map(fromHex);
PDUS.push(encodeServerLicenseRequest({ serverRandom: new Uint8Array(32), scopes: ['a', 'b.example'] }));
PDUS.push(fromHex(V.RDP003_LICENSE_VALID_CLIENT).subarray(18));

const cases: RobustnessCase[] = [
  { name: 'decodeLicensingPdu', decode: decodeLicensingPdu, inputs: PDUS },
  { name: 'decodeLicensingPduWithHeader', decode: (b, base) => decodeLicensingPduWithHeader(b, base), inputs: PDUS.map((p) => encodeLicensingPduWithHeader(p)) },
  {
    // the ciphertext after it has any length, so only the 12-byte header is a fixed-size input
    name: 'decodeLicensingPduWithHeader (4.1.11 header, non-FIPS)', decode: (b, base) => decodeLicensingPduWithHeader(b, base, 'non-fips'),
    inputs: [fromHex(V.LICENSE_VALID_CLIENT_4_1_11_WIRE).subarray(V.LICENSE_VALID_CLIENT_4_1_11_USER_DATA, V.LICENSE_VALID_CLIENT_4_1_11_USER_DATA + 12)],
  },
];

robustnessSuite(cases, { layer: 'rdp', base: 2000, editsMustFail: true });
