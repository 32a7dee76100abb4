import { DEFAULT_MAX_LINE_LENGTH, LineError, LineSplitter } from '@ftpwire/lines';
import { describe, expect, it } from 'vitest';
import { chunksOf, concat, latin1, lineErrorOf, show, splitAt } from './helpers.ts';

/** Pushes every chunk, then ends; returns the lines as strings. */
function split(chunks: readonly Uint8Array[], options = {}): string[] {
  const splitter = new LineSplitter(options);
  const lines = chunks.flatMap((chunk) => splitter.push(chunk));
  lines.push(...splitter.end());
  return lines.map(show);
}

/** Every way to cut `text` in two, plus one byte per chunk. */
function everySplit(text: string): Uint8Array[][] {
  const bytes = latin1(text);
  const ways = [chunksOf(bytes, 1), [bytes]];
  for (let cut = 0; cut <= bytes.length; cut++) ways.push(splitAt(bytes, [cut]));
  return ways;
}

describe('LineSplitter line ends', () => {
  it('ends a line at CRLF and delivers it without the terminator', () => {
    expect(split([latin1('220 ready\r\n331 next\r\n')])).toEqual(['220 ready', '331 next']);
  });

  it('ends a line at a bare LF (tolerated, RFC 959 asks for CRLF)', () => {
    expect(split([latin1('220 ready\n331 next\n')])).toEqual(['220 ready', '331 next']);
  });

  it('mixes CRLF and bare LF in one stream', () => {
    expect(split([latin1('a\r\nb\nc\r\n')])).toEqual(['a', 'b', 'c']);
  });

  it('keeps a lone CR inside a line as data', () => {
    expect(split([latin1('a\rb\r\n')])).toEqual(['a\rb']);
  });

  it('keeps a CR that ends a chunk as data when the next chunk does not start with LF', () => {
    expect(split([latin1('a\r'), latin1('b\r\n')])).toEqual(['a\rb']);
    expect(split([latin1('a\r'), latin1('b')])).toEqual(['a\rb']);
  });

  it('drops a CR that ends a chunk when the next chunk starts with LF', () => {
    expect(split([latin1('a\r'), latin1('\nb\r\n')])).toEqual(['a', 'b']);
  });

  it('drops only one CR before LF', () => {
    expect(split([latin1('a\r\r\n')])).toEqual(['a\r']);
    expect(split([latin1('a\r'), latin1('\r'), latin1('\n')])).toEqual(['a\r']);
  });

  it('delivers empty lines', () => {
    expect(split([latin1('\r\n\n\r\n')])).toEqual(['', '', '']);
  });

  it('gives the same lines for every split of the input', () => {
    const text = 'a\r\rb\r\n\r\nc\nd\re\r';
    const expected = ['a\r\rb', '', 'c', 'd\re\r'];
    for (const chunks of everySplit(text)) expect(split(chunks)).toEqual(expected);
  });

  it('ignores empty chunks', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(new Uint8Array(0))).toEqual([]);
    expect(splitter.push(latin1('a'))).toEqual([]);
    expect(splitter.push(new Uint8Array(0))).toEqual([]);
    expect(splitter.push(latin1('\n')).map(show)).toEqual(['a']);
    expect(splitter.offset).toBe(2);
  });
});

describe('LineSplitter views and copies', () => {
  it('hands out lines inside one chunk as views of that chunk (same buffer, no copy)', () => {
    const chunk = latin1('220 ready\r\n331 next\r\n');
    const [first, second] = new LineSplitter().push(chunk);
    expect(first?.buffer).toBe(chunk.buffer);
    expect(first?.byteOffset).toBe(chunk.byteOffset);
    expect(second?.buffer).toBe(chunk.buffer);
    expect(second?.byteOffset).toBe(chunk.byteOffset + 11);
    chunk[0] = 0x35; // a view sees writes to the chunk
    expect(show(first!)).toBe('520 ready');
  });

  it('hands out views to onLine as well', () => {
    const chunk = latin1('a\r\nb\r\n');
    const seen: Uint8Array[] = [];
    new LineSplitter({ onLine: (line) => seen.push(line) }).push(chunk);
    expect(seen.map((line) => line.buffer === chunk.buffer)).toEqual([true, true]);
  });

  it('copies a line that spans chunks, so it stays intact when the splitter reuses its buffer', () => {
    const splitter = new LineSplitter();
    const a = latin1('227 Entering Pa');
    const b = latin1('ssive Mode (1,2,3,4,5,6)\r\n229 Ent');
    expect(splitter.push(a)).toEqual([]);
    const [line] = splitter.push(b);
    expect(show(line!)).toBe('227 Entering Passive Mode (1,2,3,4,5,6)');
    expect(line?.buffer).not.toBe(a.buffer);
    expect(line?.buffer).not.toBe(b.buffer);
    // The held buffer is reused for the next spanning line; the delivered line must not change.
    splitter.push(latin1('ering Extended Passive Mode (|||30004|)\r\n'));
    a.fill(0x78);
    b.fill(0x78);
    expect(show(line!)).toBe('227 Entering Passive Mode (1,2,3,4,5,6)');
  });

  it('copies the line flushed by end()', () => {
    const splitter = new LineSplitter();
    const chunk = latin1('tail');
    splitter.push(chunk);
    const [line] = splitter.end();
    chunk.fill(0x78);
    expect(show(line!)).toBe('tail');
  });
});

