import {
  decodeLongAddress,
  encodeLongAddress,
  formatLpsvReply,
  parseLpsvReply,
} from '@ftpwire/address';
import { parseReply } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { longAddresses } from '../fixtures/address/passive-replies.js';
import { expectAddressError } from './helpers.js';

const v6 = '6,16,254,128,0,0,0,0,0,0,2,96,176,255,254,193,123,47';

describe('decodeLongAddress', () => {
  it.each(longAddresses.filter(({ text }) => !text.startsWith('228')))(
    'decodes $source',
    ({ text, family, host, port }) => {
      expect(decodeLongAddress(text)).toEqual({ family, host, port });
    },
  );

  it('decodes IPv4-mapped and zero-padded port bytes', () => {
    expect(decodeLongAddress('6,16,0,0,0,0,0,0,0,0,0,0,255,255,10,0,0,1,2,0,21')).toEqual({
      family: 6,
      host: '::ffff:10.0.0.1',
      port: 21,
    });
    expect(decodeLongAddress('4,4,10,0,0,1,2,000,021').port).toBe(21);
  });

  it.each([
    ['', 0, 'empty'],
    ['4,4,132,235,1,2,2,24', 20, 'one port byte short'],
    ['4,4,132,235,1,2,2,24,131,7', 24, 'an extra field'],
    ['4,16,132,235,1,2,2,24,131', 2, 'host length 16 for IPv4'],
    ['6,4,132,235,1,2,2,24,131', 2, 'host length 4 for IPv6'],
    ['4,4,132,235,1,2,3,0,24,131', 16, 'port length 3'],
    ['4,4,132,235,1,2,1,24', 16, 'port length 1'],
    ['4,4,132,235,1,256,2,24,131', 14, 'host byte over 255'],
    ['4,4,132,235,1,2,2,256,131', 18, 'port byte over 255'],
    ['4,4,132,235,1,02,2,24,131', 14, 'host byte with a leading zero'],
    ['4,4,132,235,1,-2,2,24,131', 14, 'negative host byte'],
    ['4,4,132,235,,2,2,24,131', 12, 'missing host byte'],
    [`${v6},2,134`, 58, 'IPv6 one port byte short'],
    ['4,4,132.235.1.2,2,24,131', 7, 'dotted host'],
    ['4, 4,132,235,1,2,2,24,131', 2, 'space'],
  ])('refuses %j at offset %i (%s)', (text, offset) => {
    expectAddressError(() => decodeLongAddress(text), 'ERR_INVALID_LONG_ADDRESS', offset);
  });

  it('reports a family other than 4 and 6 as unsupported (RFC 1639: reply 521)', () => {
    expectAddressError(
      () => decodeLongAddress('5,4,1,2,3,4,2,0,21'),
      'ERR_UNSUPPORTED_NETWORK_PROTOCOL',
      0,
    );
  });
});

describe('encodeLongAddress', () => {
  it('encodes IPv4 and IPv6', () => {
    expect(encodeLongAddress({ host: '132.235.1.2', port: 6275 })).toBe('4,4,132,235,1,2,2,24,131');
    expect(encodeLongAddress({ host: 'FE80::260:B0FF:FEC1:7B2F', port: 50712 })).toBe(
      `${v6},2,198,24`,
    );
    expect(encodeLongAddress({ host: '::ffff:10.0.0.1', port: 21, family: 4 })).toBe(
      '4,4,10,0,0,1,2,0,21',
    );
  });

  it('refuses zone ids, names, mismatched families and bad ports', () => {
    expectAddressError(() => encodeLongAddress({ host: 'fe80::1%1', port: 1 }), 'ERR_INVALID_HOST');
    expectAddressError(
      () => encodeLongAddress({ host: 'example.com', port: 1 }),
      'ERR_INVALID_HOST',
    );
    expectAddressError(
      () => encodeLongAddress({ host: '::1', port: 1, family: 4 }),
      'ERR_INVALID_HOST',
    );
    expectAddressError(
      () => encodeLongAddress({ host: '10.0.0.1', port: 1, family: 6 }),
      'ERR_INVALID_HOST',
    );
    expectAddressError(
      () => encodeLongAddress({ host: '10.0.0.1', port: 1, family: 5 as 4 }),
      'ERR_UNSUPPORTED_NETWORK_PROTOCOL',
    );
    expectAddressError(
      () => encodeLongAddress({ host: '10.0.0.1', port: 1e6 }),
      'ERR_INVALID_PORT',
    );
  });
});

describe('parseLpsvReply and formatLpsvReply', () => {
  it('reads the 228 reply of RFC 1639 §3', () => {
    const fixture = longAddresses.find(({ text }) => text.startsWith('228'))!;
    const expected = { family: fixture.family, host: fixture.host, port: fixture.port };
    expect(parseLpsvReply(fixture.text)).toEqual(expected);
    expect(parseLpsvReply(parseReply(`${fixture.text}\r\n`))).toEqual(expected);
  });

  it('refuses malformed 228 replies and other codes', () => {
    expectAddressError(
      () => parseLpsvReply('228 Entering Long Passive Mode (4,4,1,2,3,4,2,0,21,9)'),
      'ERR_INVALID_LPSV_REPLY',
      50,
    );
    expectAddressError(
      () => parseLpsvReply('228 Entering Long Passive Mode (-4,4,1,2,3,4,2,0,21)'),
      'ERR_INVALID_LPSV_REPLY',
      32,
    );
    expectAddressError(
      () => parseLpsvReply('228 Entering Long Passive Mode'),
      'ERR_INVALID_LPSV_REPLY',
      3,
    );
    expectAddressError(
      () => parseLpsvReply('227 Entering Passive Mode (1,2,3,4,5,6)'),
      'ERR_UNEXPECTED_REPLY_CODE',
    );
  });

  it('formats a 228 reply that parses back', () => {
    const reply = formatLpsvReply({ host: '132.235.1.2', port: 6275 });
    expect(reply).toBe('228 Entering Long Passive Mode (4,4,132,235,1,2,2,24,131)\r\n');
    expect(parseLpsvReply(reply)).toEqual({ family: 4, host: '132.235.1.2', port: 6275 });
    expectAddressError(
      () => formatLpsvReply({ host: '::1', port: 1 }, 'Mode 6'),
      'ERR_INVALID_TEXT',
    );
  });
});
