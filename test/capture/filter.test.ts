// The --filter language: parser (precedence, tcpdump's shorthand, errors with positions) and matcher.
import { describe, expect, it } from 'vitest';
import { FilterError, allOf, formatFilter, parseFilter, type FilterFlow } from '../../src/capture/filter.js';
import { ipBytes } from '../../src/capture/ip.js';

const flow = (id: number, client: string, cport: number, server: string, sport: number): FilterFlow =>
  ({ id, client: { ip: client, port: cport }, server: { ip: server, port: sport } });

const A = flow(1, '10.0.0.5', 51234, '10.0.0.9', 3389);
const B = flow(2, '192.168.1.200', 49207, '192.168.1.150', 3389);
const C = flow(3, '10.1.2.3', 40000, '172.16.0.1', 3390);
const V6 = flow(4, 'fe80::1', 50000, '2001:db8::15', 3389);
const ALL = [A, B, C, V6];

/** The ids of ALL the expression keeps. */
const ids = (expr: string): number[] => ALL.filter((f) => parseFilter(expr).matches(f)).map((f) => f.id);
const tree = (expr: string): string => formatFilter(parseFilter(expr).tree);

function error(expr: string): FilterError {
  try {
    parseFilter(expr);
  } catch (e) {
    expect(e).toBeInstanceOf(FilterError);
    return e as FilterError;
  }
  throw new Error(`"${expr}" parsed`);
}