describe('LineSplitter maxLineLength', () => {
  const max = DEFAULT_MAX_LINE_LENGTH;
  const a = (count: number): string => 'a'.repeat(count);

  it('defaults to 8192 bytes, as CPython ftplib', () => {
    expect(DEFAULT_MAX_LINE_LENGTH).toBe(8192);
  });

  it('accepts a line of exactly 8192 bytes, in one chunk or byte by byte', () => {
    expect(split([latin1(`${a(max)}\r\n`)])).toEqual([a(max)]);
    expect(split(chunksOf(latin1(`${a(max)}\r\n`), 1000))).toEqual([a(max)]);
    expect(split([latin1(a(max))])).toEqual([a(max)]); // flushed by end()
  });

  it('accepts 8192 bytes whose CR and LF come in later chunks', () => {
    const splitter = new LineSplitter();
    splitter.push(latin1(a(max)));
    expect(splitter.push(latin1('\r'))).toEqual([]);
    expect(splitter.pendingLength).toBe(max + 1);
    expect(splitter.push(latin1('\n')).map(show)).toEqual([a(max)]);
  });

  it('refuses a line of 8193 bytes with ERR_LINE_TOO_LONG at the offset of its 8193rd byte', () => {
    const error = lineErrorOf(() => split([latin1(`${a(max + 1)}\r\n`)]));
    expect(error).toBeInstanceOf(LineError);
    expect(error.code).toBe('ERR_LINE_TOO_LONG');
    expect(error.offset).toBe(max);
    expect(error.message).toContain('8192');
  });

  it('refuses 8193 bytes at end() too', () => {
    const splitter = new LineSplitter();
    splitter.push(latin1(a(max)));
    splitter.push(latin1('\r')); // could still be a CRLF
    expect(lineErrorOf(() => splitter.end()).offset).toBe(max);
  });

  it('refuses 8192 bytes and a CR that turns out to be data', () => {
    const splitter = new LineSplitter();
    splitter.push(latin1(`ok\r\n${a(max)}\r`));
    const error = lineErrorOf(() => splitter.push(latin1('x')));
    expect(error.offset).toBe(4 + max);
  });

  it('counts the offset from the start of the stream, after earlier lines', () => {
    const error = lineErrorOf(() => split([latin1('220 ok\r\n331 x\r\n'), latin1(a(9000))]));
    expect(error.offset).toBe(15 + max);
  });

  it('fails a 100 KiB stream without LF at the chunk that passes the limit, holding at most limit+1 bytes', () => {
    const splitter = new LineSplitter();
    const chunks = chunksOf(latin1(a(100 * 1024)), 1000);
    let failedAt = -1;
    for (const [index, chunk] of chunks.entries()) {
      try {
        splitter.push(chunk);
      } catch (error) {
        expect(error).toBeInstanceOf(LineError);
        expect((error as LineError).offset).toBe(max);
        failedAt = index;
        break;
      } finally {
        expect(splitter.pendingLength).toBeLessThanOrEqual(max + 1);
      }
    }
    // Chunks 0-7 hold 8000 bytes; chunk 8 brings bytes 8000-8999 and passes 8192.
    expect(failedAt).toBe(8);
  });

  it('fails inside one big chunk as soon as that chunk is pushed', () => {
    const splitter = new LineSplitter();
    expect(() => splitter.push(latin1(a(100 * 1024)))).toThrow(LineError);
    expect(splitter.pendingLength).toBe(0);
  });

  it('stays failed: later pushes and end() throw the same error', () => {
    const splitter = new LineSplitter({ maxLineLength: 4 });
    const error = lineErrorOf(() => splitter.push(latin1('abcdef')));
    expect(lineErrorOf(() => splitter.push(latin1('\r\nok\r\n')))).toBe(error);
    expect(lineErrorOf(() => splitter.end())).toBe(error);
  });

  it('delivers every line before the too-long one to onLine before throwing', () => {
    const seen: string[] = [];
    const splitter = new LineSplitter({
      maxLineLength: 4,
      onLine: (line) => seen.push(show(line)),
    });
    const error = lineErrorOf(() => splitter.push(latin1('ab\r\ncd\r\nefghi\r\nlater\r\n')));
    expect(seen).toEqual(['ab', 'cd']);
    expect(error.offset).toBe(8 + 4);
  });

  it('applies a custom limit exactly', () => {
    expect(split([latin1('abcd\r\n')], { maxLineLength: 4 })).toEqual(['abcd']);
    expect(lineErrorOf(() => split([latin1('abcde\r\n')], { maxLineLength: 4 })).offset).toBe(4);
    expect(split([latin1('a\r\n')], { maxLineLength: 1 })).toEqual(['a']);
  });

  it('CVE-2013-1752 (bpo-16038, CPython ftplib unlimited readline): a line over 8192 bytes is refused', () => {
    // A server that never ends its line made ftplib's readline() buffer without bound; ftplib now
    // refuses lines longer than _MAXLINE = 8192. So do we, without buffering the rest.
    const splitter = new LineSplitter();
    const endless = latin1(a(64 * 1024));
    expect(() => splitter.push(endless)).toThrow(/maxLineLength/);
    expect(splitter.pendingLength).toBeLessThanOrEqual(8193);
  });
});

