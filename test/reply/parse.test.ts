import { LineError } from '@ftpwire/lines';
import { parseReply, type Reply, ReplyError, ReplyParser } from '@ftpwire/reply';
import { parseControlResponse } from 'basic-ftp/dist/parseControlResponse.js';
import { describe, expect, it } from 'vitest';
import { chunksOf, latin1, parseChunks, replyErrorOf, summary, utf8 } from './helpers.ts';

const crlf = (...lines: string[]): string => lines.map((line) => `${line}\r\n`).join('');

describe('ReplyParser single-line replies', () => {
  it('reads "ddd text"', () => {
    const [reply] = parseChunks([utf8('220 (vsFTPd 3.0.3)\r\n')]);
    expect(summary(reply!)).toEqual({ code: 220, lines: ['220 (vsFTPd 3.0.3)'] });
    expect(reply?.text).toBe('(vsFTPd 3.0.3)');
    expect(reply?.offset).toBe(0);
  });

  it('reads a code alone, "ddd"', () => {
    expect(parseChunks([utf8('200\r\n')]).map(summary)).toEqual([{ code: 200, lines: ['200'] }]);
  });

  it('reads "ddd " with empty text', () => {
    expect(parseChunks([utf8('200 \r\n')]).map((r) => [r.code, r.text])).toEqual([[200, '']]);
  });

  it('accepts every code from 100 to 699 (6yz: RFC 2228 protected replies)', () => {
    const codes = Array.from({ length: 600 }, (_, i) => 100 + i);
    const wire = codes.map((code) => `${code} x\r\n`).join('');
    expect(parseChunks([utf8(wire)]).map((reply) => reply.code)).toEqual(codes);
  });

  it('reads several replies from one chunk, each with its offset', () => {
    const replies = parseChunks([
      utf8(crlf('150 Here comes the directory listing.', '226 Directory send OK.')),
    ]);
    expect(replies.map((reply) => [reply.code, reply.offset])).toEqual([
      [150, 0],
      [226, 39],
    ]);
  });
});

describe('ReplyParser multi-line replies (RFC 959 §4.2)', () => {
  it('opens with "ddd-" and closes with the same code and a space', () => {
    const wire = crlf('211-Features:', ' EPSV', ' PASV', '211 End');
    const [reply] = parseChunks([utf8(wire)]);
    expect(summary(reply!)).toEqual({
      code: 211,
      lines: ['211-Features:', ' EPSV', ' PASV', '211 End'],
    });
  });

  it('closes with exactly the code alone', () => {
    const [reply] = parseChunks([utf8(crlf('211-Features:', ' EPSV', '211'))]);
    expect(reply?.lines).toEqual(['211-Features:', ' EPSV', '211']);
  });

  it('lets middle lines be anything: other codes, "ddd-", digits, empty lines, the same code with a hyphen', () => {
    const middle = [
      '230 another code with a space',
      '230-another code with a hyphen',
      '211-the same code with a hyphen',
      '2110 the code then a digit',
      '211x the code then a letter',
      '21 two digits',
      '1234',
      '',
      '  234 A line beginning with numbers',
      '\t211 a tab first',
      '211\tthe code then a tab',
      '220-',
    ];
    const wire = crlf('211-Status:', ...middle, '211 End');
    for (const chunks of [[utf8(wire)], chunksOf(utf8(wire), 1)]) {
      const replies = parseChunks(chunks);
      expect(replies.map(summary)).toEqual([
        { code: 211, lines: ['211-Status:', ...middle, '211 End'] },
      ]);
    }
  });

  it('parses the multi-line example of RFC 959 §4.2', () => {
    const wire = crlf(
      '123-First line',
      'Second line',
      '  234 A line beginning with numbers',
      '123 The last line',
    );
    const [reply] = parseChunks([utf8(wire)]);
    expect(reply?.code).toBe(123);
    expect(reply?.lines).toHaveLength(4);
    expect(reply?.text).toBe(
      'First line\nSecond line\n  234 A line beginning with numbers\nThe last line',
    );
  });

  it('reads a multi-line reply then a single-line one', () => {
    const wire = crlf('230-Welcome', '230 Logged in', '215 UNIX Type: L8');
    expect(
      parseChunks([utf8(wire)]).map((reply) => [reply.code, reply.lines.length, reply.offset]),
    ).toEqual([
      [230, 2, 0],
      [215, 1, 28],
    ]);
  });
});

