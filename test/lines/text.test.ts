import { LineError, LineSplitter, type TextLineHandler } from '@ftpwire/lines';
import { describe, expect, it } from 'vitest';
import { chunksOf, concat, latin1, utf8 } from './helpers.ts';

interface TextLine {
  text: string;
  offset: number;
  undecodable: number[] | undefined;
}

function textLines(chunks: readonly Uint8Array[], maxLineLength?: number): TextLine[] {
  const seen: TextLine[] = [];
  const onTextLine: TextLineHandler = (text, start, end, offset, undecodable) =>
    seen.push({
      text: text.slice(start, end),
      offset,
      undecodable: undecodable && [...undecodable],
    });
  const splitter = new LineSplitter({
    onTextLine,
    ...(maxLineLength === undefined ? {} : { maxLineLength }),
  });
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return seen;
}

describe('LineSplitter onTextLine', () => {
  it('gives ranges of one string per chunk, with byte offsets', () => {
    const ranges: [string, number, number, number][] = [];
    const splitter = new LineSplitter({
      onTextLine: (text, start, end, offset) => ranges.push([text, start, end, offset]),
    });
    splitter.push(utf8('220 ready\r\n331 é\r\n230 in\r\n'));
    expect(ranges.map(([text, start, end]) => text.slice(start, end))).toEqual([
      '220 ready',
      '331 é',
      '230 in',
    ]);
    // One decode for the chunk: every range is of the same string.
    expect(new Set(ranges.map(([text]) => text)).size).toBe(1);
    // Offsets count bytes: "331 é\r\n" is 7 characters but 8 bytes, so "230" starts at 19.
    expect(ranges.map(([, , , offset]) => offset)).toEqual([0, 11, 19]);
  });

  it('decodes a character split across chunks, and a line spanning chunks', () => {
    const wire = utf8('250-Répertoire ファイル\r\n250 📁 OK\r\n');
    for (const size of [1, 2, 3, 5, 7]) {
      expect(textLines(chunksOf(wire, size)).map((line) => line.text)).toEqual([
        '250-Répertoire ファイル',
        '250 📁 OK',
      ]);
    }
  });

  it('hands over the bytes of a line that is not UTF-8, and only of that line', () => {
    const wire = latin1('550 caf\xe9\r\n226 ok\r\n');
    const lines = textLines([wire]);
    expect(lines).toEqual([
      { text: '550 caf\ufffd', offset: 0, undecodable: [...latin1('550 caf\xe9')] },
      { text: '226 ok', offset: 10, undecodable: undefined },
    ]);
  });

  it('tells an encoded U+FFFD from bytes that are not UTF-8', () => {
    const lines = textLines([utf8('250 \ufffd\r\n'), latin1('250 \xff\r\n')]);
    expect(lines.map((line) => line.undecodable !== undefined)).toEqual([false, true]);
  });

  it('keeps the n-th line with the n-th LF when a replacement stands before a line end', () => {
    // A lone continuation byte right before CRLF, and a truncated sequence before LF.
    const wire = Uint8Array.of(0x41, 0x80, 0x0d, 0x0a, 0x42, 0xe3, 0x81, 0x0a, 0x43, 0x0a);
    for (const size of [1, 2, 3, wire.length]) {
      expect(textLines(chunksOf(wire, size)).map(({ text, offset }) => [text, offset])).toEqual([
        ['A\ufffd', 0],
        ['B\ufffd', 4],
        ['C', 8],
      ]);
    }
  });

  it('counts maxLineLength in bytes, not UTF-16 units', () => {
    // Four three-byte characters: 4 units, 12 bytes.
    expect(() => textLines([utf8('ファイル\r\n')], 11)).toThrowError(LineError);
    expect(textLines([utf8('ファイル\r\n')], 12).map((line) => line.text)).toEqual(['ファイル']);
  });

  it('delivers the last line without terminator at end()', () => {
    expect(textLines([utf8('221 bye')])).toEqual([
      { text: '221 bye', offset: 0, undecodable: undefined },
    ]);
  });

  it('yields to onLineRange when both are given', () => {
    let texts = 0;
    let ranges = 0;
    const splitter = new LineSplitter({ onTextLine: () => texts++, onLineRange: () => ranges++ });
    splitter.push(utf8('a\nb\n'));
    expect([texts, ranges]).toEqual([0, 2]);
  });

  it('keeps lines and Telnet commands in stream order', () => {
    const order: string[] = [];
    const splitter = new LineSplitter({
      telnet: true,
      onTextLine: (text, start, end) => order.push(text.slice(start, end)),
      onTelnetCommand: (command) => order.push(`IAC ${command.command}`),
    });
    splitter.push(Uint8Array.of(0x41, 0x0a, 0xff, 0xf4, 0x42, 0xff, 0xff, 0x0a));
    expect(order).toEqual(['A', 'IAC 244', 'B\ufffd']);
  });
});

describe('LineSplitter onTextLine on large chunks (decoded a window at a time)', () => {
  /** Lines of every kind, some longer than a decode window, in one big stream. */
  function bigStream(): Uint8Array {
    const parts: Uint8Array[] = [];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 8;
    };
    for (let i = 0; i < 3000; i++) {
      const kind = next() % 10;
      if (kind === 0) parts.push(utf8(`250 ${'ファイル'.repeat(next() % 400)}\r\n`));
      else if (kind === 1) parts.push(latin1(`550 caf\xe9 ${'x'.repeat(next() % 6000)}\n`));
      else if (kind === 2) parts.push(utf8(`150 ${'y'.repeat(4090 + (next() % 12))}\r\n`));
      else parts.push(utf8(`226 Transfer complete ${next() % 1000}\r\n`));
    }
    return concat(parts);
  }

  it('gives the lines onLine gives, decoded, whatever the chunk size', () => {
    const wire = bigStream();
    const fatal = new TextDecoder('utf-8', { fatal: true });
    const lenient = new TextDecoder('utf-8');
    const expected: TextLine[] = [];
    const reference = new LineSplitter({
      onLine: (line, offset) => {
        let text: string;
        let undecodable: number[] | undefined;
        try {
          text = fatal.decode(line);
        } catch {
          text = lenient.decode(line);
          undecodable = [...line];
        }
        expected.push({ text, offset, undecodable });
      },
    });
    reference.push(wire);
    reference.end();
    expect(expected.length).toBe(3000);
    for (const size of [65536, 8191, 4096, 1460, wire.length]) {
      expect(textLines(chunksOf(wire, size))).toEqual(expected);
    }
  });
});
