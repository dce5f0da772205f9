import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/wire/hex.js';
import {
  CLUSTER_FLAGS_WINDOWS, decodeClientData, decodeDataBlocks, encodeClientData, encodeClientDataBlocks, modernClientData,
  type ClientDataInput,
} from '../../src/gcc/index.js';
import { CLIENT_DATA_4_1_3 } from '../vectors/gcc.js';
import { decodeError } from '../helpers/decode-error.js';
import { robustnessSuite } from '../helpers/robustness.js';

const BASE = 132; // where the user data sits in the 4.1.3 PDU

describe('Client data of [MS-RDPBCGR] 4.1.3', () => {
  const bytes = fromHex(CLIENT_DATA_4_1_3);
  const data = decodeClientData(bytes, BASE);

  it('is 284 bytes of four blocks', () => {
    expect(bytes.length).toBe(0x11c);
    expect(data.unknown).toEqual([]);
  });

  it('decodes every TS_UD_CS_CORE field', () => {
    expect(data.core).toStrictEqual({
      version: 0x00080004,
      versionName: 'RDP 5.0-8.1',
      desktopWidth: 1280,
      desktopHeight: 1024,
      colorDepth: 0xca01,
      sasSequence: 0xaa03,
      keyboardLayout: 0x409,
      clientBuild: 3790,
      clientName: 'ELTONS-DEV2',
      keyboardType: 4,
      keyboardSubType: 0,
      keyboardFunctionKey: 12,
      imeFileName: '',
      postBeta2ColorDepth: 0xca01,
      clientProductId: 1,
      serialNumber: 0,
      highColorDepth: 24,
      supportedColorDepths: 7,
      earlyCapabilityFlags: 1,
      earlyCapabilityNames: ['RNS_UD_CS_SUPPORT_ERRINFO_PDU'],
      clientDigProductId: '69712-783-0357974-42714',
      connectionType: 0,
      pad1octet: 0,
      serverSelectedProtocol: 0,
    });
  });

  it('decodes the cluster, security and network blocks', () => {
    expect(data.cluster).toStrictEqual({ flags: 0x0d, redirectedSessionId: 0, redirectionVersion: 4, flagNames: ['REDIRECTION_SUPPORTED'] });
    expect(data.security).toStrictEqual({
      encryptionMethods: 0x1b,
      extEncryptionMethods: 0,
      encryptionMethodNames: ['40BIT_ENCRYPTION_FLAG', '128BIT_ENCRYPTION_FLAG', '56BIT_ENCRYPTION_FLAG', 'FIPS_ENCRYPTION_FLAG'],
    });
    expect(data.network).toStrictEqual({
      channels: [
        { name: 'rdpdr', options: 0x80800000, optionNames: ['CHANNEL_OPTION_COMPRESS_RDP', 'CHANNEL_OPTION_INITIALIZED'] },
        {
          name: 'cliprdr', options: 0xc0a00000,
          optionNames: ['CHANNEL_OPTION_SHOW_PROTOCOL', 'CHANNEL_OPTION_COMPRESS_RDP', 'CHANNEL_OPTION_ENCRYPT_RDP', 'CHANNEL_OPTION_INITIALIZED'],
        },
        { name: 'rdpsnd', options: 0xc0000000, optionNames: ['CHANNEL_OPTION_ENCRYPT_RDP', 'CHANNEL_OPTION_INITIALIZED'] },
      ],
    });
    expect(data.monitor).toBeUndefined();
    expect(data.messageChannel).toBeUndefined();
  });

  it('encodes back to the same bytes', () => {
    expect(toHex(encodeClientDataBlocks(data))).toBe(toHex(bytes));
  });
});

