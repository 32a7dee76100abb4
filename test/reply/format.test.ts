import { formatReply, parseReply, ReplyError } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { replyErrorOf } from './helpers.ts';

describe('formatReply', () => {
  it('formats one line from a string or a one-element array, with CRLF', () => {
    expect(formatReply(227, 'Entering Passive Mode (10,0,1,121,15,6).')).toBe(
      '227 Entering Passive Mode (10,0,1,121,15,6).\r\n',
    );
    expect(formatReply(220, ['(vsFTPd 3.0.3)'])).toBe('220 (vsFTPd 3.0.3)\r\n');
    expect(formatReply(200, '')).toBe('200 \r\n');
  });

  it('formats several lines as a multi-line reply (RFC 959 §4.2)', () => {
    expect(formatReply(211, ['Features:', ' SIZE', 'End'])).toBe(
      '211-Features:\r\n SIZE\r\n211 End\r\n',
    );
    expect(formatReply(230, ['Welcome', 'Logged in'])).toBe('230-Welcome\r\n230 Logged in\r\n');
  });

  it("pads middle lines that begin with three digits, as RFC 959's example does", () => {
    const wire = formatReply(123, [
      'First line',
      'Second line',
      '234 A line beginning with numbers',
      'The last line',
    ]);
    expect(wire).toBe(
      '123-First line\r\nSecond line\r\n 234 A line beginning with numbers\r\n123 The last line\r\n',
    );
  });

  it('pads every middle line that begins with three digits: the code itself, a code alone, more digits', () => {
    const wire = formatReply(211, ['Status:', '211 End', '211', '2110', '999-x', 'End']);
    expect(wire.split('\r\n')).toEqual([
      '211-Status:',
      ' 211 End',
      ' 211',
      ' 2110',
      ' 999-x',
      '211 End',
      '',
    ]);
    expect(parseReply(wire).lines).toHaveLength(6);
  });

  it('leaves alone middle lines with fewer than three leading digits, or digits after a space', () => {
    const wire = formatReply(211, ['a', '21 x', '2', ' 211 x', 'x211', '', 'b']);
    expect(wire.split('\r\n')).toEqual(['211-a', '21 x', '2', ' 211 x', 'x211', '', '211 b', '']);
  });

  it('does not pad the first and the last line, which carry the code already', () => {
    expect(formatReply(211, ['123', '456'])).toBe('211-123\r\n211 456\r\n');
  });

  it.each([
    ['CR', 'a\rb'],
    ['LF', 'a\nb'],
    ['CRLF', 'a\r\n227 Entering Passive Mode (6,6,6,6,0,21)'],
    ['NUL', 'a\u0000b'],
  ])('refuses %s inside the text (reply injection) with ERR_INVALID_TEXT', (_name, bad) => {
    for (const text of [bad, [bad], [bad, 'ok'], ['ok', bad, 'ok'], ['ok', bad]]) {
      const error = replyErrorOf(() => formatReply(200, text));
      expect(error.code).toBe('ERR_INVALID_TEXT');
      expect(error.offset).toBe(1); // the character's index in its line
    }
  });

  it('refuses an empty array of lines', () => {
    expect(replyErrorOf(() => formatReply(200, [])).code).toBe('ERR_INVALID_TEXT');
  });

  it.each([0, 99, 600, 631, 700, 1000, -200, 200.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses code %s with ERR_INVALID_CODE',
    (code) => {
      const error = replyErrorOf(() => formatReply(code, 'x'));
      expect(error).toBeInstanceOf(ReplyError);
      expect(error.code).toBe('ERR_INVALID_CODE');
    },
  );

  it('accepts the boundary codes 100 and 599', () => {
    expect(formatReply(100, 'x')).toBe('100 x\r\n');
    expect(formatReply(599, 'x')).toBe('599 x\r\n');
  });

  it('keeps non-ASCII text as it is (the caller sends it as UTF-8, RFC 2640)', () => {
    expect(formatReply(257, '"/ファイル" is the current directory')).toBe(
      '257 "/ファイル" is the current directory\r\n',
    );
  });
});
