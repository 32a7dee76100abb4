import { decodeHostPort, encodeHostPort } from '@ftpwire/address';
import { describe, expect, it } from 'vitest';
import { expectAddressError } from './helpers.js';

describe('decodeHostPort', () => {
  it.each([
    ['10,0,1,121,15,6', '10.0.1.121', 3846],
    ['132,235,1,2,24,131', '132.235.1.2', 6275],
    ['0,0,0,0,0,1', '0.0.0.0', 1],
    ['255,255,255,255,255,255', '255.255.255.255', 65535],
    ['127,0,0,1,0,21', '127.0.0.1', 21],
    // Port bytes are plain decimal (RFC 959): zero padding changes nothing.
    ['127,0,0,1,004,001', '127.0.0.1', 1025],
  ])('decodes %s', (text, host, port) => {
    expect(decodeHostPort(text)).toEqual({ host, port });
  });

  it.each([
    ['', 0, 'empty'],
    ['10,0,1,121,15', 13, 'five numbers'],
    ['10,0,1,121,15,6,7', 15, 'a seventh number'],
    ['10,0,1,121,15,6,', 15, 'a trailing comma'],
    ['10,0,1,256,15,6', 7, 'host byte over 255'],
    ['10,0,1,121,256,6', 11, 'port byte p1 over 255 (basic-ftp masks it with & 255)'],
    ['10,0,1,121,15,300', 14, 'port byte p2 over 255'],
    ['10,0,1,121,15,99999999999999999999', 14, 'a huge number does not wrap'],
    ['10,0,-1,121,15,6', 5, 'negative host byte'],
    ['10,0,1,121,-15,6', 11, 'negative port byte'],
    ['10,0,,121,15,6', 5, 'missing number'],
    [',0,1,121,15,6', 0, 'missing first number'],
    ['10,0,1,121,15,', 14, 'missing last number'],
    ['010,0,1,121,15,6', 0, 'host byte with a leading zero: octal 8 to inet_aton'],
    ['10,0,01,121,15,6', 5, 'host byte with a leading zero'],
    ['10.0.1.121,15,6', 2, 'dots'],
    [' 10,0,1,121,15,6', 0, 'leading space'],
    ['10,0,1,121,15,6 ', 15, 'trailing space'],
    ['10, 0,1,121,15,6', 3, 'space after a comma'],
    ['10,0,1,121,15,6\r\n', 15, 'line end'],
    ['0x0a,0,1,121,15,6', 1, 'hex'],
    ['10,0,1,121,15,+6', 14, 'plus sign'],
    ['10,0,1,121,15,6a', 15, 'trailing letter'],
  ])('refuses %j at offset %i (%s)', (text, offset) => {
    expectAddressError(() => decodeHostPort(text), 'ERR_INVALID_HOST_PORT', offset);
  });
});

describe('encodeHostPort', () => {
  it('encodes IPv4 and the port split into two bytes', () => {
    expect(encodeHostPort({ host: '193.21.1.121', port: 3846 })).toBe('193,21,1,121,15,6');
    expect(encodeHostPort({ host: '0.0.0.0', port: 1 })).toBe('0,0,0,0,0,1');
    expect(encodeHostPort({ host: '255.255.255.255', port: 65535 })).toBe(
      '255,255,255,255,255,255',
    );
  });

  it('takes an IPv4-mapped IPv6 host as its IPv4 address', () => {
    expect(encodeHostPort({ host: '::ffff:10.0.0.1', port: 21 })).toBe('10,0,0,1,0,21');
  });

  it.each([
    [{ host: '::1', port: 21 }, 'ERR_INVALID_HOST'],
    [{ host: 'fe80::1%eth0', port: 21 }, 'ERR_INVALID_HOST'],
    [{ host: 'ftp.example.com', port: 21 }, 'ERR_INVALID_HOST'],
    [{ host: '10.0.0.01', port: 21 }, 'ERR_INVALID_HOST'],
    [{ host: '10.0.0.1', port: 65536 }, 'ERR_INVALID_PORT'],
    [{ host: '10.0.0.1', port: -1 }, 'ERR_INVALID_PORT'],
    [{ host: '10.0.0.1', port: 0 }, 'ERR_INVALID_PORT'],
    [{ host: '10.0.0.1', port: 21.5 }, 'ERR_INVALID_PORT'],
    [{ host: '10.0.0.1', port: Number.NaN }, 'ERR_INVALID_PORT'],
  ] as const)('refuses %j with %s', (hp, code) => {
    expectAddressError(() => encodeHostPort(hp), code);
  });
});
