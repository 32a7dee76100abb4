import {
  formatReply,
  parseReply,
  ReplyError,
  ReplyParser,
  ReplyParserStream,
} from '@ftpwire/reply';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPLY_HOSTILE as HOSTILE } from './hostile.js';
import { floodStream, heapGrowth } from './memory.js';
import { chunked, countWork, KIB, MIB, repeatTo } from './work.js';

function parseAll(data: Uint8Array, chunkSize: number): void {
  // A multi-line reply opened first and never closed, so every hostile line is a middle line;
  // the line cap is lifted so that the whole input is parsed.
  const parser = new ReplyParser({ maxReplyLines: 10_000_000, onReply: () => {} });
  parser.push(new TextEncoder().encode('211-Features:\r\n'));
  for (const chunk of chunked(data, chunkSize)) parser.push(chunk);
}

describe('ReplyParser: linear time on hostile input, counted in bytes of work', () => {
  for (const [name, unit] of Object.entries(HOSTILE)) {
    for (const chunkSize of [7, 1460]) {
      it(`${name}, ${chunkSize}-byte chunks: 1 MiB costs at most 4.5x 256 KiB and 8 units a byte`, () => {
        const smallWork = countWork(() => parseAll(repeatTo(unit, 256 * KIB), chunkSize));
        const largeWork = countWork(() => parseAll(repeatTo(unit, MIB), chunkSize));
        expect(largeWork).toBeLessThanOrEqual(4.5 * smallWork);
        expect(largeWork).toBeLessThanOrEqual(8 * MIB);
      });
    }
  }

  it('many complete replies in a row cost linear work too', () => {
    const parse = (size: number) => {
      const parser = new ReplyParser({ onReply: () => {} });
      for (const chunk of chunked(repeatTo('200 ok\r\n', size), 1460)) parser.push(chunk);
      parser.end();
    };
    const smallWork = countWork(() => parse(256 * KIB));
    expect(countWork(() => parse(MIB))).toBeLessThanOrEqual(4.5 * smallWork);
  });
});

describe('ReplyParser: bounded memory', () => {
  it('100 MiB without a newline through ReplyParserStream fails at the line limit, heap growth under 1 MiB', async () => {
    let failure: unknown;
    const growth = await heapGrowth(async () => {
      failure = await floodStream(new ReplyParserStream(), repeatTo('220', 64 * KIB), 100 * MIB);
    });
    expect(failure).toBeInstanceOf(ReplyError);
    expect((failure as ReplyError).code).toBe('ERR_LINE_TOO_LONG');
    expect((failure as ReplyError).offset).toBe(8192);
    expect(growth).toBeLessThan(MIB);
  });

  it('a reply of more lines than the limit raises ERR_TOO_MANY_LINES at the first line over it', () => {
    const lines = ['211-start', ...Array.from({ length: 1023 }, (_, i) => ` line ${i}`)];
    const atLimit = `${lines.join('\r\n')}\r\n211 end\r\n`;
    expect(() => parseReply(atLimit)).toThrow(
      expect.objectContaining({ code: 'ERR_TOO_MANY_LINES' }),
    );
    const fits = `${lines.slice(0, 1023).join('\r\n')}\r\n211 end\r\n`;
    expect(parseReply(fits).lines).toHaveLength(1024);
    const parser = new ReplyParser();
    const flood = new TextEncoder().encode(
      `${lines.join('\r\n')}\r\n${' more\r\n'.repeat(100_000)}`,
    );
    expect(() => parser.push(flood)).toThrow(
      expect.objectContaining({ code: 'ERR_TOO_MANY_LINES', offset: atLimit.indexOf('211 end') }),
    );
  });
});

describe('ReplyParser: exact boundaries', () => {
  it('a reply line of exactly 8192 bytes passes, 8193 fails', () => {
    const line = (length: number) => `200 ${'x'.repeat(length - 4)}\r\n`;
    expect(parseReply(line(8192)).lines[0]).toHaveLength(8192);
    expect(() => parseReply(line(8193))).toThrow(
      expect.objectContaining({ code: 'ERR_LINE_TOO_LONG', offset: 8192 }),
    );
  });

  it('codes 100 and 699 open replies, 099 and 700 do not', () => {
    expect(parseReply('100 x').code).toBe(100);
    expect(parseReply('699 x').code).toBe(699);
    for (const text of ['099 x', '700 x', '000 x']) {
      expect(() => parseReply(text)).toThrow(
        expect.objectContaining({ code: 'ERR_MALFORMED_REPLY' }),
      );
    }
  });
});

describe('formatReply: no CR, LF or NUL ever reaches the output', () => {
  it('for any code and any lines, the output is only the given text, CRLF-framed, or nothing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.array(fc.string({ unit: fc.constantFrom('a', '1', ' ', '\r', '\n', '\0', 'é', '-') }), {
          maxLength: 5,
        }),
        (code, lines) => {
          let wire: string | undefined;
          try {
            wire = formatReply(code, lines);
          } catch (error) {
            expect(error).toBeInstanceOf(ReplyError);
            return;
          }
          const body = wire.split('\r\n');
          expect(body.pop()).toBe('');
          for (const line of body) expect(line).not.toMatch(/[\r\n\0]/);
          expect(parseReply(wire).code).toBe(code);
        },
      ),
      { numRuns: Number(process.env['FC_RUNS'] ?? 500) },
    );
  });
});
