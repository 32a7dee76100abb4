import {
  CommandError,
  CommandParser,
  CommandParserStream,
  formatCommand,
  parseCommand,
} from '@ftpwire/command';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesOf, COMMAND_HOSTILE as HOSTILE, COMMAND_MALFORMED as MALFORMED } from './hostile.js';
import { floodStream, heapGrowth } from './memory.js';
import { chunked, countWork, KIB, MIB, repeatTo } from './work.js';

function parseAll(data: Uint8Array, chunkSize: number): void {
  const parser = new CommandParser({
    telnet: true,
    onCommand: () => {},
    onMalformedLine: () => {},
  });
  for (const chunk of chunked(data, chunkSize)) parser.push(chunk);
  parser.end();
}

describe('CommandParser: linear time on hostile input, counted in bytes of work', () => {
  for (const [name, unit] of Object.entries(HOSTILE)) {
    for (const chunkSize of [7, 1460]) {
      it(`${name}, ${chunkSize}-byte chunks: 1 MiB costs at most 4.5x 256 KiB and 8 units a byte`, () => {
        const smallWork = countWork(() => parseAll(repeatTo(bytesOf(unit), 256 * KIB), chunkSize));
        const largeWork = countWork(() => parseAll(repeatTo(bytesOf(unit), MIB), chunkSize));
        expect(largeWork).toBeLessThanOrEqual(4.5 * smallWork);
        expect(largeWork).toBeLessThanOrEqual(8 * MIB);
      }, 30_000);
    }
  }

  for (const [name, unit] of Object.entries(MALFORMED)) {
    it(`${name}, 1460-byte chunks: 256 KiB costs at most 4.5x 64 KiB and 8 units a byte`, () => {
      const smallWork = countWork(() => parseAll(repeatTo(unit, 64 * KIB), 1460));
      const largeWork = countWork(() => parseAll(repeatTo(unit, 256 * KIB), 1460));
      expect(largeWork).toBeLessThanOrEqual(4.5 * smallWork);
      expect(largeWork).toBeLessThanOrEqual(8 * 256 * KIB);
    }, 30_000);
  }

  it('parseCommand on one hostile line of 1 MiB costs linear work', () => {
    const line = (size: number) => repeatTo('RETR a,1,', size);
    const smallWork = countWork(() => parseCommand(line(256 * KIB)));
    const largeWork = countWork(() => parseCommand(line(MIB)));
    expect(largeWork).toBeLessThanOrEqual(4.5 * smallWork);
  });
});

describe('CommandParser: constant cost per line', () => {
  it('arguments that are not UTF-8 are read without an exception per line (each costs a stack trace)', () => {
    // 1 MiB of "RETR \xff" lines took about 2 s when every line threw inside a fatal decode.
    let thrown = 0;
    const { decode } = TextDecoder.prototype;
    TextDecoder.prototype.decode = function (
      this: TextDecoder,
      input?: AllowSharedBufferSource,
      options?: TextDecodeOptions,
    ) {
      try {
        return decode.call(this, input, options);
      } catch (error) {
        thrown++;
        throw error;
      }
    };
    const commands: string[] = [];
    try {
      const parser = new CommandParser({ onCommand: (command) => commands.push(command.argument) });
      parser.push(repeatTo(bytesOf('RETR a\xff\r\nRETR \xef\xbf\xbd\r\n'), 64 * KIB));
    } finally {
      TextDecoder.prototype.decode = decode;
    }
    expect(thrown).toBe(0);
    expect(commands.slice(0, 2)).toEqual(['a\ufffd', '\ufffd']);
  });
});

describe('CommandParser: bounded memory', () => {
  it('100 MiB without a newline through CommandParserStream fails at the limit, heap growth under 1 MiB', async () => {
    let failure: unknown;
    const growth = await heapGrowth(async () => {
      failure = await floodStream(new CommandParserStream(), repeatTo('A', 64 * KIB), 100 * MIB);
    });
    expect(failure).toBeInstanceOf(CommandError);
    expect(failure).toMatchObject({ code: 'ERR_LINE_TOO_LONG', offset: 8192 });
    expect(growth).toBeLessThan(MIB);
  });
});

describe('CommandParser: exact boundaries', () => {
  for (const terminator of ['\r\n', '\n']) {
    it(`a command line of exactly maxLineLength bytes passes, one more fails (${JSON.stringify(terminator)})`, () => {
      const encoder = new TextEncoder();
      for (const chunkSize of [1, 5, 8192, 100_000]) {
        const atLimit = encoder.encode(`RETR ${'z'.repeat(8192 - 5)}${terminator}`);
        const commands: number[] = [];
        const parser = new CommandParser({
          onCommand: (command) => commands.push(command.argument.length),
        });
        for (const chunk of chunked(atLimit, chunkSize)) parser.push(chunk);
        expect(commands).toEqual([8187]);
        const overLimit = encoder.encode(`RETR ${'z'.repeat(8192 - 4)}${terminator}`);
        expect(() => {
          const over = new CommandParser();
          for (const chunk of chunked(overLimit, chunkSize)) over.push(chunk);
        }).toThrowError(expect.objectContaining({ code: 'ERR_LINE_TOO_LONG', offset: 8192 }));
      }
    });
  }
});

describe('formatCommand: no CR, LF or NUL ever reaches the output', () => {
  const hostileText = fc.string({
    unit: fc.oneof(
      fc.constantFrom('\r', '\n', '\0', '\r\n', ' ', 'a', 'Z', 'é', '\u2028', '\ud800'),
      fc.string({ maxLength: 3 }),
    ),
    maxLength: 40,
  });
  it('for any verb and argument, the output is exactly "VERB[ argument]\\r\\n" with no CR, LF or NUL inside, or a CommandError and nothing', () => {
    fc.assert(
      fc.property(hostileText, hostileText, fc.boolean(), (verb, argument, strictVerb) => {
        let wire: string | undefined;
        try {
          wire = formatCommand(verb, argument, { strictVerb });
        } catch (error) {
          expect(error).toBeInstanceOf(CommandError);
          return;
        }
        const body = wire.slice(0, -2);
        expect(wire.endsWith('\r\n')).toBe(true);
        expect(/[\r\n\0]/.test(body)).toBe(false);
        expect(wire).toBe(argument === '' ? `${verb}\r\n` : `${verb} ${argument}\r\n`);
      }),
      { numRuns: 2000 },
    );
  });
});
