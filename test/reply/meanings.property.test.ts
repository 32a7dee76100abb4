import {
  parseFeatureReply,
  parseModificationTimeReply,
  parsePathnameReply,
  parseReply,
  parseSizeReply,
  parseTransferSize,
  type Reply,
  ReplyError,
} from '@ftpwire/reply';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const RUNS = Number(process.env['FC_RUNS'] ?? 500);
/** Large FC_RUNS (fuzzing) need more than vitest's default 5 s per test. */
const TIMEOUT = Math.max(5000, RUNS * 10);

type Outcome = { value: unknown } | { error: string };

function outcome(run: () => unknown): Outcome {
  try {
    const value = run();
    return {
      value: value instanceof Date ? value.getTime() : value instanceof Map ? [...value] : value,
    };
  } catch (error) {
    if (error instanceof ReplyError) return { error: error.code };
    throw error;
  }
}

const parsers: readonly [string, (reply: string | Reply) => unknown][] = [
  ['parsePathnameReply', parsePathnameReply],
  ['parseFeatureReply', parseFeatureReply],
  ['parseSizeReply', parseSizeReply],
  ['parseModificationTimeReply', parseModificationTimeReply],
  ['parseTransferSize', parseTransferSize],
];

/** Reply-shaped text: codes the parsers read, separators, line ends, quotes, digits. */
const replyText = fc
  .tuple(
    fc.constantFrom('257', '211', '213', '150', '550', '21', '2570'),
    fc.constantFrom(' ', '-', '', '\r\n'),
    fc.string({
      unit: fc.constantFrom(
        '"',
        ' ',
        '1',
        '9',
        '0',
        '.',
        '(',
        ')',
        'b',
        'y',
        't',
        'e',
        's',
        '\r',
        '\n',
        '\r\n',
        '213 ',
        '257 ',
        '211 ',
        '150 ',
        'x',
      ),
      maxLength: 20,
    }),
    fc.constantFrom('', '\r\n', '\n'),
  )
  .map(([code, separator, text, end]) => `${code}${separator}${text}${end}`);

describe('meaning laws', () => {
  it.each(parsers)(
    '%s reads text as it reads parseReply(text): same value, or the same error code',
    (_name, parse) => {
      fc.assert(
        fc.property(replyText, (text) => {
          const framed = outcome(() => parseReply(text));
          const direct = outcome(() => parse(text));
          if ('error' in framed) {
            // Text that is not one reply is refused, by the framing or by the code check.
            expect(direct).toHaveProperty('error');
            return;
          }
          expect(direct).toEqual(outcome(() => parse(parseReply(text))));
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});

describe('reply text the meaning parsers read', () => {
  it.each(parsers)(
    '%s applies the default line limit to text, as parseReply does',
    (_name, parse) => {
      for (const [code, body] of [
        ['257', `"${'é'.repeat(4100)}"`],
        ['213', '1'.repeat(8200)],
        ['150', `f (${'1'.repeat(8200)} bytes)`],
        ['211', 'x'.repeat(8200)],
      ] as const) {
        const text = `${code} ${body}`;
        expect(outcome(() => parse(text))).toEqual({ error: 'ERR_LINE_TOO_LONG' });
      }
    },
  );
});