describe('LineSplitter end()', () => {
  it('flushes a last line without terminator', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(latin1('220 ok\r\n221 bye'))).toHaveLength(1);
    expect(splitter.end().map(show)).toEqual(['221 bye']);
  });

  it('returns nothing when no line is pending', () => {
    const splitter = new LineSplitter();
    splitter.push(latin1('220 ok\r\n'));
    expect(splitter.end()).toEqual([]);
    expect(new LineSplitter().end()).toEqual([]);
  });

  it('flushes a lone CR at the end as a line of its own (it is data)', () => {
    expect(split([latin1('a\r\n\r')])).toEqual(['a', '\r']);
  });

  it('delivers the flushed line to onLine with its offset', () => {
    const seen: [string, number][] = [];
    const splitter = new LineSplitter({
      onLine: (line, offset) => seen.push([show(line), offset]),
    });
    splitter.push(latin1('ab\r\ncd'));
    expect(splitter.end()).toEqual([]);
    expect(seen).toEqual([
      ['ab', 0],
      ['cd', 4],
    ]);
  });
});

describe('LineSplitter offsets and handlers', () => {
  it('gives every line the stream offset of its first byte, whatever the chunking', () => {
    const text = '220-a\r\n b\n\r\n220 end\r\nlast';
    const expected: [string, number][] = [
      ['220-a', 0],
      [' b', 7],
      ['', 10],
      ['220 end', 12],
      ['last', 21],
    ];
    for (const chunks of everySplit(text)) {
      const seen: [string, number][] = [];
      const splitter = new LineSplitter({
        onLine: (line, offset) => seen.push([show(line), offset]),
      });
      for (const chunk of chunks) expect(splitter.push(chunk)).toEqual([]);
      splitter.end();
      expect(seen).toEqual(expected);
      expect(splitter.offset).toBe(text.length);
    }
  });

  it('reports the offset just past the last byte pushed and the bytes held', () => {
    const splitter = new LineSplitter();
    splitter.push(latin1('220 ok\r\n22'));
    expect(splitter.offset).toBe(10);
    expect(splitter.pendingLength).toBe(2);
    splitter.push(latin1('1 bye\r\n'));
    expect(splitter.offset).toBe(17);
    expect(splitter.pendingLength).toBe(0);
  });

  it('gives onLineRange the chunk itself and the range of a line inside it', () => {
    const chunk = latin1('ab\r\ncd\n');
    const seen: [Uint8Array, number, number, number][] = [];
    const splitter = new LineSplitter({
      onLineRange: (bytes, start, end, offset) => seen.push([bytes, start, end, offset]),
    });
    expect(splitter.push(chunk)).toEqual([]);
    expect(seen).toEqual([
      [chunk, 0, 2, 0],
      [chunk, 4, 6, 4],
    ]);
    expect(seen[0]?.[0]).toBe(chunk);
  });

  it('gives onLineRange its own buffer for a line that spans chunks', () => {
    const ranges: string[] = [];
    const splitter = new LineSplitter({
      onLineRange: (bytes, start, end, offset) =>
        ranges.push(`${show(bytes.subarray(start, end))}@${offset}`),
    });
    splitter.push(latin1('x\r\nab'));
    splitter.push(latin1('cd\r\nef'));
    splitter.end();
    expect(ranges).toEqual(['x@0', 'abcd@3', 'ef@9']);
  });

  it('prefers onLineRange over onLine', () => {
    let lines = 0;
    let ranges = 0;
    const splitter = new LineSplitter({
      onLine: () => lines++,
      onLineRange: () => ranges++,
    });
    splitter.push(latin1('a\nb\n'));
    expect([lines, ranges]).toEqual([0, 2]);
  });

  it('fails for good when a handler throws, instead of losing the rest of the chunk', () => {
    // The throw leaves the chunk half split (later lines unread, offset not advanced): going on
    // would deliver lines out of place, so the splitter rethrows the handler's error from then on.
    const seen: string[] = [];
    const boom = new Error('handler failed');
    const splitter = new LineSplitter({
      onLine: (line, offset) => {
        seen.push(`${show(line)}@${offset}`);
        if (seen.length === 1) throw boom;
      },
    });
    expect(() => splitter.push(latin1('a\r\nb\r\nc'))).toThrow(boom);
    expect(() => splitter.push(latin1('d\r\n'))).toThrow(boom);
    expect(() => splitter.end()).toThrow(boom);
    expect(seen).toEqual(['a@0']);
  });

  it('returns the lines from push only when there is no handler', () => {
    const withHandler = new LineSplitter({ onLine: () => {} });
    expect(withHandler.push(latin1('a\n'))).toEqual([]);
    expect(new LineSplitter().push(latin1('a\n')).map(show)).toEqual(['a']);
  });
});

