import { canonicalIPv6, formatIPv6, isIPv6, parseIPv6 } from '@ftpwire/address';
import { describe, expect, it } from 'vitest';
import { expectAddressError } from './helpers.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('parseIPv6', () => {
  it.each([
    // RFC 4291 §2.2 form 1, 2 and 3 examples
    ['ABCD:EF01:2345:6789:ABCD:EF01:2345:6789', 'abcdef0123456789abcdef0123456789'],
    ['2001:DB8:0:0:8:800:200C:417A', '20010db80000000000080800200c417a'],
    ['2001:DB8::8:800:200C:417A', '20010db80000000000080800200c417a'],
    ['FF01::101', 'ff010000000000000000000000000101'],
    ['::1', '00000000000000000000000000000001'],
    ['::', '00000000000000000000000000000000'],
    ['0:0:0:0:0:0:13.1.68.3', '0000000000000000000000000d014403'],
    ['::13.1.68.3', '0000000000000000000000000d014403'],
    ['::FFFF:129.144.52.38', '00000000000000000000ffff81903426'],
    ['0:0:0:0:0:FFFF:129.144.52.38', '00000000000000000000ffff81903426'],
    // RFC 2428 §2 example
    ['1080::8:800:200C:417A', '10800000000000000008080020 0c417a'.replace(' ', '')],
    ['1::', '00010000000000000000000000000000'],
    ['1:2:3:4:5:6:7::', '00010002000300040005000600070000'],
    ['::2:3:4:5:6:7:8', '00000002000300040005000600070008'],
    ['1:2:3:4:5:6:1.2.3.4', '00010002000300040005000601020304'],
    ['0000:0000:0000:0000:0000:0000:0000:0001', '00000000000000000000000000000001'],
  ])('reads %s', (text, bytes) => {
    expect(hex(parseIPv6(text))).toBe(bytes);
    expect(isIPv6(text)).toBe(true);
  });

  it.each([
    ['', 0, 'empty'],
    [':', 0, 'single colon'],
    [':::', 2, 'three colons'],
    [':1::', 0, 'leading single colon'],
    ['1:', 1, 'trailing single colon'],
    ['1::2::3', 4, '"::" twice'],
    ['1:2:3:4:5:6:7', 0, 'seven groups without "::"'],
    ['1:2:3:4:5:6:7:8:9', 16, 'nine groups'],
    ['1:2:3:4:5:6:7:8::', 0, '"::" standing for no group'],
    ['1::2:3:4:5:6:7:8', 0, '"::" standing for no group'],
    ['12345::', 0, 'five hex digits'],
    ['g::', 0, 'not hex'],
    ['fe80::1%eth0', 7, 'zone id: FTP address forms have no place for one'],
    ['fe80::%1', 6, 'zone id'],
    ['::1.2.3', 7, 'short embedded IPv4'],
    ['::1.2.3.256', 8, 'embedded octet over 255'],
    ['::01.2.3.4', 2, 'embedded leading zero'],
    ['1.2.3.4::', 7, 'embedded IPv4 not last'],
    ['1:2:3:4:5:6:7:1.2.3.4', 14, 'embedded IPv4 past 128 bits'],
    ['::ffff:1.2.3.4:5', 14, 'group after embedded IPv4'],
    [' ::1', 0, 'leading space'],
    ['::1 ', 3, 'trailing space'],
    ['[::1]', 0, 'brackets (RFC 3986 URL form)'],
    [`::${'0'.repeat(44)}`, 0, 'over 45 characters, the longest IPv6 text'],
  ])('refuses %j at offset %i (%s)', (text, offset) => {
    expectAddressError(() => parseIPv6(text), 'ERR_INVALID_IPV6', offset);
    expect(isIPv6(text)).toBe(false);
  });
});

describe('formatIPv6 (RFC 5952)', () => {
  it.each([
    // §4.1 leading zeros suppressed
    ['2001:0db8::0001', '2001:db8::1'],
    // §4.2.1 shorten as much as possible
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    // §4.2.2 a single 16-bit 0 field is not shortened
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    // §4.2.3 the longest run; the first on a tie
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    // §4.3 lowercase
    ['2001:DB8::AB:CD', '2001:db8::ab:cd'],
    // §5 IPv4-mapped in mixed notation
    ['0:0:0:0:0:ffff:c000:0201', '::ffff:192.0.2.1'],
    // other embedded forms are plain hex
    ['::13.1.68.3', '::d01:4403'],
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['0:1:0:0:0:0:0:0', '0:1::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:1:0:1:0:1:0', '1:0:1:0:1:0:1:0'],
  ])('writes %s as %s', (text, canonical) => {
    expect(formatIPv6(parseIPv6(text))).toBe(canonical);
    expect(canonicalIPv6(text)).toBe(canonical);
  });

  it('refuses anything but 16 bytes', () => {
    expectAddressError(() => formatIPv6(new Uint8Array(4)), 'ERR_INVALID_IPV6');
  });
});