describe('encodeClientData (what rdpscope sends)', () => {
  it('sends a modern core with the selected protocol, ERRINFO and the Windows cluster flags', () => {
    const bytes = encodeClientData({ selectedProtocol: 0x2, channels: [{ name: 'rdpdr', options: 0x80800000 }] });
    const d = decodeClientData(bytes);
    expect(d.core).toMatchObject({
      version: 0x0008000c, versionName: 'RDP 10.7', desktopWidth: 1024, desktopHeight: 768,
      clientName: 'rdpscope', highColorDepth: 16, supportedColorDepths: 3,
      earlyCapabilityFlags: 1, earlyCapabilityNames: ['RNS_UD_CS_SUPPORT_ERRINFO_PDU'], serverSelectedProtocol: 2,
    });
    expect(d.core?.desktopPhysicalWidth).toBeUndefined();
    expect(d.cluster?.flags).toBe(CLUSTER_FLAGS_WINDOWS);
    expect(d.security?.encryptionMethods).toBe(0x1b);
    expect(d.network?.channels.map((c) => c.name)).toEqual(['rdpdr']);
    expect(d.messageChannel).toBeUndefined();
    // core 216 + cluster 12 + security 12 + network 4 + 8 + 12
    expect(bytes.length).toBe(216 + 12 + 12 + 20);
    expect(toHex(bytes.subarray(0, 4))).toBe('01 c0 d8 00');
  });

  it('writes clientName as UTF-16LE, NUL-padded to 32 bytes, cut to 15 characters', () => {
    const core = (name: string) => encodeClientData({ selectedProtocol: 0, clientName: name }).subarray(4 + 20, 4 + 52);
    expect(toHex(core('PC-1'))).toBe(`50 00 43 00 2d 00 31 00 ${Array(24).fill('00').join(' ')}`);
    const long = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    expect(decodeClientData(encodeClientData({ selectedProtocol: 0, clientName: long })).core?.clientName).toBe(long.slice(0, 15));
    expect(core(long)[30]).toBe(0);
    expect(core(long)[31]).toBe(0);
  });

  it('can leave the cluster block out and add the extended blocks', () => {
    const d = decodeClientData(encodeClientData({ selectedProtocol: 1, cluster: false, messageChannel: true, multitransportFlags: 0x305 }));
    expect(d.cluster).toBeUndefined();
    expect(d.messageChannel).toEqual({ flags: 0 });
    expect(d.multitransport).toEqual({
      flags: 0x305, flagNames: ['TRANSPORTTYPE_UDPFECR', 'TRANSPORTTYPE_UDPFECL', 'TRANSPORTTYPE_UDP_PREFERRED', 'SOFTSYNC_TCP_TO_UDP'],
    });
  });

  it('refuses channel names that do not fit CHANNEL_DEF', () => {
    expect(() => encodeClientData({ selectedProtocol: 0, channels: [{ name: 'toolongname', options: 0 }] })).toThrow(RangeError);
    expect(() => encodeClientData({ selectedProtocol: 0, channels: Array(32).fill({ name: 'x', options: 0 }) })).toThrow(RangeError);
  });
});

/** Every block, every optional core field. */
const FULL_CLIENT: ClientDataInput = (() => {
  const d = modernClientData({ selectedProtocol: 0xb, earlyCapabilityFlags: 0x0fff, messageChannel: true, multitransportFlags: 0x101 });
  d.core = {
    ...d.core!, clientDigProductId: '{1b2c3d4e}', connectionType: 6, desktopPhysicalWidth: 520, desktopPhysicalHeight: 290,
    desktopOrientation: 90, desktopScaleFactor: 150, deviceScaleFactor: 140,
  };
  d.monitor = { flags: 0, monitors: [{ left: -1920, top: 0, right: -1, bottom: 1079, flags: 0 }, { left: 0, top: 0, right: 1023, bottom: 767, flags: 1 }] };
  d.monitorEx = {
    flags: 0,
    monitors: [
      { physicalWidth: 520, physicalHeight: 290, orientation: 0, desktopScaleFactor: 100, deviceScaleFactor: 100 },
      { physicalWidth: 300, physicalHeight: 200, orientation: 90, desktopScaleFactor: 150, deviceScaleFactor: 140 },
    ],
  };
  d.unknown = [{ type: 0xc00c, body: Uint8Array.of(0, 0) }];
  return d;
})();

describe('every client block', () => {
  const bytes = encodeClientDataBlocks(FULL_CLIENT);
  const d = decodeClientData(bytes, 7);

  it('round-trips, the core at its full 234 bytes', () => {
    expect(toHex(bytes.subarray(0, 4))).toBe('01 c0 ea 00');
    expect(toHex(encodeClientDataBlocks(d))).toBe(toHex(bytes));
  });

  it('decodes monitors with signed coordinates and the monitor attributes', () => {
    expect(d.monitor?.monitors[0]).toEqual({ left: -1920, top: 0, right: -1, bottom: 1079, flags: 0 });
    expect(d.monitorEx?.monitors[1]).toEqual({ physicalWidth: 300, physicalHeight: 200, orientation: 90, desktopScaleFactor: 150, deviceScaleFactor: 140 });
    expect(d.core).toMatchObject({ connectionType: 6, desktopOrientation: 90, deviceScaleFactor: 140, clientDigProductId: '{1b2c3d4e}' });
    expect(d.core?.earlyCapabilityNames).toHaveLength(12);
  });

  it('keeps CS_UNUSED1 as an uninterpreted block with its absolute offset', () => {
    expect(d.unknown).toHaveLength(1);
    expect(d.unknown[0]).toMatchObject({ type: 0xc00c, typeName: 'CS_UNUSED1', length: 6, offset: 7 + bytes.length - 6 });
  });

  it('writes a short core up to its last present field', () => {
    const { core } = modernClientData({ selectedProtocol: 0 });
    const short = { ...core!, clientDigProductId: undefined, connectionType: undefined, pad1octet: undefined, serverSelectedProtocol: undefined };
    const b = encodeClientDataBlocks({ core: short });
    expect(b.length).toBe(4 + 128 + 14);
    const back = decodeClientData(b).core;
    expect(back?.earlyCapabilityFlags).toBe(1);
    expect(back && 'clientDigProductId' in back).toBe(false);
  });
});