describe('ReplyParser malformed openings', () => {
  it.each([
    ['22 x', 'two digits'],
    ['2200', 'a fourth digit'],
    ['abc', 'no digits'],
    ['220x', 'a letter after the code'],
    ['', 'an empty line'],
    ['000 x', 'code 000'],
    ['099 x', 'code 099'],
    ['700 x', 'code 700'],
    ['999 x', 'code 999'],
    [' 220 x', 'a space first'],
    ['22', 'a short line'],
    ['220\tx', 'a tab after the code'],
  ])('refuses "%s" (%s) with ERR_MALFORMED_REPLY at the offset of the line', (line) => {
    const parser = new ReplyParser();
    parser.push(utf8('220 ok\r\n331 next\r\n'));
    const error = replyErrorOf(() => {
      parser.push(utf8(`${line}\r\n`));
      parser.end();
    });
    expect(error.code).toBe('ERR_MALFORMED_REPLY');
    expect(error.offset).toBe(18);
  });

  it('quotes the line in the message, escaped and cut to a few dozen bytes', () => {
    const error = replyErrorOf(() => parseChunks([latin1(`x"\\\x01\xff${'y'.repeat(100)}\r\n`)]));
    expect(error.message).toContain('"x\\x22\\x5c\\x01\\xff');
    expect(error.message).toContain('...');
    expect(error.message.length).toBeLessThan(250);
  });

  it('stays failed: later pushes and end() throw the same error', () => {
    const parser = new ReplyParser();
    const error = replyErrorOf(() => parser.push(utf8('hello\r\n')));
    expect(replyErrorOf(() => parser.push(utf8('220 ok\r\n')))).toBe(error);
    expect(replyErrorOf(() => parser.end())).toBe(error);
  });

  it('delivers the replies before the malformed line to onReply before throwing', () => {
    const seen: number[] = [];
    const parser = new ReplyParser({ onReply: (reply) => seen.push(reply.code) });
    expect(() =>
      parser.push(utf8(crlf('220 ok', '230-a', '230 b', 'garbage', '200 later'))),
    ).toThrow(ReplyError);
    expect(seen).toEqual([220, 230]);
  });
});

