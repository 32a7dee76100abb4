import { formatNetworkProtocolsReply, parseNetworkProtocolsReply } from '@ftpwire/address';
import { parseReply } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { expectAddressError } from './helpers.js';

describe('parseNetworkProtocolsReply (RFC 2428 522)', () => {
  it.each([
    ['522 Network protocol not supported, use (1,2)', [1, 2]],
    ['522 Network protocol not supported, use (1)', [1]],
    ['522 Network protocol not supported, use (2)', [2]],
    ['522 Protocol not supported, use (1,2).', [1, 2]],
    ['522 use (1) (2)', [1]],
    // pyftpdlib (ftpserver.py, FTPHandler.ftp_EPRT): the list after "use" inside the parentheses.
    ['522 Network protocol not supported (use 1).', [1]],
    ['522 Network protocol not supported (use 2).', [2]],
    ['522 Network protocol not supported (USE 1,2)', [1, 2]],
    ['522 (see RFC 2428) (use 1)', [1]],
  ])('reads %j', (reply, protocols) => {
    expect(parseNetworkProtocolsReply(reply)).toEqual(protocols);
    expect(parseNetworkProtocolsReply(parseReply(`${reply}\r\n`))).toEqual(protocols);
  });

  it.each([
    ['522 Network protocol not supported', 3, 'no list'],
    ['522 Network protocol not supported, use ()', 3, 'empty list'],
    ['522 Network protocol not supported, use (1,2', 44, 'unclosed'],
    ['522 Network protocol not supported, use (1,)', 43, 'missing number'],
    ['522 Network protocol not supported, use (1,,2)', 43, 'missing number'],
    ['522 Network protocol not supported, use (0)', 41, 'protocol 0 is reserved'],
    ['522 Network protocol not supported, use (65536)', 41, 'over 65535'],
    ['522 Network protocol not supported, use (1 2)', 42, 'no comma'],
    ['522 Network protocol not supported (use  1)', 3, 'two spaces after use'],
    ['522 Network protocol not supported (use 1', 41, 'unclosed after use'],
    ['522 Network protocol not supported (uses 1)', 3, 'not the word use'],
  ])('refuses %j at offset %i (%s)', (reply, offset) => {
    expectAddressError(
      () => parseNetworkProtocolsReply(reply),
      'ERR_INVALID_PROTOCOL_LIST',
      offset,
    );
  });

  it('refuses another reply code', () => {
    expectAddressError(() => parseNetworkProtocolsReply('500 no'), 'ERR_UNEXPECTED_REPLY_CODE');
  });
});

describe('formatNetworkProtocolsReply', () => {
  it('writes the RFC 2428 form', () => {
    expect(formatNetworkProtocolsReply()).toBe('522 Network protocol not supported, use (1,2)\r\n');
    expect(formatNetworkProtocolsReply([1])).toBe(
      '522 Network protocol not supported, use (1)\r\n',
    );
  });

  it('refuses an empty list, numbers out of range and text with parentheses', () => {
    expectAddressError(() => formatNetworkProtocolsReply([]), 'ERR_INVALID_PROTOCOL_LIST');
    expectAddressError(() => formatNetworkProtocolsReply([0]), 'ERR_INVALID_PROTOCOL_LIST');
    expectAddressError(() => formatNetworkProtocolsReply([1.5]), 'ERR_INVALID_PROTOCOL_LIST');
    expectAddressError(() => formatNetworkProtocolsReply([1], 'use (this)'), 'ERR_INVALID_TEXT');
  });
});
