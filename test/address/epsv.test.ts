import { formatEpsvReply, parseEpsvReply } from '@ftpwire/address';
import { parseReply } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { epsvReplies } from '../fixtures/address/passive-replies.js';
import { expectAddressError } from './helpers.js';

describe('parseEpsvReply', () => {
  it.each(epsvReplies)('reads $source: $reply', ({ reply, port }) => {
    expect(parseEpsvReply(reply)).toBe(port);
    expect(parseEpsvReply(`${reply}\r\n`)).toBe(port);
    expect(parseEpsvReply(parseReply(`${reply}\r\n`))).toBe(port);
  });

  it('accepts any delimiter from ASCII 33 to 126 except digits, used four times', () => {
    for (let unit = 33; unit <= 126; unit++) {
      const d = String.fromCharCode(unit);
      const reply = `229 Entering Extended Passive Mode (${d}${d}${d}6446${d})`;
      if (unit >= 0x30 && unit <= 0x39) {
        expectAddressError(() => parseEpsvReply(reply), 'ERR_INVALID_EPSV_REPLY');
      } else {
        expect(parseEpsvReply(reply)).toBe(6446);
      }
    }
  });

  it('reads port 1, zero-padded ports and skips a "(" that opens no port', () => {
    expect(parseEpsvReply('229 Entering Extended Passive Mode (|||1|)')).toBe(1);
    expect(parseEpsvReply('229 Entering Extended Passive Mode (|||06446|)')).toBe(6446);
    expect(parseEpsvReply('229 Entering (EPSV) Extended Passive Mode (|||6446|)')).toBe(6446);
    expect(parseEpsvReply('229-Extended Passive\r\n229 (|||6446|)')).toBe(6446);
  });

  it.each([
    ['229 Entering Extended Passive Mode (|||65536|)', 39, 'port over 65535'],
    [
      '229 Entering Extended Passive Mode (|||99999999999999999999|)',
      39,
      'huge port does not wrap',
    ],
    ['229 Entering Extended Passive Mode (|||-1|)', 39, 'negative port'],
    ['229 Entering Extended Passive Mode (||||)', 39, 'missing port'],
    ['229 Entering Extended Passive Mode (|||6446!)', 43, 'closing delimiter differs'],
    ['229 Entering Extended Passive Mode (|||6446|', 44, 'no ")"'],
    ['229 Entering Extended Passive Mode (|||6446)', 43, 'no closing delimiter'],
    ['229 Entering Extended Passive Mode (|||6446 |)', 43, 'space after the port'],
    [
      '229 Entering Extended Passive Mode (|1|::1|6446|)',
      3,
      'protocol and address fields must be empty',
    ],
    ['229 Entering Extended Passive Mode (|2||6446|)', 3, 'protocol field must be empty'],
    ['229 Entering Extended Passive Mode |||6446|', 3, 'no parentheses'],
    ['229 Entering Extended Passive Mode', 3, 'no port at all'],
    ['229 Entering Extended Passive Mode (   6446 )', 3, 'spaces are not delimiters'],
    ['229Entering Extended Passive Mode (|||6446|)', 3, 'no space after the code'],
    ['', 0, 'empty'],
  ])('refuses %j at offset %i (%s)', (reply, offset) => {
    expectAddressError(() => parseEpsvReply(reply), 'ERR_INVALID_EPSV_REPLY', offset);
  });

  it('refuses another reply code', () => {
    expectAddressError(
      () => parseEpsvReply('227 Entering Passive Mode (10,0,1,121,15,6)'),
      'ERR_UNEXPECTED_REPLY_CODE',
    );
    expectAddressError(
      () => parseEpsvReply(parseReply('500 EPSV not understood\r\n')),
      'ERR_UNEXPECTED_REPLY_CODE',
    );
  });
});

describe('formatEpsvReply', () => {
  it('writes the RFC 2428 form with CRLF', () => {
    expect(formatEpsvReply(30004)).toBe('229 Entering Extended Passive Mode (|||30004|)\r\n');
    expect(formatEpsvReply(1, 'EPSV OK')).toBe('229 EPSV OK (|||1|)\r\n');
    expect(formatEpsvReply(65535)).toBe('229 Entering Extended Passive Mode (|||65535|)\r\n');
  });

  it('refuses a port out of range and text that breaks the reply', () => {
    expectAddressError(() => formatEpsvReply(65536), 'ERR_INVALID_PORT');
    expectAddressError(() => formatEpsvReply(-1), 'ERR_INVALID_PORT');
    expectAddressError(() => formatEpsvReply(0), 'ERR_INVALID_PORT');
    expectAddressError(() => formatEpsvReply(1.5), 'ERR_INVALID_PORT');
    expectAddressError(() => formatEpsvReply(21, 'EPSV (ok)'), 'ERR_INVALID_TEXT');
    expectAddressError(() => formatEpsvReply(21, 'a\r\n229 (|||22|)'), 'ERR_INVALID_TEXT');
  });
});
