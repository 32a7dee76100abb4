import { type HostPort, parsePasvReply } from '@ftpwire/address';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grammarText, ipv4, numRuns, port } from './arbitraries.js';
import { addressErrorOf } from './helpers.js';

/**
 * RFC 1123 §4.1.2.6 as this package reads it, written with regular expressions over the
 * bounded test input: after the code, the first number followed by a comma starts the tuple;
 * six decimal bytes, host bytes without leading zeros, no sign, no seventh number.
 */
function reference(text: string): HostPort | undefined {
  if (!/^227(?:[ \-\r\n]|$)/.test(text)) return undefined;
  const start = /\d+,/.exec(text.slice(3));
  if (start === null) return undefined;
  const at = 3 + start.index;
  if (text[at - 1] === '-' || text[at - 1] === ',') return undefined;
  const tuple = /^(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)(,?)/.exec(text.slice(at));
  if (tuple === null || tuple[7] === ',') return undefined;
  const fields = tuple.slice(1, 7);
  if (fields.slice(0, 4).some((field) => field.length > 1 && field.startsWith('0'))) {
    return undefined;
  }
  const numbers = fields.map((field) => (field.length > 4 ? 1000 : Number(field)));
  if (numbers.some((n) => n > 255)) return undefined;
  return { host: numbers.slice(0, 4).join('.'), port: numbers[4]! * 256 + numbers[5]! };
}

/** Text around the tuple that holds no digit, comma or hyphen next to it. */
const filler = fc.stringMatching(/^[A-Za-z (=.)]{0,30}$/);

describe('parsePasvReply properties', () => {
  it('finds the tuple wherever the server put it and decodes it exactly', () => {
    fc.assert(
      fc.property(ipv4, port, filler, filler, (host, p, before, after) => {
        const tuple = `${host.replaceAll('.', ',')},${p >>> 8},${p & 255}`;
        const reply = `227 ${before.replace(/\.$/, '')}${before === '' ? '' : ' '}${tuple}${after}`;
        expect(parsePasvReply(reply)).toEqual({ host, port: p });
      }),
      { numRuns },
    );
  });

  it('accepts exactly what the RFC 1123 reference accepts, with the same address', () => {
    const tokens = [
      '227 ',
      '227-',
      '227',
      '0',
      '1',
      '25',
      '255',
      '256',
      '010',
      '04',
      ',',
      '-',
      '(',
      ')',
      '.',
      ' ',
      '=',
      'a',
      '\r\n',
      '1,2,3,4,',
      '5,6',
      '10,0,1,121,15,6',
    ];
    const replies = fc.oneof(
      grammarText(tokens).map((text) => `227 ${text}`),
      grammarText(tokens),
    );
    let accepted = 0;
    fc.assert(
      fc.property(replies, (text) => {
        const expected = reference(text);
        if (expected !== undefined) accepted++;
        const error = addressErrorOf(() => parsePasvReply(text));
        if (expected === undefined) {
          expect(error).toBeDefined();
        } else {
          expect(error).toBeUndefined();
          expect(parsePasvReply(text)).toEqual(expected);
        }
      }),
      { numRuns: numRuns * 20 },
    );
    // The law is only worth something if both sides of it were exercised.
    expect(accepted).toBeGreaterThan(numRuns / 10);
  });

  it('random text never makes it throw anything but AddressError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        addressErrorOf(() => parsePasvReply(text));
        addressErrorOf(() => parsePasvReply(`227 ${text}`));
        addressErrorOf(() => parsePasvReply({ code: 227, lines: [`227 ${text}`, text] }));
      }),
      { numRuns },
    );
  });
});
