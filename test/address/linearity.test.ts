/**
 * Linear time on any input, asserted by counting work instead of timing it: every string
 * read the decoders do goes through `String.prototype.charCodeAt` (one character) or
 * `indexOf` (the characters it passes over), so both are wrapped to count characters
 * touched. A linear decoder touches at most a few characters per input character however
 * the input is built; basic-ftp's PASV regex once took seconds on 64 KiB of digits.
 * Wall-clock figures for the same inputs are in bench/address.bench.ts.
 */
import {
  classifyAddress,
  decodeExtendedAddress,
  decodeHostPort,
  decodeLongAddress,
  parseEpsvReply,
  parseLpsvReply,
  parseNetworkProtocolsReply,
  parsePasvReply,
} from '@ftpwire/address';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addressErrorOf } from './helpers.js';

let touched = 0;
const { charCodeAt, indexOf } = String.prototype;

beforeEach(() => {
  // biome-ignore lint/suspicious/noExplicitAny: counting wrappers of built-ins
  const proto = String.prototype as any;
  proto.charCodeAt = function (this: string, index: number): number {
    touched++;
    return charCodeAt.call(this, index);
  };
  proto.indexOf = function (this: string, search: string, from = 0): number {
    const found = indexOf.call(this, search, from);
    touched += (found < 0 ? this.length : found + 1) - Math.max(0, Math.min(from, this.length));
    return found;
  };
});

afterEach(() => {
  String.prototype.charCodeAt = charCodeAt;
  String.prototype.indexOf = indexOf;
});

function work(parse: () => unknown): number {
  touched = 0;
  addressErrorOf(parse);
  return touched;
}

const KiB = 1024;
type Case = readonly [name: string, parse: (text: string) => unknown, make: (n: number) => string];
const cases: readonly Case[] = [
  ['227 "1," repeated', parsePasvReply, (n) => `227 ${'1,'.repeat(n / 2)}`],
  ['227 digits without a comma', parsePasvReply, (n) => `227 ${'1'.repeat(n)}`],
  ['227 "1 " repeated', parsePasvReply, (n) => `227 ${'1 '.repeat(n / 2)}`],
  ['227 commas', parsePasvReply, (n) => `227 ${','.repeat(n)}`],
  ['227 "a," repeated', parsePasvReply, (n) => `227 ${'a,'.repeat(n / 2)}`],
  ['227 digits then a comma', parsePasvReply, (n) => `227 ${'1'.repeat(n)},`],
  ['227 five-number groups', parsePasvReply, (n) => `227 ${'1,1,1,1,1 '.repeat(n / 10)}`],
  ['227 a huge port byte', parsePasvReply, (n) => `227 (1,2,3,4,5,${'9'.repeat(n)})`],
  ['229 "(" repeated', parseEpsvReply, (n) => `229 ${'('.repeat(n)}`],
  ['229 "(|||" then digits', parseEpsvReply, (n) => `229 (|||${'1'.repeat(n)}`],
  ['229 "(||" repeated', parseEpsvReply, (n) => `229 ${'(||'.repeat(n / 3)}`],
  ['229 zero padding', parseEpsvReply, (n) => `229 (|||${'0'.repeat(n)}1|)`],
  ['PORT digits', decodeHostPort, (n) => '1'.repeat(n)],
  ['PORT "1," repeated', decodeHostPort, (n) => '1,'.repeat(n / 2)],
  ['EPRT digits', decodeExtendedAddress, (n) => `|1|${'1'.repeat(n)}|`],
  ['EPRT colons', decodeExtendedAddress, (n) => `|2|${':'.repeat(n)}|21|`],
  ['EPRT no delimiter', decodeExtendedAddress, (n) => `|2|${'a'.repeat(n)}`],
  ['LPRT "1," repeated', decodeLongAddress, (n) => `4,4,${'1,'.repeat(n / 2)}`],
  ['228 "4,4," repeated', parseLpsvReply, (n) => `228 ${'4,4,'.repeat(n / 4)}`],
  ['522 long list', parseNetworkProtocolsReply, (n) => `522 (${'1,'.repeat(n / 2)}`],
  ['522 "(use" repeated', parseNetworkProtocolsReply, (n) => `522 ${'(use '.repeat(n / 5)}`],
  ['host with a long zone', classifyAddress, (n) => `fe80::1%${'a'.repeat(n)}`],
  ['host of digits', classifyAddress, (n) => '1'.repeat(n)],
];

describe('every decoder does linear work on hostile input', () => {
  it.each(cases)('%s', (_name, parse, make) => {
    const small = make(256 * KiB);
    const large = make(1024 * KiB);
    const smallWork = work(() => parse(small));
    const largeWork = work(() => parse(large));
    // A few touches per character at most, whatever the shape of the input: the fast path
    // and the validating path behind it each pass a character at most twice (indexOf, then
    // the look back over the digits before a comma), and reading the number once more.
    expect(largeWork).toBeLessThanOrEqual(6 * large.length + 256);
    // Four times the input costs at most about four times the work (never quadratic 16x).
    expect(largeWork).toBeLessThanOrEqual(4.5 * smallWork + 256);
  });

  it('the counter sees the work of a normal parse', () => {
    expect(
      work(() => parsePasvReply('227 Entering Passive Mode (10,0,1,121,15,6).')),
    ).toBeGreaterThan(10);
  });
});
