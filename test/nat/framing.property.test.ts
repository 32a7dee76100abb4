/**
 * One RFC 959 framing for the whole project: the NAT session's reply tracking and ReplyParser
 * must find the same replies, with the same codes, ending at the same lines, on any input. The
 * session's core is driven here directly (it is not public), with a state that records each
 * reply the core completes instead of pairing it with a command.
 */
import { ReplyError, ReplyParser } from '@ftpwire/reply';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResolvedOptions } from '../../packages/nat/src/options.ts';
import { ReplyCore } from '../../packages/nat/src/reply.ts';
import { NONE, SessionState } from '../../packages/nat/src/state.ts';
import { input, session } from '../reply/framing-arbitraries.ts';
import { concat } from './helpers.js';

const RUNS = Number(process.env['FC_RUNS'] ?? 200);
const TIMEOUT = Math.max(5000, RUNS * 10);

/** A session state that answers no command and notes every completed reply's code. */
class RecordingState extends SessionState {
  readonly codes: number[] = [];
  override answer(code: number): number {
    this.codes.push(code);
    return NONE;
  }
}

/**
 * Where each reply ends: [index of the piece that holds the end of its last line, code], as the
 * NAT core reads the pieces (whole lines, or any chunks).
 */
function natReplies(lines: readonly Uint8Array[], lenientClose: boolean): [number, number][] {
  const state = new RecordingState(new ResolvedOptions({ lenientClose }), false);
  const core = new ReplyCore(state, false);
  const ends: [number, number][] = [];
  lines.forEach((line, index) => {
    const before = state.codes.length;
    core.push(line, () => undefined);
    for (const code of state.codes.slice(before)) ends.push([index, code]);
  });
  return ends;
}

/**
 * The same from ReplyParser, up to the first line it refuses (a line at a reply start that is
 * no reply line), past which the NAT core, which passes such lines over, is not compared.
 */
function parserReplies(
  lines: readonly Uint8Array[],
  lenientClose: boolean,
): { ends: [number, number][]; refusedAt: number } {
  let index = 0;
  const ends: [number, number][] = [];
  const parser = new ReplyParser({
    lenientClose,
    onReply: (reply) => ends.push([index, reply.code]),
  });
  for (; index < lines.length; index++) {
    try {
      parser.push(lines[index]!);
    } catch (error) {
      if (!(error instanceof ReplyError)) throw error;
      return { ends, refusedAt: index };
    }
  }
  return { ends, refusedAt: lines.length };
}

/** The input cut into its lines, each with its terminator. */
function linesOf(chunks: readonly Uint8Array[]): Uint8Array[] {
  const bytes = concat(chunks);
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let lf = bytes.indexOf(0x0a); lf !== -1; lf = bytes.indexOf(0x0a, start)) {
    lines.push(bytes.subarray(start, lf + 1));
    start = lf + 1;
  }
  return lines;
}

describe('one reply framing: NAT reply tracking agrees with ReplyParser', () => {
  for (const lenientClose of [false, true]) {
    it(
      `any lines (lenientClose ${lenientClose}): the same replies end at the same lines with the same codes`,
      () => {
        fc.assert(
          fc.property(fc.oneof(input, session), ({ chunks }) => {
            const lines = linesOf(chunks);
            const parsed = parserReplies(lines, lenientClose);
            const tracked = natReplies(lines, lenientClose).filter(
              ([index]) => index < parsed.refusedAt,
            );
            expect(tracked).toEqual(parsed.ends);
          }),
          { numRuns: RUNS },
        );
      },
      TIMEOUT,
    );
  }

  it(
    'any lines in any chunks: the NAT core completes the same replies in the same chunks, up to a line the parser refuses',
    () => {
      fc.assert(
        fc.property(fc.oneof(input, session), fc.boolean(), ({ chunks }, lenientClose) => {
          const parsed = parserReplies(chunks, lenientClose);
          const tracked = natReplies(chunks, lenientClose);
          if (parsed.refusedAt === chunks.length) expect(tracked).toEqual(parsed.ends);
          else expect(tracked.slice(0, parsed.ends.length)).toEqual(parsed.ends);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it('the NAT core agrees on whole sessions RFC 959 accepts, to the last reply', () => {
    fc.assert(
      fc.property(session, ({ chunks }) => {
        const lines = linesOf(chunks);
        const parsed = parserReplies(lines, false);
        expect(parsed.refusedAt).toBe(lines.length);
        expect(natReplies(lines, false)).toEqual(parsed.ends);
      }),
      { numRuns: RUNS },
    );
  });
});
