/**
 * Linear time of the reply meaning parsers on hostile text, counted, not timed: characters
 * read through charCodeAt, indexOf and lastIndexOf (countCharacterReads, with lastIndexOf
 * added here, which transfer-size scans with), plus bytes of work when text goes through
 * parseReply (countWork). Replies reach the parsers as `Reply` objects parsed with the line
 * limit lifted: text over 8192 bytes is refused by the framing before any meaning is read.
 */
import {
  parseFeatureReply,
  parseModificationTimeReply,
  parsePathnameReply,
  parseReply,
  parseSizeReply,
  parseTimeVal,
  parseTransferSize,
  type Reply,
  ReplyError,
} from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { countCharacterReads, countWork, KIB, MIB } from './work.js';

function countAll(run: () => void): number {
  const { lastIndexOf } = String.prototype;
  let back = 0;
  String.prototype.lastIndexOf = function (this: string, search: string, position?: number) {
    const from = Math.min(position ?? this.length, this.length);
    const found = lastIndexOf.call(this, search, position);
    back += from - (found === -1 ? 0 : found) + 1;
    return found;
  };
  try {
    let reads = 0;
    const bytes = countWork(() => {
      reads = countCharacterReads(run);
    });
    return reads + bytes + back;
  } finally {
    String.prototype.lastIndexOf = lastIndexOf;
  }
}

/** A reply of `text` with no limit on line length or count: the hostile lines reach the parser. */
function reply(text: string): Reply {
  return parseReply(text, { maxLineLength: 4 * MIB, maxReplyLines: 1_000_000 });
}

function attempt(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ReplyError)) throw error;
  }
}

type Case = readonly [name: string, run: (size: number) => () => unknown];

/** Each case builds its input outside the count, then parses it inside. */
const on = (parse: (r: Reply) => unknown, make: (n: number) => string) => (n: number) => {
  const parsed = reply(make(n));
  return () => parse(parsed);
};

const cases: readonly Case[] = [
  ['257 quotes only', on(parsePathnameReply, (n) => `257 ${'"'.repeat(n)}`)],
  ['257 doubled quotes never closed', on(parsePathnameReply, (n) => `257 "${'""'.repeat(n / 2)}`)],
  ['257 "a"" repeated', on(parsePathnameReply, (n) => `257 "${'a""'.repeat(n / 3)}"`)],
  ['257 no quote', on(parsePathnameReply, (n) => `257 ${'a'.repeat(n)}`)],
  ['257 unclosed name', on(parsePathnameReply, (n) => `257 "${'a'.repeat(n)}`)],
  [
    'FEAT one name repeated with new parameters',
    on(parseFeatureReply, (n) => {
      const lines = Array.from({ length: n / 16 }, (_, i) => ` AUTH p${i};`);
      return `211-x\r\n${lines.join('\r\n')}\r\n211 End`;
    }),
  ],
  [
    'FEAT one line repeated',
    on(parseFeatureReply, (n) => `211-x\r\n${' AUTH TLS\r\n'.repeat(n / 10)}211 End`),
  ],
  ['FEAT a line of spaces', on(parseFeatureReply, (n) => `211-x\r\n${' '.repeat(n)}\r\n211 End`)],
  [
    'FEAT a long name and parameters',
    on(parseFeatureReply, (n) => `211-x\r\n ${'A'.repeat(n / 2)} ${'b '.repeat(n / 4)}\r\n211 End`),
  ],
  ['213 SIZE digits', on(parseSizeReply, (n) => `213 ${'9'.repeat(n)}`)],
  ['213 SIZE zeros', on(parseSizeReply, (n) => `213 ${'0'.repeat(n)}1`)],
  ['213 SIZE spaces', on(parseSizeReply, (n) => `213 ${' '.repeat(n)}`)],
  [
    '213 MDTM fraction digits',
    on(parseModificationTimeReply, (n) => `213 20240229134501.${'9'.repeat(n)}`),
  ],
  ['213 MDTM spaces', on(parseModificationTimeReply, (n) => `213 ${' '.repeat(n)}x`)],
  [
    '213 MDTM Y2K form, long fraction',
    on(parseModificationTimeReply, (n) => `213 191240229134501.${'1'.repeat(n)}`),
  ],
  ['150 ")" repeated', on(parseTransferSize, (n) => `150 ${')'.repeat(n)}`)],
  ['150 " bytes)" repeated', on(parseTransferSize, (n) => `150 ${' bytes)'.repeat(n / 7)}`)],
  [
    '150 " (1 bytes)" without the space',
    on(parseTransferSize, (n) => `150 ${'(1 bytes)'.repeat(n / 9)}`),
  ],
  ['150 digits before " bytes)"', on(parseTransferSize, (n) => `150 (${'1'.repeat(n)} bytes)`)],
  [
    '150 "1 bytes)" with digits between',
    on(parseTransferSize, (n) => `150 ${'1 bytes)1'.repeat(n / 9)}`),
  ],
  [
    'time-val fraction',
    (n) => {
      const text = `20240229134501.${'5'.repeat(n)}`;
      return () => parseTimeVal(text);
    },
  ],
  [
    'time-val digits',
    (n) => {
      const text = '1'.repeat(n);
      return () => parseTimeVal(text);
    },
  ],
  [
    'FEAT text through parseReply',
    (n) => {
      const text = `211-x\r\n${' SIZE\r\n'.repeat(n / 7)}211 End`;
      return () => parseFeatureReply(text);
    },
  ],
  [
    '257 text past the line limit',
    (n) => {
      const text = `257 "${'a'.repeat(n)}"`;
      return () => parsePathnameReply(text);
    },
  ],
];

describe('reply meanings: linear work on 1 MiB of hostile text', () => {
  it.each(cases)('%s: 1 MiB costs at most 4.5x 256 KiB and 10 units a character', (_name, make) => {
    const small = make(256 * KIB);
    const large = make(MIB);
    const smallWork = countAll(() => attempt(small));
    const largeWork = countAll(() => attempt(large));
    expect(largeWork).toBeLessThanOrEqual(4.5 * smallWork + 256);
    expect(largeWork).toBeLessThanOrEqual(10 * MIB);
  });

  it('the counters see the work of a normal parse', () => {
    const parsed = reply('150 Opening BINARY mode data connection for f (18 bytes).');
    expect(countAll(() => parseTransferSize(parsed))).toBeGreaterThan(15);
    expect(
      countAll(() => parsePathnameReply('257 "/home/anna" is the current directory')),
    ).toBeGreaterThan(10);
  });
});
