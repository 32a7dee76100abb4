import { formatIPv4, isIPv4, parseIPv4 } from '@ftpwire/address';
import { describe, expect, it } from 'vitest';
import { expectAddressError } from './helpers.js';

describe('parseIPv4', () => {
  it.each([
    ['0.0.0.0', [0, 0, 0, 0]],
    ['255.255.255.255', [255, 255, 255, 255]],
    ['192.0.2.1', [192, 0, 2, 1]],
    ['10.0.1.121', [10, 0, 1, 121]],
    ['127.0.0.1', [127, 0, 0, 1]],
  ])('reads %s', (text, bytes) => {
    expect([...parseIPv4(text)]).toEqual(bytes);
  });

  it.each([
    // [text, offset, why]
    ['', 0, 'empty'],
    ['1.2.3', 5, 'three parts (inet_aton reads it as 1.2.0.3)'],
    ['1.2.3.4.5', 7, 'five parts'],
    ['1.2.3.256', 6, 'octet over 255'],
    ['1.2.3.999', 6, 'octet over 255'],
    ['1.2.3.1000', 6, 'four digits'],
    ['010.0.0.1', 0, 'leading zero: octal 8 to inet_aton'],
    ['1.2.3.00', 6, 'leading zero'],
    ['0x7f.0.0.1', 1, 'hex (inet_aton accepts it)'],
    ['1..3.4', 2, 'empty octet'],
    ['.1.2.3', 0, 'leading dot'],
    ['1.2.3.4.', 7, 'trailing dot'],
    [' 1.2.3.4', 0, 'leading space'],
    ['1.2.3.4 ', 7, 'trailing space'],
    ['1.2.3.-4', 6, 'sign'],
    ['1.2.3.+4', 6, 'sign'],
    ['2130706433', 0, 'a single 32-bit number (inet_aton accepts it)'],
    ['1.2.3.4\n', 7, 'line feed'],
    ['１.2.3.4', 0, 'full-width digit'],
  ])('refuses %j at offset %i (%s)', (text, offset) => {
    expectAddressError(() => parseIPv4(text), 'ERR_INVALID_IPV4', offset);
    expect(isIPv4(text)).toBe(false);
  });

  it('accepts a single 0 in every octet but not 00', () => {
    expect(isIPv4('0.0.0.0')).toBe(true);
    expect(isIPv4('0.00.0.0')).toBe(false);
  });
});

describe('formatIPv4', () => {
  it('writes a dotted quad', () => {
    expect(formatIPv4(new Uint8Array([193, 21, 1, 121]))).toBe('193.21.1.121');
  });

  it('refuses anything but 4 bytes', () => {
    expectAddressError(() => formatIPv4(new Uint8Array(16)), 'ERR_INVALID_IPV4');
  });
});