describe('ReplyParser streaming', () => {
  it('delivers a reply only once its last line has ended', () => {
    const parser = new ReplyParser();
    expect(parser.push(utf8('227 Entering Pa'))).toEqual([]);
    expect(parser.idle).toBe(false);
    expect(parser.push(utf8('ssive Mode (127,0,0,2,117,51).'))).toEqual([]);
    const [reply] = parser.push(utf8('\r\n'));
    expect(reply?.lines).toEqual(['227 Entering Passive Mode (127,0,0,2,117,51).']);
    expect(parser.idle).toBe(true);
  });

  it('holds an open multi-line reply until its closing line', () => {
    const parser = new ReplyParser();
    expect(parser.push(utf8('211-Features:\r\n EPSV\r\n'))).toEqual([]);
    expect(parser.idle).toBe(false);
    expect(parser.push(utf8('211 End')).length).toBe(0);
    expect(parser.push(utf8('\r\n')).map((reply) => reply.lines.length)).toEqual([3]);
    expect(parser.idle).toBe(true);
  });

  it('returns replies from push without a handler, and delivers them to onReply with one', () => {
    const seen: Reply[] = [];
    const parser = new ReplyParser({ onReply: (reply) => seen.push(reply) });
    expect(parser.push(utf8('220 a\r\n221 b\r\n'))).toEqual([]);
    expect(seen.map((reply) => reply.code)).toEqual([220, 221]);
  });

  it('fails for good when onReply throws, instead of losing the replies after it', () => {
    const seen: number[] = [];
    const boom = new Error('handler failed');
    const parser = new ReplyParser({
      onReply: (reply) => {
        seen.push(reply.code);
        if (seen.length === 1) throw boom;
      },
    });
    expect(() => parser.push(utf8('220 a\r\n221 b\r\n22'))).toThrow(boom);
    expect(() => parser.push(utf8('2 c\r\n'))).toThrow(boom);
    expect(() => parser.end()).toThrow(boom);
    expect(seen).toEqual([220]);
  });

  it('counts reply offsets across chunks', () => {
    const wire = utf8(crlf('220 ready', '230-Welcome', ' here', '230 in', '200 ok'));
    for (const size of [1, 3, 7, wire.length]) {
      expect(parseChunks(chunksOf(wire, size)).map((reply) => reply.offset)).toEqual([0, 11, 39]);
    }
  });

  it('flushes a last line without CRLF at end()', () => {
    const parser = new ReplyParser();
    expect(parser.push(utf8('211-a\r\n211 b'))).toEqual([]);
    expect(parser.end().map((reply) => reply.lines)).toEqual([['211-a', '211 b']]);
  });

  it('throws ERR_UNCLOSED_REPLY at end() inside a multi-line reply, at the end of the stream', () => {
    const parser = new ReplyParser();
    parser.push(utf8('220 ok\r\n211-Features:\r\n EPSV\r\n'));
    const error = replyErrorOf(() => parser.end());
    expect(error.code).toBe('ERR_UNCLOSED_REPLY');
    expect(error.offset).toBe(30);
    expect(error.message).toContain('211');
    expect(error.message).toContain('offset 8');
  });

  it('treats a reply ended by end() without any line end like any other', () => {
    expect(parseChunks([utf8('331 Please specify the password.')]).map((r) => r.code)).toEqual([
      331,
    ]);
  });

  it('decodes Telnet when asked (RFC 959 §4: the control connection is a Telnet connection)', () => {
    const commands: string[] = [];
    const bytes = Uint8Array.of(
      ...utf8('220 a'),
      0xff,
      0xff,
      ...utf8('b\r\n'),
      0xff,
      0xf1,
      ...utf8('221 c\r\n'),
    );
    const replies = parseChunks(chunksOf(bytes, 1), {
      telnet: true,
      onTelnetCommand: (command) => commands.push(command.name),
    });
    expect(replies.map((reply) => reply.rawLines[0])).toEqual([
      Uint8Array.of(...utf8('220 a'), 0xff, ...utf8('b')),
      utf8('221 c'),
    ]);
    expect(commands).toEqual(['NOP']);
    expect(replies[1]?.offset).toBe(9); // offsets count decoded bytes
  });
});

