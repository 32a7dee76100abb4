import { describe, expect, it } from 'vitest';
import { AddressRanges } from '../../packages/proxy/src/address-ranges.ts';

describe('AddressRanges', () => {
  it('matches IPv4 and IPv6 ranges, bare addresses, and IPv4-mapped peers', () => {
    const ranges = AddressRanges.parse([
      '10.0.0.0/8',
      '192.0.2.7',
      '2001:db8::/33',
      '127.0.0.20/31',
    ]);
    expect(ranges.texts).toEqual(['10.0.0.0/8', '192.0.2.7/32', '2001:db8::/33', '127.0.0.20/31']);
    for (const yes of [
      '10.255.1.2',
      '::ffff:10.0.0.1',
      '192.0.2.7',
      '2001:db8:7fff::1',
      '127.0.0.21',
    ]) {
      expect([yes, ranges.includes(yes)]).toEqual([yes, true]);
    }
    for (const no of [
      '11.0.0.1',
      '192.0.2.8',
      '2001:db8:8000::1',
      '127.0.0.22',
      'fe80::1%eth0',
      'junk',
      '',
    ]) {
      expect([no, ranges.includes(no)]).toEqual([no, false]);
    }
  });

  it('a /0 takes everything of its family, a mapped range its IPv4 addresses', () => {
    expect(AddressRanges.parse(['0.0.0.0/0']).includes('203.0.113.9')).toBe(true);
    expect(AddressRanges.parse(['0.0.0.0/0']).includes('2001:db8::1')).toBe(false);
    expect(AddressRanges.parse(['::/0']).includes('2001:db8::1')).toBe(true);
    expect(AddressRanges.parse(['::ffff:0:0/96']).includes('203.0.113.9')).toBe(true);
  });

  it('refuses what is not a range, naming it', () => {
    for (const bad of [
      '10.0.0.0/',
      '10.0.0.0/33',
      '10.0.0/8',
      'localhost',
      '::1/x',
      '10.0.0.0/08x',
    ]) {
      expect(() => AddressRanges.parse([bad])).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
      );
    }
  });
});
