import { formatPasvReply, parsePasvReply } from '@ftpwire/address';
import { parseReply } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { pasvReplies } from '../fixtures/address/passive-replies.js';
import { expectAddressError } from './helpers.js';

describe('parsePasvReply', () => {
  it.each(pasvReplies)('reads $source: $reply', ({ reply, host, port }) => {
    expect(parsePasvReply(reply)).toEqual({ host, port });
    expect(parsePasvReply(`${reply}\r\n`)).toEqual({ host, port });
  });

  it('reads a Reply from @ftpwire/reply', () => {
    const reply = parseReply('227 Entering Passive Mode (127,0,0,2,117,51).\r\n');
    expect(parsePasvReply(reply)).toEqual({ host: '127.0.0.2', port: 30003 });
  });

  it('reads a multi-line 227, the tuple on any line', () => {
    const reply = parseReply('227-Entering Passive Mode\r\n 10,0,1,121,15,6\r\n227 OK\r\n');
    expect(parsePasvReply(reply)).toEqual({ host: '10.0.1.121', port: 3846 });
    expect(parsePasvReply('227-Passive\r\n227 (10,0,1,121,15,6)')).toEqual({
      host: '10.0.1.121',
      port: 3846,
    });
  });

  it('skips numbers that are not followed by a comma', () => {
    expect(parsePasvReply('227 Entering Passive Mode 2 (10,0,1,121,15,6)')).toEqual({
      host: '10.0.1.121',
      port: 3846,
    });
  });

  it.each([
    ['227 Entering Passive Mode (10,0,1,121,15,6,7)', 42, 'a seventh number (ftplib ignores it)'],
    ['227 Entering Passive Mode (10,0,1,121,15,6,)', 42, 'a trailing comma'],
    ['227 Entering Passive Mode (10,0,1,256,15,6)', 34, 'host byte over 255'],
    ['227 Entering Passive Mode (10,0,1,121,256,6)', 38, 'port byte over 255 (basic-ftp masks it)'],
    ['227 Entering Passive Mode (10,0,1,121,15,1000)', 41, 'port byte over 255'],
    ['227 Entering Passive Mode (-10,0,1,121,15,6)', 27, 'negative h1 (ftplib drops the sign)'],
    ['227 Entering Passive Mode (10,0,1,121,15,-6)', 41, 'negative p2'],
    ['227 Entering Passive Mode (,10,0,1,121,15,6)', 27, 'missing first number'],
    ['227 Entering Passive Mode (10,0,,121,15,6)', 32, 'missing number'],
    ['227 Entering Passive Mode (10,0,1,121,15)', 40, 'five numbers'],
    ['227 Entering Passive Mode (10,0,1,121,15,)', 41, 'missing last number'],
    ['227 Entering Passive Mode (010,0,1,121,15,6)', 27, 'leading zero: octal to inet_aton'],
    ['227 Entering Passive Mode', 3, 'no numbers'],
    ['227 Entering Passive Mode (10 0 1 121 15 6)', 3, 'no commas'],
    ['227', 3, 'code alone'],
    ['227Entering Passive Mode (10,0,1,121,15,6)', 3, 'no space after the code'],
    ['Entering Passive Mode (10,0,1,121,15,6)', 0, 'no code'],
    ['', 0, 'empty'],
  ])('refuses %j at offset %i (%s)', (reply, offset) => {
    expectAddressError(() => parsePasvReply(reply), 'ERR_INVALID_PASV_REPLY', offset);
  });

  it('refuses another reply code', () => {
    expectAddressError(
      () => parsePasvReply('500 PASV not understood'),
      'ERR_UNEXPECTED_REPLY_CODE',
      0,
    );
    expectAddressError(
      () => parsePasvReply(parseReply('229 Entering Extended Passive Mode (|||6446|)\r\n')),
      'ERR_UNEXPECTED_REPLY_CODE',
      0,
    );
  });

  it('counts offsets in a reply object from its first wire byte', () => {
    const reply = parseReply('227-Entering Passive Mode\r\n227 (10,0,1,121,15,600)\r\n');
    // "227-Entering Passive Mode" (25) + CRLF (2) + "227 (10,0,1,121,15," (19)
    expectAddressError(() => parsePasvReply(reply), 'ERR_INVALID_PASV_REPLY', 46);
  });

  it('says what was expected and quotes a bounded amount of the input', () => {
    const long = `227 Entering Passive Mode (10,0,1,121,15,6,${'7'.repeat(10_000)})`;
    const error = expectAddressError(() => parsePasvReply(long), 'ERR_INVALID_PASV_REPLY', 42);
    expect(error.message).toMatch(/seventh/);
    expect(error.message.length).toBeLessThan(200);
  });
});

describe('formatPasvReply', () => {
  it('writes the RFC 959 form with CRLF', () => {
    expect(formatPasvReply({ host: '193.21.1.121', port: 3846 })).toBe(
      '227 Entering Passive Mode (193,21,1,121,15,6).\r\n',
    );
    expect(formatPasvReply({ host: '10.0.0.1', port: 1 }, 'PASV OK')).toBe(
      '227 PASV OK (10,0,0,1,0,1).\r\n',
    );
  });

  it.each([
    ['Entering Passive Mode 2', 'a digit would be read as the address'],
    ['Entering (Passive) Mode', 'parentheses'],
    ['Entering\r\n227 Passive', 'CRLF injection'],
    ['Entering\0', 'NUL'],
  ])('refuses text %j (%s)', (text) => {
    expectAddressError(
      () => formatPasvReply({ host: '10.0.0.1', port: 21 }, text),
      'ERR_INVALID_TEXT',
    );
  });

  it('refuses an IPv6 host and a port out of range', () => {
    expectAddressError(() => formatPasvReply({ host: '::1', port: 21 }), 'ERR_INVALID_HOST');
    expectAddressError(
      () => formatPasvReply({ host: '10.0.0.1', port: 70000 }),
      'ERR_INVALID_PORT',
    );
  });
});
