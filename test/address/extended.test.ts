import { decodeExtendedAddress, encodeExtendedAddress } from '@ftpwire/address';
import { describe, expect, it } from 'vitest';
import { extendedAddresses } from '../fixtures/address/passive-replies.js';
import { expectAddressError } from './helpers.js';

describe('decodeExtendedAddress', () => {
  it.each(extendedAddresses)('decodes $source: $arg', ({ arg, family, host, port }) => {
    expect(decodeExtendedAddress(arg)).toEqual({ family, host, port });
  });

  it('accepts every delimiter from ASCII 33 to 126 that cannot occur in the address', () => {
    for (let unit = 33; unit <= 126; unit++) {
      const d = String.fromCharCode(unit);
      const v4 = `${d}1${d}132.235.1.2${d}6275${d}`;
      const v6 = `${d}2${d}1080::8:800:200C:417A${d}5282${d}`;
      const digit = unit >= 0x30 && unit <= 0x39;
      if (digit || d === '.') {
        expectAddressError(() => decodeExtendedAddress(v4), 'ERR_INVALID_EXTENDED_ADDRESS', 0);
      } else {
        expect(decodeExtendedAddress(v4)).toEqual({ family: 1, host: '132.235.1.2', port: 6275 });
      }
      if (digit || /[.:a-fA-F]/.test(d)) {
        expectAddressError(() => decodeExtendedAddress(v6), 'ERR_INVALID_EXTENDED_ADDRESS', 0);
      } else {
        expect(decodeExtendedAddress(v6).host).toBe('1080::8:800:200c:417a');
      }
    }
  });

  it('reads ports 1 and 65535, zero-padded numbers', () => {
    expect(decodeExtendedAddress('|1|10.0.0.1|1|').port).toBe(1);
    expect(decodeExtendedAddress('|1|10.0.0.1|65535|').port).toBe(65535);
    expect(decodeExtendedAddress('|01|10.0.0.1|00021|')).toEqual({
      family: 1,
      host: '10.0.0.1',
      port: 21,
    });
  });

  it.each([
    ['', 0, 'empty'],
    [' 1 10.0.0.1 21 ', 0, 'space is below ASCII 33'],
    ['\x7f1\x7f10.0.0.1\x7f21\x7f', 0, 'DEL is above ASCII 126'],
    ['|1|10.0.0.1|21', 14, 'no closing delimiter'],
    ['|1|10.0.0.1|21|x', 15, 'text after the closing delimiter'],
    ['|1|10.0.0.1!21!', 15, 'delimiters mixed'],
    ['|1|10.0.0.1|65536|', 12, 'port over 65535'],
    ['|1|10.0.0.1|-1|', 12, 'negative port'],
    ['|1|10.0.0.1||', 12, 'missing port'],
    ['|1|10.0.0.1 |21|', 11, 'space in the address'],
    ['||10.0.0.1|21|', 1, 'missing protocol'],
    ['|1|10.0.0.256|21|', 10, 'octet over 255'],
    ['|1|10.0.0.01|21|', 10, 'leading zero (octal to inet_aton)'],
    ['|1|10.0.1|21|', 9, 'three octets'],
    ['|1|::1|21|', 3, 'IPv6 host for protocol 1'],
    ['|2|10.0.0.1|21|', 3, 'IPv4 host for protocol 2 (two groups, not eight)'],
    ['|2|fe80::1%eth0|21|', 10, 'zone id'],
    ['|2|1::2::3|21|', 7, '"::" twice'],
    ['|2||21|', 3, 'empty address'],
    ['|1|', 3, 'truncated'],
  ])('refuses %j at offset %i (%s)', (arg, offset) => {
    expectAddressError(() => decodeExtendedAddress(arg), 'ERR_INVALID_EXTENDED_ADDRESS', offset);
  });

  it('reports a well-formed protocol other than 1 and 2 as unsupported (RFC 2428: reply 522)', () => {
    expectAddressError(
      () => decodeExtendedAddress('|3|10.0.0.1|21|'),
      'ERR_UNSUPPORTED_NETWORK_PROTOCOL',
      1,
    );
    expectAddressError(
      () => decodeExtendedAddress('|6|whatever|21|'),
      'ERR_UNSUPPORTED_NETWORK_PROTOCOL',
      1,
    );
  });
});

describe('encodeExtendedAddress', () => {
  it('encodes the RFC 2428 examples', () => {
    expect(encodeExtendedAddress({ host: '132.235.1.2', port: 6275 })).toBe('|1|132.235.1.2|6275|');
    expect(encodeExtendedAddress({ host: '1080::8:800:200C:417A', port: 5282 })).toBe(
      '|2|1080::8:800:200c:417a|5282|',
    );
  });

  it('uses the delimiter given and the family given', () => {
    expect(encodeExtendedAddress({ host: '132.235.1.2', port: 6275 }, '!')).toBe(
      '!1!132.235.1.2!6275!',
    );
    expect(encodeExtendedAddress({ host: '::ffff:10.0.0.1', port: 21, family: 1 })).toBe(
      '|1|10.0.0.1|21|',
    );
    expect(encodeExtendedAddress({ host: '::ffff:10.0.0.1', port: 21 })).toBe(
      '|2|::ffff:10.0.0.1|21|',
    );
  });

  it.each([
    [{ host: '10.0.0.1', port: 21 }, '.', 'ERR_INVALID_DELIMITER'],
    [{ host: '10.0.0.1', port: 21 }, '1', 'ERR_INVALID_DELIMITER'],
    [{ host: '10.0.0.1', port: 21 }, ' ', 'ERR_INVALID_DELIMITER'],
    [{ host: '10.0.0.1', port: 21 }, '||', 'ERR_INVALID_DELIMITER'],
    [{ host: '10.0.0.1', port: 21 }, '', 'ERR_INVALID_DELIMITER'],
    [{ host: '::1', port: 21 }, ':', 'ERR_INVALID_DELIMITER'],
    [{ host: '::1', port: 21 }, 'a', 'ERR_INVALID_DELIMITER'],
    [{ host: '::1', port: 21 }, 'F', 'ERR_INVALID_DELIMITER'],
    [{ host: 'fe80::1%eth0', port: 21 }, '|', 'ERR_INVALID_HOST'],
    [{ host: 'ftp.example.com', port: 21 }, '|', 'ERR_INVALID_HOST'],
    [{ host: '::1', port: 21, family: 1 }, '|', 'ERR_INVALID_HOST'],
    [{ host: '10.0.0.1', port: 21, family: 2 }, '|', 'ERR_INVALID_HOST'],
    [{ host: '10.0.0.1', port: 21, family: 3 as 1 }, '|', 'ERR_UNSUPPORTED_NETWORK_PROTOCOL'],
    [{ host: '10.0.0.1', port: 65536 }, '|', 'ERR_INVALID_PORT'],
  ] as const)('refuses %j with delimiter %j: %s', (address, delimiter, code) => {
    expectAddressError(() => encodeExtendedAddress(address, delimiter), code);
  });
});
