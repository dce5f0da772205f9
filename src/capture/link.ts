// Link-layer headers, by LINKTYPE_ value (tcpdump.org/linktypes.html): where the IP header starts.

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

/** The packet carries something other than IP (ARP, LLC, ...): not an error, just not ours. */
export const NOT_IP = -1;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100; // 802.1Q
const ETHERTYPE_QINQ = 0x88a8; // 802.1ad
const ETHERTYPE_QINQ_OLD = 0x9100;

const SUPPORTED = new Set([LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_NULL, LINKTYPE_LOOP, LINKTYPE_RAW, 12, 14, LINKTYPE_IPV4, LINKTYPE_IPV6]);

/** Whether ipOffset() reads this link type. */
export function linkSupported(linktype: number): boolean {
  return SUPPORTED.has(linktype);
}

/** Offset of the IP header in `d`, NOT_IP, or why the frame cannot be read. */
export function ipOffset(linktype: number, d: Uint8Array): number | string {
  switch (linktype) {
    case LINKTYPE_ETHERNET:
      return ethernet(d);
    case LINKTYPE_LINUX_SLL:
      if (d.length < 16) return 'truncated Linux cooked (SLL) header';
      return isIpEthertype((d[14]! << 8) | d[15]!) ? 16 : NOT_IP;
    case LINKTYPE_LINUX_SLL2:
      if (d.length < 20) return 'truncated Linux cooked (SLL2) header';
      return isIpEthertype((d[0]! << 8) | d[1]!) ? 20 : NOT_IP;
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
      return loopback(d, linktype === LINKTYPE_NULL);
    case LINKTYPE_RAW:
    case 12: // DLT_RAW as written by some systems
    case 14: // DLT_RAW on OpenBSD
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      return 0;
    default:
      return `unsupported link type ${linktype}`;
  }
}

function isIpEthertype(t: number): boolean {
  return t === ETHERTYPE_IPV4 || t === ETHERTYPE_IPV6;
}

function ethernet(d: Uint8Array): number | string {
  if (d.length < 14) return 'truncated Ethernet header';
  let type = (d[12]! << 8) | d[13]!;
  let off = 14;
  while (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
    if (d.length < off + 4) return 'truncated VLAN tag';
    type = (d[off + 2]! << 8) | d[off + 3]!;
    off += 4;
  }
  return isIpEthertype(type) ? off : NOT_IP;
}

/** BSD loopback: a 4-byte address family, in the writer's byte order (NULL) or big-endian (LOOP). */
function loopback(d: Uint8Array, hostOrder: boolean): number | string {
  if (d.length < 4) return 'truncated loopback header';
  // a family is < 256, so its only non-zero byte tells the byte order
  const family = hostOrder && d[0] !== 0 ? d[0]! : d[3]!;
  // AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (macOS)
  return family === 2 || family === 24 || family === 28 || family === 30 ? 4 : NOT_IP;
}
