import { parseReply, type Reply } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { utf8 } from './helpers.ts';

describe('Reply.text', () => {
  it('is the text after "ddd " of a single-line reply, empty for "ddd"', () => {
    expect(parseReply('227 Entering Passive Mode (127,0,0,2,117,51).').text).toBe(
      'Entering Passive Mode (127,0,0,2,117,51).',
    );
    expect(parseReply('200').text).toBe('');
  });

  it('drops the opening "ddd-" and closing "ddd ", keeps middle lines as sent, joins with "\\n"', () => {
    expect(parseReply('211-Features:\r\n EPSV\r\n PASV\r\n211 End\r\n').text).toBe(
      'Features:\n EPSV\n PASV\nEnd',
    );
  });

  it('drops a "ddd-" that repeats the code on a middle line (Pure-FTPd, IIS, FileZilla style)', () => {
    const wire =
      '220---------- Welcome ----------\r\n220-You are user number 1.\r\n220-\r\n220 Bye.\r\n';
    expect(parseReply(wire).text).toBe(
      '--------- Welcome ----------\nYou are user number 1.\n\nBye.',
    );
  });

  it('keeps middle lines that start with another code, or the code without a hyphen', () => {
    const wire = '211-a\r\n212-other\r\n230 other\r\n2110\r\n 211 padded\r\n211 z\r\n';
    expect(parseReply(wire).text).toBe('a\n212-other\n230 other\n2110\n 211 padded\nz');
  });

  it('is derived once and cached', () => {
    const reply = parseReply('220-a\r\n220 b');
    expect(reply.text).toBe(reply.text);
  });
});

describe('Reply.rawLines', () => {
  it('are the bytes of each wire line without CRLF', () => {
    const reply = parseReply(utf8('211-Features:\r\n UTF8\r\n211 End\r\n'));
    expect(reply.rawLines).toEqual([utf8('211-Features:'), utf8(' UTF8'), utf8('211 End')]);
    expect(reply.rawLines).toBe(reply.rawLines);
  });
});

describe('Reply shape', () => {
  it('has code, lines, text, rawLines and offset; JSON keeps code and lines', () => {
    const reply: Reply = parseReply('230-Welcome\r\n230 Logged in\r\n');
    expect(reply.code).toBe(230);
    expect(reply.lines).toEqual(['230-Welcome', '230 Logged in']);
    expect(reply.offset).toBe(0);
    expect(JSON.parse(JSON.stringify(reply))).toEqual({
      code: 230,
      lines: ['230-Welcome', '230 Logged in'],
    });
  });
});