describe('ReplyParser limits', () => {
  const multi = (count: number): string =>
    crlf('211-first', ...Array.from({ length: count - 2 }, (_, i) => ` line ${i}`), '211 last');

  it('accepts 1024 lines in one reply by default', () => {
    expect(parseChunks([utf8(multi(1024))])[0]?.lines).toHaveLength(1024);
  });

  it('refuses line 1025 with ERR_TOO_MANY_LINES at the offset of that line', () => {
    const wire = multi(1025);
    const error = replyErrorOf(() => parseChunks([utf8(wire)]));
    expect(error.code).toBe('ERR_TOO_MANY_LINES');
    expect(error.offset).toBe(wire.lastIndexOf('211 last'));
    expect(error.message).toContain('1024');
  });

  it('applies a custom maxReplyLines', () => {
    expect(parseChunks([utf8(multi(3))], { maxReplyLines: 3 })[0]?.lines).toHaveLength(3);
    expect(replyErrorOf(() => parseChunks([utf8(multi(4))], { maxReplyLines: 3 })).code).toBe(
      'ERR_TOO_MANY_LINES',
    );
    expect(parseChunks([utf8('220 single\r\n')], { maxReplyLines: 1 })).toHaveLength(1);
  });

  it.each([0, -1, 2.5, Number.NaN])('refuses maxReplyLines %s with ERR_INVALID_OPTION', (value) => {
    expect(replyErrorOf(() => new ReplyParser({ maxReplyLines: value })).code).toBe(
      'ERR_INVALID_OPTION',
    );
  });

  it('refuses an invalid maxLineLength as a ReplyError ERR_INVALID_OPTION', () => {
    const error = replyErrorOf(() => new ReplyParser({ maxLineLength: 0 }));
    expect(error.code).toBe('ERR_INVALID_OPTION');
    expect(error.cause).toBeInstanceOf(LineError);
  });

  it('wraps ERR_LINE_TOO_LONG from @ftpwire/lines as a ReplyError with the LineError as cause', () => {
    const parser = new ReplyParser();
    parser.push(utf8('220 ok\r\n'));
    const error = replyErrorOf(() => parser.push(utf8('x'.repeat(9000))));
    expect(error).toBeInstanceOf(ReplyError);
    expect(error.code).toBe('ERR_LINE_TOO_LONG');
    expect(error.offset).toBe(8 + 8192);
    expect(error.cause).toBeInstanceOf(LineError);
    expect((error.cause as LineError).offset).toBe(error.offset);
    expect(replyErrorOf(() => parser.push(utf8('\r\n')))).toBe(error);
  });

  it('applies a custom maxLineLength', () => {
    expect(parseChunks([utf8('220 ab\r\n')], { maxLineLength: 6 })).toHaveLength(1);
    expect(replyErrorOf(() => parseChunks([utf8('220 abc\r\n')], { maxLineLength: 6 })).code).toBe(
      'ERR_LINE_TOO_LONG',
    );
  });
});

describe('parseReply', () => {
  it('parses exactly one reply, from a string or from bytes', () => {
    expect(summary(parseReply('220 ready\r\n'))).toEqual({ code: 220, lines: ['220 ready'] });
    expect(summary(parseReply(utf8('211-a\r\n b\r\n211 c\r\n')))).toEqual({
      code: 211,
      lines: ['211-a', ' b', '211 c'],
    });
  });

  it('does not require the final CRLF, and takes a bare LF', () => {
    expect(parseReply('220 ready').lines).toEqual(['220 ready']);
    expect(parseReply('211-a\r\n211 c').lines).toEqual(['211-a', '211 c']);
    expect(parseReply('211-a\n b\n211 c\n').lines).toEqual(['211-a', ' b', '211 c']);
  });

  it('throws ERR_TRAILING_DATA for a second reply, at its offset', () => {
    const error = replyErrorOf(() => parseReply('220 a\r\n221 b\r\n'));
    expect(error.code).toBe('ERR_TRAILING_DATA');
    expect(error.offset).toBe(7);
  });

  it('throws ERR_TRAILING_DATA for anything after the reply, with the underlying error as cause', () => {
    for (const tail of ['garbage', '\r\n', ' ', '211-open', 'x'.repeat(9000)]) {
      const error = replyErrorOf(() => parseReply(`220 a\r\n${tail}`));
      expect(error.code).toBe('ERR_TRAILING_DATA');
      expect(error.offset).toBe(7);
      expect(error.cause).toBeInstanceOf(ReplyError);
    }
  });

  it('throws ERR_UNCLOSED_REPLY for a multi-line reply without its closing line', () => {
    expect(replyErrorOf(() => parseReply('211-Features:\r\n EPSV\r\n')).code).toBe(
      'ERR_UNCLOSED_REPLY',
    );
    expect(replyErrorOf(() => parseReply('211-Features:\r\n212 End\r\n')).code).toBe(
      'ERR_UNCLOSED_REPLY',
    );
  });

  it('throws ERR_INCOMPLETE_REPLY for no reply at all', () => {
    for (const input of ['', new Uint8Array(0)]) {
      const error = replyErrorOf(() => parseReply(input));
      expect(error.code).toBe('ERR_INCOMPLETE_REPLY');
      expect(error.offset).toBe(0);
    }
  });

  it('throws ERR_MALFORMED_REPLY for a malformed first line', () => {
    expect(replyErrorOf(() => parseReply('hello\r\n')).code).toBe('ERR_MALFORMED_REPLY');
    expect(replyErrorOf(() => parseReply('\r\n')).code).toBe('ERR_MALFORMED_REPLY');
  });

  it('passes options on', () => {
    expect(replyErrorOf(() => parseReply('211-a\r\n b\r\n211 c', { maxReplyLines: 2 })).code).toBe(
      'ERR_TOO_MANY_LINES',
    );
    expect(replyErrorOf(() => parseReply('220 abcdef', { maxLineLength: 5 })).code).toBe(
      'ERR_LINE_TOO_LONG',
    );
  });
});

