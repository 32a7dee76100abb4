import { formatPathnameReply, parsePathnameReply, parseReply } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { pathnameReplies } from '../fixtures/reply-meanings.ts';
import { replyErrorOf } from './helpers.ts';

describe('parsePathnameReply', () => {
  it.each(pathnameReplies.filter((f) => f.path !== undefined))(
    'reads the path of $source',
    ({ reply, path }) => {
      expect(parsePathnameReply(reply)).toBe(path);
      expect(parsePathnameReply(`${reply}\r\n`)).toBe(path);
      expect(parsePathnameReply(parseReply(reply))).toBe(path);
    },
  );

  it('reads "" inside the quotes as one ", at any place in the name', () => {
    expect(parsePathnameReply('257 """" x')).toBe('"');
    expect(parsePathnameReply('257 """a""b""" x')).toBe('"a"b"');
    expect(parsePathnameReply('257 "a"""')).toBe('a"');
    expect(parsePathnameReply('257 "a""""""b"')).toBe('a"""b');
  });

  it('ends the name at the first lone quote and ignores the rest, quotes included', () => {
    expect(parsePathnameReply('257 "/a" is "/b"')).toBe('/a');
    expect(parsePathnameReply('257 "/a"')).toBe('/a');
    expect(parsePathnameReply('257 "/a"x')).toBe('/a');
  });

  it('keeps the name as quoted: spaces, non-ASCII, no trimming', () => {
    expect(parsePathnameReply('257 " /my files/ " ok')).toBe(' /my files/ ');
    expect(parsePathnameReply('257 "/données/日本" ok')).toBe('/données/日本');
    expect(parsePathnameReply('257 "C:\\Users\\anna" ok')).toBe('C:\\Users\\anna');
  });

  it('skips text before the opening quote, as curl does', () => {
    expect(parsePathnameReply('257 Current directory is "/home"')).toBe('/home');
    expect(parsePathnameReply('257 MKD: "/x" created')).toBe('/x');
  });

  it('reads the first line of a multi-line 257, whether given as text or as a Reply', () => {
    const wire = '257-"/home/anna" is the current directory\r\n257 "/other" End\r\n';
    expect(parsePathnameReply(wire)).toBe('/home/anna');
    expect(parsePathnameReply(parseReply(wire))).toBe('/home/anna');
    const error = replyErrorOf(() => parsePathnameReply('257-Status\r\n "/home"\r\n257 End'));
    expect(error.code).toBe('ERR_INVALID_PATHNAME_REPLY');
  });

  it('refuses a 257 without a quoted name, an unclosed name or an empty one', () => {
    for (const [reply, offset] of [
      ['257 MKD command successful.', 4],
      ['257', 3],
      ['257 ', 4],
      ['257 "/home', 10],
      ['257 "/home"" is', 15],
      ['257 "', 5],
      ['257 "" is', 4],
    ] as const) {
      const error = replyErrorOf(() => parsePathnameReply(reply));
      expect([reply, error.code, error.offset]).toEqual([
        reply,
        'ERR_INVALID_PATHNAME_REPLY',
        offset,
      ]);
    }
  });

  it('refuses a name with CR or NUL in it, at that character', () => {
    // A lone CR does not end a line (RFC 959 lines end with CRLF), so a Reply can carry one.
    const error = replyErrorOf(() => parsePathnameReply(parseReply('257 "/a\rb" x')));
    expect([error.code, error.offset]).toEqual(['ERR_INVALID_PATHNAME_REPLY', 7]);
    const nul = replyErrorOf(() => parsePathnameReply('257 "/a\u0000b" x'));
    expect([nul.code, nul.offset]).toEqual(['ERR_INVALID_PATHNAME_REPLY', 7]);
  });

  it('refuses another code, before reading the text', () => {
    for (const reply of [
      '550 "/home": Permission denied.',
      parseReply('550 "/home": Permission denied.\r\n'),
      '250 "/home" is the current directory',
      '2570 "/home"',
    ]) {
      const error = replyErrorOf(() => parsePathnameReply(reply));
      expect(['ERR_UNEXPECTED_REPLY_CODE', 'ERR_MALFORMED_REPLY']).toContain(error.code);
    }
    expect(replyErrorOf(() => parsePathnameReply('550 "/x"')).message).toBe(
      'expected a 257 reply, got 550',
    );
  });

  it('quotes at most 40 bytes of the reply in its message', () => {
    const error = replyErrorOf(() => parsePathnameReply(`257 "${'a'.repeat(5000)}`));
    expect(error.message.length).toBeLessThan(150);
  });
});

describe('formatPathnameReply', () => {
  it('quotes the path, doubles its quotes and adds the commentary', () => {
    expect(formatPathnameReply('/')).toBe('257 "/" is the current directory\r\n');
    expect(formatPathnameReply('/upload/new', 'created')).toBe('257 "/upload/new" created\r\n');
    expect(formatPathnameReply('/say "hi"')).toBe('257 "/say ""hi""" is the current directory\r\n');
    expect(formatPathnameReply('"', '')).toBe('257 """"\r\n');
  });

  it('writes what vsftpd wrote for the same directory', () => {
    const path = '/tmp/meanings-vsftpd/root/say "hi"';
    expect(formatPathnameReply(path)).toBe(`${pathnameReplies[1]!.reply}\r\n`);
  });

  it('refuses an empty path and CR, LF or NUL in the path or the text', () => {
    for (const [path, text, offset] of [
      ['', undefined, 0],
      ['/a\rb', undefined, 2],
      ['/a\nb', undefined, 2],
      ['/a\u0000b', undefined, 2],
      ['/a', 'ok\r\n226 Done', 2],
      ['/a', '\u0000', 0],
    ] as const) {
      const error = replyErrorOf(() => formatPathnameReply(path, text));
      expect([error.code, error.offset]).toEqual(['ERR_INVALID_TEXT', offset]);
    }
  });
});