describe('filter parser', () => {
  it('reads the primitives with their defaults made explicit', () => {
    expect(tree('host 10.0.0.5')).toBe('host 10.0.0.5');
    expect(tree('client host 10.0.0.5')).toBe('client host 10.0.0.5');
    expect(tree('src host 10.0.0.5')).toBe('client host 10.0.0.5');
    expect(tree('dst port 3389')).toBe('server port 3389');
    expect(tree('tcp port 3389')).toBe('port 3389');
    expect(tree('port 3389-3390')).toBe('port 3389-3390');
    expect(tree('portrange 3380-3390')).toBe('port 3380-3390');
    expect(tree('net 10.0.0.0/8')).toBe('net 10.0.0.0/8');
    expect(tree('net 10')).toBe('net 10.0.0.0/8');
    expect(tree('net 172.16')).toBe('net 172.16.0.0/16');
    expect(tree('net 2001:db8::/32')).toBe('net 2001:db8::/32');
    expect(tree('host [::1]')).toBe('host ::1');
    expect(tree('HOST 10.0.0.5 AND PORT 3389')).toBe('(host 10.0.0.5 and port 3389)');
    expect(tree('ip6')).toBe('ip6');
  });

  it('reads connections as rdpscope prints them: #N, and "client → server" endpoints', () => {
    expect(tree('#3')).toBe('conn #3');
    expect(tree('conn 3')).toBe('conn #3');
    expect(tree('conn #2-4')).toBe('conn #2-4');
    expect(tree('10.0.0.5:51234 → 10.0.0.9:3389')).toBe('conn 10.0.0.5:51234 - 10.0.0.9:3389');
    expect(tree('conn 10.0.0.5:51234-10.0.0.9:3389')).toBe('conn 10.0.0.5:51234 - 10.0.0.9:3389');
    expect(tree('conn 10.0.0.5:51234->10.0.0.9:3389')).toBe('conn 10.0.0.5:51234 - 10.0.0.9:3389');
    expect(tree('conn 10.0.0.5:51234 <-> 10.0.0.9:3389')).toBe('conn 10.0.0.5:51234 - 10.0.0.9:3389');
    expect(tree('conn 10.0.0.5:51234- 10.0.0.9:3389')).toBe('conn 10.0.0.5:51234 - 10.0.0.9:3389');
    expect(tree('[fe80::1]:50000 → [2001:db8::15]:3389')).toBe('conn [fe80::1]:50000 - [2001:db8::15]:3389');
    expect(tree('conn fe80::1-2001:db8::15')).toBe('conn fe80::1 - 2001:db8::15');
    expect(tree('10.0.0.9:3389')).toBe('conn 10.0.0.9:3389');
  });

  it('binds not tighter than and, and tighter than or; parentheses group', () => {
    expect(tree('host 10.0.0.5 or host 10.0.0.6 and port 1')).toBe('(host 10.0.0.5 or (host 10.0.0.6 and port 1))');
    expect(tree('not host 10.0.0.5 and port 1')).toBe('(not host 10.0.0.5 and port 1)');
    expect(tree('not (host 10.0.0.5 and port 1)')).toBe('not (host 10.0.0.5 and port 1)');
    expect(tree('!host 10.0.0.5&&port 1||#2')).toBe('((not host 10.0.0.5 and port 1) or conn #2)');
    expect(tree('((port 1))')).toBe('port 1');
  });

  it('gives a bare value the last kind and side written, as tcpdump does', () => {
    expect(tree('port 3389 or 3390')).toBe('(port 3389 or port 3390)');
    expect(tree('client host 10.0.0.5 or 10.0.0.6')).toBe('(client host 10.0.0.5 or client host 10.0.0.6)');
    expect(tree('not host 10.0.0.5 and 10.0.0.6')).toBe('(not host 10.0.0.5 and host 10.0.0.6)');
    expect(tree('conn 1 or 3')).toBe('(conn #1 or conn #3)');
    expect(tree('10.0.0.5')).toBe('host 10.0.0.5');
    expect(tree('10.0.0.0/8')).toBe('net 10.0.0.0/8');
    expect(tree('server 10.0.0.0/8')).toBe('server net 10.0.0.0/8');
    expect(tree('client 51234')).toBe('client port 51234');
    expect(tree('port 3389 or #2')).toBe('(port 3389 or conn #2)');
  });

  it('names the problem and its position (1-based), with a caret under it', () => {
    const e = error('host 10.0.0.5 and');
    expect(e.position).toBe(17);
    expect(e.message).toBe('expected a primitive such as "host 10.0.0.5", "port 3389" or "conn 3", found the end of the expression at position 18');
    expect(e.explain()).toBe(`${e.message}\n  host 10.0.0.5 and\n                   ^`);
    expect(error('host 10.0.0.5 andd port 3389').message).toBe('expected "and", "or" or the end of the expression, found "andd" at position 15');
    expect(error('host 10.0.0.256').message).toBe('"10.0.0.256" is not an IPv4 or IPv6 address (names are not resolved: give an address) at position 6');
    expect(error('host server1').message).toMatch(/^"server1" is not an IPv4 or IPv6 address \(names are not resolved/);
    expect(error('(port 1 or port 2').message).toBe('expected ")" to close the "(" at position 1, found the end of the expression at position 18');
    expect(error('port 1)').message).toBe('unbalanced ")" at position 7');
    expect(error('port 70000').message).toBe('port 70000 is out of range (0-65535) at position 6');
    expect(error('port 3390-3389').message).toMatch(/empty: give the lower port first at position 6$/);
    expect(error('portrange 3389').message).toBe('expected a port range N-M, found "3389" at position 11');
    expect(error('net 10.0.0.5/8').message).toBe('10.0.0.5/8 has address bits set past the /8 prefix: did you mean 10.0.0.0/8? at position 5');
    expect(error('net 10.0.0.0/33').message).toBe('"/33" is not a prefix length (0-32) for this address at position 14');
    expect(error('host 10.0.0.0/8').message).toBe('"10.0.0.0/8" is a network: write "net 10.0.0.0/8" at position 6');
    expect(error('host 10.0.0.5:3389').message).toMatch(/has a port: write "conn 10.0.0.5:3389"/);
    expect(error('3389').message).toBe('a bare number: write "port 3389" or "conn 3389" at position 1');
    expect(error('client conn 3').message).toBe('"client" qualifies host, net and port; a connection has both ends at position 8');
    expect(error('host').message).toBe('expected an address after "host", found the end of the expression at position 5');
    expect(error('host port 3389').message).toBe('expected an address after "host", found the keyword "port" at position 6');
    expect(error('conn #0').message).toMatch(/^connection ids start at 1/);
    expect(error('conn 10.0.0.5:51234 →').message).toBe('expected the other endpoint of the connection, found the end of the expression at position 22');
    expect(error('conn 10.0.0.5:99999').message).toBe('"10.0.0.5:99999": the port is not a number from 0 to 65535 at position 6');
    expect(error('port 1 & port 2').message).toBe('a lone "&": write "and" (or "&&") at position 8');
    expect(error('').message).toMatch(/^empty filter/);
    expect(error('   ').position).toBe(3);
  });
});

describe('filter matcher', () => {
  it('host and net match either end unless a side is named', () => {
    expect(ids('host 10.0.0.5')).toEqual([1]);
    expect(ids('host 10.0.0.9')).toEqual([1]);
    expect(ids('server host 10.0.0.5')).toEqual([]);
    expect(ids('client host 10.0.0.5')).toEqual([1]);
    expect(ids('net 10.0.0.0/8')).toEqual([1, 3]);
    expect(ids('net 10.0.0.0/16')).toEqual([1]);
    expect(ids('net 10.0.0.0/7')).toEqual([1, 3]);
    expect(ids('net 0.0.0.0/0')).toEqual([1, 2, 3]);
    expect(ids('server net 172.16.0.0/12')).toEqual([3]);
    expect(ids('net 10')).toEqual([1, 3]);
  });

  it('IPv6: addresses compare by value, however they are written', () => {
    expect(ids('host fe80::1')).toEqual([4]);
    expect(ids('host fe80:0:0:0:0:0:0:1')).toEqual([4]);
    expect(ids('host 2001:DB8::15')).toEqual([4]);
    expect(ids('net 2001:db8::/32')).toEqual([4]);
    expect(ids('net fe80::/10')).toEqual([4]);
    expect(ids('ip6')).toEqual([4]);
    expect(ids('ip')).toEqual([1, 2, 3]);
    expect(ids('not ip6')).toEqual([1, 2, 3]);
    expect(ipBytes('::ffff:10.0.0.5')).toEqual(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 5]));
    expect(ipBytes('fe80::1%eth0')).toBeUndefined();
  });

  it('ports, with sides and ranges', () => {
    expect(ids('port 3389')).toEqual([1, 2, 4]);
    expect(ids('port 3389 or 3390')).toEqual([1, 2, 3, 4]);
    expect(ids('port 3390-4000')).toEqual([3]);
    expect(ids('client port 49207')).toEqual([2]);
    expect(ids('server port 49207')).toEqual([]);
    expect(ids('dst port 3390')).toEqual([3]);
    expect(ids('src portrange 40000-50000')).toEqual([2, 3, 4]);
  });

  it('connections by id, by both endpoints in either order, by one endpoint', () => {
    expect(ids('#2')).toEqual([2]);
    expect(ids('conn 2-3')).toEqual([2, 3]);
    expect(ids('not conn 1')).toEqual([2, 3, 4]);
    expect(ids('10.0.0.5:51234 → 10.0.0.9:3389')).toEqual([1]);
    expect(ids('10.0.0.9:3389 → 10.0.0.5:51234')).toEqual([1]);
    expect(ids('10.0.0.5:51234 → 10.0.0.9:3390')).toEqual([]);
    expect(ids('conn 10.0.0.5-10.0.0.9')).toEqual([1]);
    expect(ids('conn 192.168.1.200:49207')).toEqual([2]);
    expect(ids('[fe80::1]:50000 → [2001:db8::15]:3389')).toEqual([4]);
  });

  it('combines with and, or, not and parentheses', () => {
    expect(ids('port 3389 and not net 10.0.0.0/8')).toEqual([2, 4]);
    expect(ids('(host 10.0.0.5 or host 10.1.2.3) and server port 3390')).toEqual([3]);
    expect(ids('host 10.0.0.5 or host 10.1.2.3 and server port 3390')).toEqual([1, 3]);
    expect(ids('not not #1')).toEqual([1]);
  });

  it('several filters: a connection must match every one', () => {
    const both = allOf([parseFilter('port 3389'), parseFilter('net 10.0.0.0/8')]);
    expect(ALL.filter(both).map((f) => f.id)).toEqual([1]);
    expect(ALL.filter(allOf([])).length).toBe(4);
  });
});
