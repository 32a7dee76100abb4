import { decodeHostPort, type HostPort, parsePasvReply } from '@ftpwire/address';
import { NatError, NatRewriter, type RewriteEvent, type SkipEvent } from '@ftpwire/nat';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytes } from './helpers.js';

const numRuns = Number(process.env['FC_NUM_RUNS'] ?? 300);
const timeout = Math.max(5_000, numRuns * 5);

/** Numbers as servers and attackers write them: mostly bytes, sometimes not. */
const number = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 255 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('256', '010', '00', '-1', '', '99999999999', ' 1') },
);
/** Near-tuples, to reach every edge of the grammar: 5 to 7 numbers, odd separators, text around. */
const tupleish = fc
  .tuple(
    fc.constantFrom('', 'Entering Passive Mode (', '=', 'PASV OK (', 'v2 (', '1,2 (', '-', 'x,'),
    fc.array(number, { minLength: 5, maxLength: 7 }),
    fc.constantFrom(',', ',', ',', ',', ', ', '.', ',,'),
    fc.constantFrom('', ').', ')', ',7)', '0', ' 1,2'),
  )
  .map(([before, numbers, separator, after]) => before + numbers.join(separator) + after);

/** PORT arguments: near-tuples, usually with nothing around them. */
const portArgument = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.array(number, { minLength: 5, maxLength: 7 }), fc.constantFrom(',', ',', ',', '.'))
      .map(([n, s]) => n.join(s)),
  },
  { weight: 1, arbitrary: tupleish },
);

function quiet(): void {}

describe('the session reads addresses exactly as @ftpwire/address does', () => {
  it(
    'a 227 is rewritten exactly when parsePasvReply reads it, from the address it reads',
    () => {
      fc.assert(
        fc.property(tupleish, (text) => {
          const line = `227 ${text}`;
          const rewrites: RewriteEvent[] = [];
          const skips: SkipEvent[] = [];
          const nat = new NatRewriter({
            publicHost: '193.21.1.121',
            rewriteHosts: 'all',
            // Always a different port, so every readable 227 is rewritten.
            portMap: (port) => (port === 65535 ? 1 : port + 1),
            onRewrite: (e) => rewrites.push(e),
            onSkip: (e) => skips.push(e),
          });
          nat.replies.push(bytes('220 hi\r\n'), quiet);
          nat.commands.push(bytes('PASV\r\n'), quiet);
          let expected: HostPort | undefined;
          try {
            expected = parsePasvReply(line);
          } catch {
            expected = undefined;
          }
          nat.replies.push(bytes(`${line}\r\n`), quiet);
          if (expected === undefined) {
            expect(skips.map((s) => s.reason)).toEqual(['unparsable']);
            expect(rewrites).toEqual([]);
          } else {
            expect(rewrites.map((r) => r.original)).toEqual([expected]);
          }
        }),
        { numRuns },
      );
    },
    timeout,
  );

  it(
    'a PORT is read exactly when decodeHostPort reads it, as the address it reads',
    () => {
      fc.assert(
        fc.property(portArgument, (argument) => {
          const rewrites: RewriteEvent[] = [];
          const skips: SkipEvent[] = [];
          let expected: HostPort | undefined;
          try {
            expected = decodeHostPort(argument);
          } catch {
            expected = undefined;
          }
          const nat = new NatRewriter({
            clientAddress: expected?.host ?? '10.0.0.1',
            clientPublicHost: '198.51.100.20',
            onRewrite: (e) => rewrites.push(e),
            onSkip: (e) => skips.push(e),
          });
          let error: unknown;
          try {
            nat.commands.push(bytes(`PORT ${argument}\r\n`), quiet);
          } catch (caught) {
            error = caught;
          }
          if (expected === undefined) {
            // Not a PORT line at all (no argument after the space) or unreadable: passed on.
            expect(error).toBeUndefined();
            expect(rewrites).toEqual([]);
            if (argument !== '') expect(skips.map((s) => s.reason)).toEqual(['unparsable']);
          } else if (expected.port < 1024) {
            expect(error).toBeInstanceOf(NatError);
          } else if (expected.host === '198.51.100.20') {
            expect(rewrites).toEqual([]);
          } else {
            expect(rewrites.map((r) => r.original)).toEqual([expected]);
          }
        }),
        { numRuns },
      );
    },
    timeout,
  );
});