describe('LineSplitter telnet option', () => {
  const IAC = 0xff;

  it('treats 0xFF as plain data by default', () => {
    const bytes = Uint8Array.of(0x61, IAC, 0xf4, 0x62, 0x0a);
    expect(new LineSplitter().push(bytes).map((line) => [...line])).toEqual([
      [0x61, IAC, 0xf4, 0x62],
    ]);
  });

  it('decodes Telnet first: IAC IAC is one 0xFF byte, commands are removed and reported', () => {
    const commands: string[] = [];
    const splitter = new LineSplitter({
      telnet: true,
      onTelnetCommand: (command) => commands.push(command.name),
    });
    const bytes = concat([
      Uint8Array.of(IAC, 0xf4, IAC, 0xf2), // IP, DM: what ABOR sends before it
      latin1('ABOR\r\n'),
      Uint8Array.of(0x61, IAC, IAC, 0x62, 0x0d, 0x0a),
    ]);
    const lines = bytes.reduce<Uint8Array[]>(
      (out, byte) => out.concat(splitter.push(Uint8Array.of(byte))),
      [],
    );
    expect(lines.map((line) => [...line])).toEqual([[...latin1('ABOR')], [0x61, IAC, 0x62]]);
    expect(commands).toEqual(['IP', 'DM']);
  });

  it('counts offsets after Telnet decoding', () => {
    const seen: number[] = [];
    const splitter = new LineSplitter({
      telnet: true,
      onLine: (_line, offset) => seen.push(offset),
    });
    splitter.push(concat([Uint8Array.of(IAC, 0xf1), latin1('a\r\nb\r\n')]));
    expect(seen).toEqual([0, 3]);
    expect(splitter.offset).toBe(6);
  });

  it('applies maxLineLength to the decoded bytes', () => {
    const splitter = new LineSplitter({ telnet: true, maxLineLength: 2 });
    // Four raw bytes, two decoded: within the limit.
    expect(splitter.push(Uint8Array.of(IAC, IAC, IAC, IAC, 0x0a)).map((l) => [...l])).toEqual([
      [IAC, IAC],
    ]);
  });
});
