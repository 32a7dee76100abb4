import { LineSplitter, type TelnetCommand, TelnetDecoder } from '@ftpwire/lines';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { show, splitAt } from './helpers.ts';

const RUNS = Number(process.env['FC_RUNS'] ?? 200);
/** Large FC_RUNS (fuzzing) need more than vitest's default 5 s per test. */
const TIMEOUT = Math.max(5000, RUNS * 10);
const IAC = 0xff;
const SB = 0xfa;
const SE = 0xf0;
const NAMES: Record<number, string> = {
  240: 'SE',
  241: 'NOP',
  242: 'DM',
  243: 'BRK',
  244: 'IP',
  245: 'AO',
  246: 'AYT',
  247: 'EC',
  248: 'EL',
  249: 'GA',
  250: 'SB',
  251: 'WILL',
  252: 'WONT',
  253: 'DO',
  254: 'DONT',
};

/**
 * Reference model of RFC 854/855 decoding over the whole input by index, no state machine:
 * IAC IAC is a data 0xFF; IAC WILL/WONT/DO/DONT takes one option byte; IAC SB runs to IAC SE,
 * where IAC x inside counts as the pair (x is data of the subnegotiation, the first data byte its
 * option); IAC before a byte below 240 (no command: a Synch's DM lost as urgent data) is dropped
 * and the byte is data; IAC and any other byte is a command. A command cut off by the end is
 * neither data nor reported.
 */
function model(bytes: Uint8Array): { data: number[]; commands: TelnetCommand[] } {
  const data: number[] = [];
  const commands: TelnetCommand[] = [];
  const report = (command: number, offset: number, option?: number): void => {
    const name = NAMES[command] ?? 'UNKNOWN';
    commands.push(
      option === undefined ? { command, name, offset } : { command, name, option, offset },
    );
  };
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i]!;
    if (byte !== IAC) {
      data.push(byte);
      i += 1;
      continue;
    }
    const command = bytes[i + 1];
    if (command === undefined) break;
    if (command === IAC) {
      data.push(IAC);
      i += 2;
    } else if (command < SE) {
      data.push(command);
      i += 2;
    } else if (command >= 251 && command <= 254) {
      const option = bytes[i + 2];
      if (option === undefined) break;
      report(command, i, option);
      i += 3;
    } else if (command === SB) {
      let option: number | undefined;
      let j = i + 2;
      let closed = false;
      while (j < bytes.length) {
        if (bytes[j] !== IAC) {
          option ??= bytes[j];
          j += 1;
        } else if (j + 1 >= bytes.length) {
          j = bytes.length;
        } else if (bytes[j + 1] === SE) {
          closed = true;
          j += 2;
          break;
        } else {
          option ??= bytes[j + 1];
          j += 2;
        }
      }
      if (!closed) break;
      report(SB, i, option);
      i = j;
    } else {
      report(command, i);
      i += 2;
    }
  }
  return { data, commands };
}

/** Bytes where Telnet sequences are frequent: IAC, SB, SE, WILL..DONT, IP, DM, CR, LF, data. */
const telnetBytes = fc
  .array(
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom(IAC, IAC, SB, SE, 251, 252, 253, 254, 244, 242, 0x0d, 0x0a),
      },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 255 }) },
    ),
    { maxLength: 60 },
  )
  .map((bytes) => Uint8Array.from(bytes));

const cutsFor = (bytes: Uint8Array) =>
  fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 10 });

function decodeChunks(chunks: readonly Uint8Array[]): {
  data: number[];
  commands: TelnetCommand[];
} {
  const commands: TelnetCommand[] = [];
  const decoder = new TelnetDecoder((command) => commands.push(command));
  return { data: chunks.flatMap((chunk) => [...decoder.decode(chunk)]), commands };
}

describe('TelnetDecoder laws', () => {
  it(
    'any bytes, any chunking: the same data and commands as the reference model',
    () => {
      fc.assert(
        fc.property(
          telnetBytes.chain((bytes) => fc.tuple(fc.constant(bytes), cutsFor(bytes))),
          ([bytes, cuts]) => {
            expect(decodeChunks(splitAt(bytes, cuts))).toEqual(model(bytes));
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'decoding is chunk-invariant: every chunking gives what one chunk gives',
    () => {
      fc.assert(
        fc.property(
          telnetBytes.chain((bytes) =>
            fc.tuple(fc.constant(bytes), cutsFor(bytes), cutsFor(bytes)),
          ),
          ([bytes, a, b]) => {
            expect(decodeChunks(splitAt(bytes, a))).toEqual(decodeChunks(splitAt(bytes, b)));
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'a LineSplitter with telnet: true splits the model-decoded bytes, for any chunking',
    () => {
      fc.assert(
        fc.property(
          telnetBytes.chain((bytes) => fc.tuple(fc.constant(bytes), cutsFor(bytes))),
          ([bytes, cuts]) => {
            const splitter = new LineSplitter({ telnet: true });
            const lines = splitAt(bytes, cuts).flatMap((chunk) => splitter.push(chunk));
            lines.push(...splitter.end());
            const reference = new LineSplitter();
            const decoded = Uint8Array.from(model(bytes).data);
            const expected = [...reference.push(decoded), ...reference.end()];
            expect(lines.map(show)).toEqual(expected.map(show));
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
