import { formatEpsvReply, parseEpsvReply } from '@ftpwire/address';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { delimiter, grammarText, numRuns, padded, port } from './arbitraries.js';
import { addressErrorOf } from './helpers.js';

/** RFC 2428 §3 as this package reads it, over bounded test input. */
function reference(text: string): number | undefined {
  if (!/^229(?:[ \-\r\n]|$)/.test(text)) return undefined;
  for (let open = text.indexOf('(', 3); open >= 0; open = text.indexOf('(', open + 1)) {
    const d = text[open + 1];
    if (d === undefined || !/^[!-~]$/.test(d) || /\d/.test(d)) continue;
    if (text[open + 2] !== d || text[open + 3] !== d) continue;
    const digits = /^\d+/.exec(text.slice(open + 4));
    if (digits === null) return undefined;
    const after = open + 4 + digits[0].length;
    const value = digits[0].replace(/^0+(?=\d)/, '').length > 5 ? 1e6 : Number(digits[0]);
    if (value > 65535 || text[after] !== d || text[after + 1] !== ')') return undefined;
    return value;
  }
  return undefined;
}

const nonDigitDelimiter = delimiter.filter((d) => !/\d/.test(d));

describe('parseEpsvReply properties', () => {
  it('parseEpsvReply(formatEpsvReply(p)) equals p for every port', () => {
    fc.assert(
      fc.property(port, (p) => {
        expect(parseEpsvReply(formatEpsvReply(p))).toBe(p);
      }),
      { numRuns },
    );
  });

  it('reads the port for every delimiter 33-126 except digits, zero-padded or not', () => {
    fc.assert(
      fc.property(
        nonDigitDelimiter,
        port.chain((p) => fc.tuple(fc.constant(p), padded(p))),
        (d, [p, text]) => {
          expect(
            parseEpsvReply(`229 Entering Extended Passive Mode (${d}${d}${d}${text}${d})`),
          ).toBe(p);
        },
      ),
      { numRuns },
    );
  });

  it('accepts exactly what the RFC 2428 reference accepts, with the same port', () => {
    const tokens = [
      '229 ',
      '229',
      '(',
      ')',
      '|',
      '!',
      '|||',
      '6446',
      '0',
      '65535',
      '65536',
      '-',
      ' ',
      'a',
      '((',
      '\r\n',
      '(|||6446|)',
    ];
    const replies = fc.oneof(
      grammarText(tokens).map((text) => `229 ${text}`),
      grammarText(tokens),
    );
    let accepted = 0;
    fc.assert(
      fc.property(replies, (text) => {
        const expected = reference(text);
        const error = addressErrorOf(() => parseEpsvReply(text));
        if (expected === undefined) {
          expect(error).toBeDefined();
        } else {
          accepted++;
          expect(error).toBeUndefined();
          expect(parseEpsvReply(text)).toBe(expected);
        }
      }),
      { numRuns: numRuns * 20 },
    );
    expect(accepted).toBeGreaterThan(numRuns / 10);
  });

  it('random text never makes it throw anything but AddressError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        addressErrorOf(() => parseEpsvReply(text));
        addressErrorOf(() => parseEpsvReply(`229 (${text}`));
        addressErrorOf(() => parseEpsvReply({ code: 229, lines: [`229 ${text}`] }));
      }),
      { numRuns },
    );
  });
});