describe('client data errors', () => {
  const bytes = fromHex(CLIENT_DATA_4_1_3);

  it('a core block shorter than its fixed part', () => {
    const b = encodeClientDataBlocks({ unknown: [] });
    expect(b.length).toBe(0);
    const short = fromHex('01 c0 10 00 04 00 08 00 00 04 00 03 01 ca 03 aa');
    const e = decodeError(() => decodeClientData(short, 50));
    expect(e.toJSON()).toMatchObject({ code: 'NOT_ENOUGH_BYTES', layer: 'mcs', pdu: 'Client Core Data', field: 'keyboardLayout', offset: 50 + 16 });
  });

  it('a core block that ends inside an optional field', () => {
    const b = bytes.slice(0, 216 - 3);
    b[2] = 216 - 3; // length now ends inside serverSelectedProtocol
    const e = decodeError(() => decodeClientData(b, BASE));
    expect(e.toJSON()).toMatchObject({ code: 'NOT_ENOUGH_BYTES', pdu: 'Client Core Data', field: 'serverSelectedProtocol', offset: BASE + 212 });
  });

  it('a block length past the end of the user data', () => {
    const e = decodeError(() => decodeClientData(bytes.subarray(0, 283), BASE));
    expect(e.toJSON()).toMatchObject({ code: 'NOT_ENOUGH_BYTES', pdu: 'Client GCC user data', field: 'length', offset: BASE + 242 });
  });

  it('a block length under 4', () => {
    const e = decodeError(() => decodeClientData(fromHex('02 c0 03 00'), 9));
    expect(e.toJSON()).toMatchObject({ code: 'INVALID_FIELD', field: 'length', offset: 11 });
  });

  it('more than 31 channels', () => {
    const b = bytes.slice();
    b[244] = 32;
    const e = decodeError(() => decodeClientData(b, BASE));
    expect(e.toJSON()).toMatchObject({ code: 'INVALID_FIELD', pdu: 'Client Network Data', field: 'channelCount', offset: BASE + 244 });
  });

  it('a channel array longer than the block', () => {
    const b = bytes.slice();
    b[244] = 4;
    const e = decodeError(() => decodeClientData(b, BASE));
    expect(e.toJSON()).toMatchObject({ code: 'NOT_ENOUGH_BYTES', field: 'channelDefArray', offset: BASE + 248 });
  });

  it('a second core block', () => {
    const twice = new Uint8Array([...bytes, ...bytes.subarray(0, 216)]);
    const e = decodeError(() => decodeClientData(twice, BASE));
    expect(e.toJSON()).toMatchObject({ code: 'INVALID_FIELD', pdu: 'Client GCC user data', field: 'type', offset: BASE + 284 });
  });

  it('more than 16 monitors, and a wrong monitorAttributeSize', () => {
    const monitor = encodeClientDataBlocks({ monitor: { flags: 0, monitors: [] } });
    monitor[8] = 17;
    expect(decodeError(() => decodeClientData(monitor)).toJSON()).toMatchObject({ code: 'INVALID_FIELD', field: 'monitorCount', offset: 8 });
    const ex = encodeClientDataBlocks({ monitorEx: { flags: 0, monitors: [] } });
    ex[8] = 24;
    expect(decodeError(() => decodeClientData(ex)).toJSON()).toMatchObject({ code: 'INVALID_FIELD', field: 'monitorAttributeSize', offset: 8 });
  });
});

robustnessSuite([
  {
    name: 'decodeClientData',
    decode: decodeClientData,
    inputs: [fromHex(CLIENT_DATA_4_1_3), encodeClientData({ selectedProtocol: 3 }), encodeClientDataBlocks(FULL_CLIENT)],
  },
  { name: 'decodeDataBlocks (client)', decode: (b, base) => decodeDataBlocks(b, base, 'client'), inputs: [fromHex(CLIENT_DATA_4_1_3)] },
], { layer: 'mcs', base: 1000, editsMustFail: true });
