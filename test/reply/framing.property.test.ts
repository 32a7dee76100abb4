import { type Reply, ReplyError, ReplyParser } from '@ftpwire/reply';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { input, session } from './framing-arbitraries.ts';
import { summary } from './helpers.ts';

const RUNS = Number(process.env['FC_RUNS'] ?? 200);
const TIMEOUT = Math.max(5000, RUNS * 10);

interface Outcome {
  replies: { code: number; lines: string[] }[];
  error?: string;
}

/**
 * RFC 959 §4.2 framing read off the text of the RFC, line by line, as ReplyParser read it before
 * the framing moved into ReplyFraming; `lenient` adds curl's LASTLINE rule ("ddd " with any code).
 */
function model(lines: readonly string[], lenient: boolean): Outcome {
  const replies: Outcome['replies'] = [];
  let open = 0;
  let current: string[] = [];
  for (const line of lines) {
    const code = /^[1-6][0-9][0-9]/.test(line) ? Number(line.slice(0, 3)) : 0;
    const separator = line.length === 3 ? ' ' : line[3];
    if (open !== 0) {
      current.push(line);
      const closes =
        (code === open && separator === ' ') ||
        (lenient && code !== 0 && line.length > 3 && separator === ' ');
      if (closes) {
        replies.push({ code, lines: current });
        open = 0;
        current = [];
      }
    } else if (code === 0 || (separator !== ' ' && separator !== '-')) {
      return { replies, error: 'ERR_MALFORMED_REPLY' };
    } else if (separator === ' ') {
      replies.push({ code, lines: [line] });
    } else {
      open = code;
      current = [line];
    }
  }
  return open === 0 ? { replies } : { replies, error: 'ERR_UNCLOSED_REPLY' };
}

/** What ReplyParser makes of the chunks: every reply delivered, and the error code if it threw. */
function parse(chunks: readonly Uint8Array[], lenientClose: boolean | undefined): Outcome {
  const replies: Reply[] = [];
  const parser = new ReplyParser({
    onReply: (reply) => replies.push(reply),
    ...(lenientClose === undefined ? {} : { lenientClose }),
  });
  try {
    for (const chunk of chunks) parser.push(chunk);
    parser.end();
  } catch (error) {
    if (!(error instanceof ReplyError)) throw error;
    return { replies: replies.map(summary), error: error.code };
  }
  return { replies: replies.map(summary) };
}

describe('ReplyFraming laws, through ReplyParser', () => {
  it(
    'with lenientClose off (or not given), any lines in any chunks frame as RFC 959 §4.2 reads them',
    () => {
      fc.assert(
        fc.property(input, ({ lines, chunks }) => {
          const expected = model(lines, false);
          expect(parse(chunks, undefined)).toEqual(expected);
          expect(parse(chunks, false)).toEqual(expected);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    "with lenientClose on, any lines frame as RFC 959 plus curl's rule: any code and a space closes",
    () => {
      fc.assert(
        fc.property(input, ({ lines, chunks }) => {
          expect(parse(chunks, true)).toEqual(model(lines, true));
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'lenient and strict give the same replies wherever no middle line starts with a code and a space',
    () => {
      fc.assert(
        fc.property(fc.oneof(session, input), ({ chunks }) => {
          const strict = parse(chunks, false);
          const foreignClose = strict.replies.some((reply) =>
            reply.lines.slice(1, -1).some((line) => /^[1-6][0-9][0-9] /.test(line)),
          );
          fc.pre(strict.error !== 'ERR_UNCLOSED_REPLY' && !foreignClose);
          expect(parse(chunks, true)).toEqual(strict);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'where both read the whole input and no line is a code alone, each strict reply is a run of whole lenient replies',
    () => {
      fc.assert(
        fc.property(session, ({ lines, chunks }) => {
          fc.pre(!lines.some((line) => /^[0-9]{3}$/.test(line)));
          const strict = parse(chunks, false);
          const lenient = parse(chunks, true);
          fc.pre(strict.error === undefined && lenient.error === undefined);
          let next = 0;
          for (const reply of strict.replies) {
            const run: string[] = [];
            while (run.length < reply.lines.length) run.push(...lenient.replies[next++]!.lines);
            expect(run).toEqual(reply.lines);
            // The run's last reply ends where the strict one does, with the same closing line.
            expect(lenient.replies[next - 1]!.code).toBe(reply.code);
          }
          expect(next).toBe(lenient.replies.length);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