describe('regressions', () => {
  it("basic-ftp's parseControlResponse emits a chunk-cut line as a reply ('227 Entering Pa'): ours waits for the line end", () => {
    // basic-ftp 6.2.6 splits each received chunk on line ends and takes the last piece as a line,
    // so a TCP segment that ends inside a 227 reply yields a truncated, "complete" reply.
    const cut = '227 Entering Pa';
    expect(parseControlResponse(cut).messages).toEqual([cut]);

    const parser = new ReplyParser();
    expect(parser.push(utf8(cut))).toEqual([]);
    const [reply] = parser.push(utf8('ssive Mode (127,0,0,2,117,51).\r\n'));
    expect(reply?.text).toBe('Entering Passive Mode (127,0,0,2,117,51).');
  });

  it('a reply is never delivered before its line end, whatever the cut', () => {
    const wire = utf8('227 Entering Passive Mode (127,0,0,2,117,51).\r\n');
    for (let cut = 1; cut < wire.length - 1; cut++) {
      const parser = new ReplyParser();
      expect(parser.push(wire.subarray(0, cut))).toEqual([]);
      expect(parser.push(wire.subarray(cut)).map((reply) => reply.text)).toEqual([
        'Entering Passive Mode (127,0,0,2,117,51).',
      ]);
    }
  });
});

describe('ReplyParser lenientClose', () => {
  // glFTPd answering a STOR into a directory it excludes from its checks, as reported to
  // suppaftp (veeso/suppaftp#168): a 553- comment closed by the 150 that starts the transfer.
  const glftpd =
    '553-\r\n553- Directory excluded (precheck).\r\n150 Opening BINARY mode data connection for x using SSL/TLS.\r\n226 Transfer complete.\r\n';

  it('ends a multi-line reply at another code and a space, taking that code (as curl does)', () => {
    const replies = parseChunks([utf8(glftpd)], { lenientClose: true });
    expect(replies.map(summary)).toEqual([
      {
        code: 150,
        lines: [
          '553-',
          '553- Directory excluded (precheck).',
          '150 Opening BINARY mode data connection for x using SSL/TLS.',
        ],
      },
      { code: 226, lines: ['226 Transfer complete.'] },
    ]);
    expect(replies[0]!.text).toBe(
      '\n Directory excluded (precheck).\nOpening BINARY mode data connection for x using SSL/TLS.',
    );
    expect(replies[1]!.offset).toBe(glftpd.indexOf('226'));
  });

  it('is off by default: the reply stays open to the end of the stream', () => {
    const error = replyErrorOf(() => parseChunks([utf8(glftpd)]));
    expect(error.code).toBe('ERR_UNCLOSED_REPLY');
  });

  it('makes parseReply read the glFTPd reply as one', () => {
    const reply = parseReply('553-\r\n553- excluded\r\n150 Opening.\r\n', { lenientClose: true });
    expect(reply.code).toBe(150);
    expect(reply.lines).toHaveLength(3);
  });
});
