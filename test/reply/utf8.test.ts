import { parseReply, ReplyParser } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { chunksOf, concat, latin1, parseChunks, utf8 } from './helpers.ts';

const CRLF = Uint8Array.of(0x0d, 0x0a);

describe('UTF-8 reply text (RFC 2640)', () => {
  it('decodes UTF-8 path names', () => {
    const line = '257 "/données/ファイル 📁" is the current directory';
    const reply = parseReply(utf8(`${line}\r\n`));
    expect(reply.lines).toEqual([line]);
    expect(reply.rawLines).toEqual([utf8(line)]);
  });

  it('decodes a character whose bytes are split across chunks', () => {
    const wire = utf8('250-Répertoire ファイル\r\n250 OK\r\n');
    for (const size of [1, 2, 3, 5]) {
      expect(parseChunks(chunksOf(wire, size))[0]?.lines).toEqual([
        '250-Répertoire ファイル',
        '250 OK',
      ]);
    }
  });

  it('tells an encoded U+FFFD (valid UTF-8, kept as text) from bytes that are not UTF-8', () => {
    const literal = utf8('550 \ufffd is not a file\r\n');
    const invalid = concat([utf8('550 '), Uint8Array.of(0xff), utf8(' is not a file\r\n')]);
    for (const size of [1, 4, 1000]) {
      const [fromLiteral] = parseChunks(chunksOf(literal, size));
      const [fromInvalid] = parseChunks(chunksOf(invalid, size));
      expect(fromLiteral?.lines).toEqual(fromInvalid?.lines);
      expect(fromLiteral?.rawLines[0]).toEqual(literal.subarray(0, literal.length - 2));
      expect(fromInvalid?.rawLines[0]).toEqual(invalid.subarray(0, invalid.length - 2));
    }
  });

  it('decodes lines of a chunk that ends inside a character', () => {
    const wire = utf8('220 a\r\n230 é\r\n');
    const cut = wire.length - 3; // inside "é"
    const parser = new ReplyParser();
    expect(parser.push(wire.subarray(0, cut)).map((reply) => reply.lines)).toEqual([['220 a']]);
    expect(parser.push(wire.subarray(cut)).map((reply) => reply.lines)).toEqual([['230 é']]);
  });

  it('keeps invalid UTF-8 losslessly in rawLines and shows U+FFFD in lines', () => {
    // GB2312 bytes of a Pure-FTPd banner (not UTF-8), a lone Latin-1 "é", an overlong "/",
    // a UTF-16 surrogate encoded as UTF-8 (CESU-8): all invalid UTF-8.
    const bad = [
      latin1('220-\xbb\xb6\xd3\xad\xc0\xb4\xb5\xbd Pure-FTPd'),
      latin1(' caf\xe9'),
      latin1(' \xc0\xaf'),
      latin1(' \xed\xa0\x80'),
    ];
    const wire = concat([...bad.flatMap((line) => [line, CRLF]), utf8('220 ok é\r\n')]);
    for (const chunks of [[wire], chunksOf(wire, 1), chunksOf(wire, 4)]) {
      const [reply] = parseChunks(chunks);
      expect(reply?.rawLines).toEqual([...bad, utf8('220 ok é')]);
      expect(reply?.lines.slice(0, 4).every((line) => line.includes('\ufffd'))).toBe(true);
      expect(reply?.lines[1]).toBe(' caf\ufffd');
      expect(reply?.lines[4]).toBe('220 ok é');
    }
  });

  it('keeps a byte-order mark and control bytes as they are', () => {
    const line = concat([latin1('211-'), Uint8Array.of(0xef, 0xbb, 0xbf), latin1('x\x00\x01\x7f')]);
    const reply = parseReply(concat([line, latin1('\r\n\xef\xbb\xbf mid\r\n211 end\r\n')]));
    expect(reply.lines[0]).toBe('211-\ufeffx\u0000\u0001\u007f');
    expect(reply.lines[1]).toBe('\ufeff mid');
    expect(reply.rawLines[0]).toEqual(line);
  });
});
