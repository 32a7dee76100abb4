import { decodeHostPort, parsePasvReply } from '@ftpwire/address';
import {
  NatError,
  type NatOptions,
  NatRewriter,
  ReplyRewriter,
  type StreamRewriter,
} from '@ftpwire/nat';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytes, concat, split, text } from './helpers.js';

const numRuns = Number(process.env['FC_NUM_RUNS'] ?? 200);
/** Large FC_NUM_RUNS runs take longer than vitest's default 5 s. */
const timeout = Math.max(5_000, numRuns * 5);
const PUBLIC = '193.21.1.121';

const byte = fc.integer({ min: 0, max: 255 });
const privateHost = fc.oneof(
  fc.tuple(fc.constant(10), byte, byte, byte),
  fc.tuple(fc.constant(192), fc.constant(168), byte, byte),
  fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), byte, byte),
  fc.tuple(fc.constant(127), byte, byte, byte),
);
const port = fc.integer({ min: 1024, max: 65535 });
const tuple = fc
  .tuple(privateHost, port)
  .map(([[a, b, c, d], p]) => `${a},${b},${c},${d},${p >> 8},${p & 255}`);
/** Reply text as servers write it: no digits before the address, no CR or LF. */
const words = fc.stringMatching(/^[A-Za-z .;:'"!=(]{0,30}$/);
const anyText = fc.stringMatching(/^[ -~]{0,40}$/);
const code = fc.integer({ min: 100, max: 599 }).map(String);
const eol = fc.constantFrom('\r\n', '\r\n', '\n');

const replyLine = fc.oneof(
  fc.tuple(tuple, eol).map(([t, e]) => `227 Entering Passive Mode (${t}).${e}`),
  fc.tuple(tuple, eol).map(([t, e]) => `227 PASV OK (${t})${e}`),
  fc.tuple(code, anyText, eol).map(([c, t, e]) => `${c} ${t}${e}`),
  fc
    .tuple(code, anyText, tuple, eol)
    .map(([c, t, u, e]) => `${c}-${t}\r\n227 (${u})\r\n 227 ${t}${e}${c} end${e}`),
  fc.tuple(anyText, tuple, eol).map(([t, u, e]) => `550 ${t} 227 (${u})${e}`),
  fc.constantFrom(
    '229 Entering Extended Passive Mode (|||30004|)\r\n',
    '229 EPSV OK (|||65535|)\r\n',
    '227\r\n',
    '22\r\n',
    '\r\n',
    '631 abc\r\n',
    '234 go?\r\n',
  ),
  fc.uint8Array({ maxLength: 12 }).map((raw) => text(raw.filter((b) => b !== 0x0a))),
);
const commandLine = fc.oneof(
  fc.constantFrom(
    'PASV\r\n',
    'pasv\n',
    'EPSV\r\n',
    'NOOP\r\n',
    'LIST\r\n',
    'TYPE I\r\n',
    'PASSV\r\n',
    '\r\n',
  ),
  // Rarer lines that stop the session: AUTH (secure or refused), a port below 1024.
  fc.constantFrom('AUTH TLS\r\n', 'PORT 192,168,1,20,0,21\r\n'),
  tuple.map((t) => `PORT ${t}\r\n`),
  fc.tuple(privateHost, port).map(([[a, b, c, d], p]) => `EPRT |1|${a}.${b}.${c}.${d}|${p}|\r\n`),
  fc.tuple(fc.stringMatching(/^[A-Za-z]{1,5}$/), anyText).map(([v, a]) => `${v} ${a}\r\n`),
);
/** One round of a dialog: what the client sends, then what the server sends. */
const round = fc.tuple(
  fc.array(commandLine, { maxLength: 4 }),
  fc.array(replyLine, { maxLength: 5 }),
);
const dialog = fc.array(round, { minLength: 1, maxLength: 6 });
const cuts = fc.array(fc.nat(), { maxLength: 8 });

type Outcome = { commands: string; replies: string; error?: string };

/** Drives a session through the rounds, each direction's chunk split at the given cuts. */
function drive(
  nat: NatRewriter,
  rounds: readonly (readonly [readonly string[], readonly string[]])[],
  cutsFor: (index: number) => readonly number[],
  joined = false,
): Outcome {
  const commands: Uint8Array[] = [];
  const replies: Uint8Array[] = [];
  let index = 0;
  const feed = (rewriter: StreamRewriter, chunk: string, out: Uint8Array[]) => {
    for (const piece of split(bytes(chunk), cutsFor(index++))) {
      if (!joined) {
        rewriter.push(piece, (p) => out.push(p.slice()));
        continue;
      }
      // One delivery per chunk at most, whatever the chunk let out.
      let deliveries = 0;
      try {
        rewriter.pushJoined(piece, (p) => {
          deliveries++;
          out.push(p.slice());
        });
      } finally {
        expect(deliveries).toBeLessThanOrEqual(1);
      }
    }
  };
  let error: string | undefined;
  try {
    feed(nat.replies, '220 ready\r\n', replies);
    for (const [sent, answered] of rounds) {
      feed(nat.commands, sent.join(''), commands);
      feed(nat.replies, answered.join(''), replies);
    }
    nat.commands.end((p) => commands.push(p.slice()));
    nat.replies.end((p) => replies.push(p.slice()));
  } catch (caught) {
    if (!(caught instanceof NatError)) throw caught;
    error = `${caught.code}@${caught.offset}`;
  }
  const outcome: Outcome = { commands: text(concat(commands)), replies: text(concat(replies)) };
  return error === undefined ? outcome : { ...outcome, error };
}

const options: NatOptions = {
  publicHost: PUBLIC,
  clientAddress: '192.168.1.20',
  clientPublicHost: '198.51.100.20',
};

describe('NAT session laws', () => {
  it(
    'pushJoined delivers, chunk for chunk, the bytes push emits as pieces',
    () => {
      fc.assert(
        fc.property(
          dialog,
          fc.array(cuts, { maxLength: 20 }),
          // Public hosts shorter and longer than the advertised ones, and a port map, so
          // that rewritten lines shrink and grow within one chunk.
          fc.constantFrom('1.2.3.4', PUBLIC, '10.0.0.1'),
          (rounds, allCuts, publicHost) => {
            for (const variant of [
              { ...options, publicHost },
              { ...options, publicHost, pasvViaEpsv: true, portMap: (p: number) => p - 1 },
            ]) {
              const cutsFor = (i: number) => allCuts[i % (allCuts.length || 1)] ?? [];
              expect(drive(new NatRewriter(variant), rounds, cutsFor, true)).toEqual(
                drive(new NatRewriter(variant), rounds, cutsFor),
              );
            }
          },
        ),
        { numRuns },
      );
    },
    timeout,
  );

  it(
    'output is the same for every chunking of the input',
    () => {
      fc.assert(
        fc.property(dialog, fc.array(cuts, { maxLength: 20 }), (rounds, allCuts) => {
          // Also with PASV sent as EPSV, so held PASV lines and translated 229s are chunked too.
          for (const variant of [
            options,
            { ...options, pasvViaEpsv: true, portMap: (p: number) => p - 1 },
          ]) {
            const whole = drive(new NatRewriter(variant), rounds, () => []);
            const cutsFor = (i: number) => allCuts[i % (allCuts.length || 1)] ?? [];
            expect(drive(new NatRewriter(variant), rounds, cutsFor)).toEqual(whole);
          }
        }),
        { numRuns },
      );
    },
    timeout,
  );

  it(
    'large chunks (searched as text) and small chunks give the same output',
    () => {
      fc.assert(
        fc.property(fc.array(round, { minLength: 1, maxLength: 4 }), cuts, (rounds, at) => {
          // Repeat the dialog past 4 KiB so that whole chunks take the text search.
          const repeated: (readonly [string[], string[]])[] = [];
          let size = 0;
          while (size < 6000) {
            for (const [sent, answered] of rounds) {
              repeated.push([sent, answered]);
              size += sent.join('').length + answered.join('').length + 1;
            }
            size += 100;
          }
          const commands = repeated
            .flatMap(([sent]) => sent)
            .join('')
            .replaceAll('AUTH TLS', 'NOOP');
          const replies = repeated.flatMap(([, answered]) => answered).join('');
          const runAll = (split: (data: Uint8Array) => Uint8Array[]) => {
            const nat = new NatRewriter({ ...options, maxPendingCommands: 1 << 16 });
            const out: Uint8Array[] = [];
            const sinkOut = (p: Uint8Array) => out.push(p.slice());
            try {
              nat.replies.push(bytes('220 ready\r\n'), sinkOut);
              for (const piece of split(bytes(commands))) nat.commands.push(piece, () => undefined);
              for (const piece of split(bytes(replies))) nat.replies.push(piece, sinkOut);
              return text(concat(out));
            } catch (caught) {
              if (!(caught instanceof NatError)) throw caught;
              return `${text(concat(out))}!${caught.code}@${caught.offset}`;
            }
          };
          expect(runAll((data) => split(data, at))).toBe(runAll((data) => [data]));
        }),
        { numRuns },
      );
    },
    timeout,
  );

  it(
    'ReplyRewriter: output is the same for every chunking of the input (without 234)',
    () => {
      fc.assert(
        fc.property(fc.array(replyLine, { maxLength: 20 }), cuts, (lines, at) => {
          const input = bytes(lines.filter((line) => !line.startsWith('234')).join(''));
          const run = (pieces: Uint8Array[]) => {
            const rewriter = new ReplyRewriter({ publicHost: PUBLIC });
            const out: Uint8Array[] = [];
            for (const piece of pieces) rewriter.push(piece, (p) => out.push(p));
            rewriter.end((p) => out.push(p));
            return text(concat(out));
          };
          expect(run(split(input, at))).toBe(run([input]));
        }),
        { numRuns },
      );
    },
    timeout,
  );

  it(
    'with no PASV outstanding the output equals the input byte for byte',
    () => {
      fc.assert(
        fc.property(fc.array(replyLine, { maxLength: 20 }), cuts, (lines, at) => {
          // No command is ever seen, so no 227 answers a PASV; rewriteHosts 'all' would rewrite any.
          const nat = new NatRewriter({ publicHost: PUBLIC, rewriteHosts: 'all' });
          const input = bytes(lines.join(''));
          const out: Uint8Array[] = [];
          for (const piece of split(input, at)) nat.replies.push(piece, (p) => out.push(p));
          nat.replies.end((p) => out.push(p));
          expect(concat(out)).toEqual(input);
        }),
        { numRuns },
      );
    },
    timeout,
  );

  it(
    'a 227 inside a multi-line reply, an unsolicited 227 and a 227 mid-line are never rewritten',
    () => {
      // Final replies (2yz-5yz) other than 227: a 1yz would leave the PASV waiting for the 227
      // that follows, and a line starting "227 " is the 227 itself.
      const final = fc
        .integer({ min: 200, max: 599 })
        .filter((c) => c !== 227)
        .map(String);
      const answer = fc.oneof(
        // The PASV is answered by a multi-line reply full of 227 lines...
        fc
          .tuple(final, tuple)
          .map(([c, t]) => `${c}-x\r\n227 Entering Passive Mode (${t}).\r\n${c} end\r\n`),
        fc
          .tuple(tuple, tuple)
          .map(([t, u]) => `227-Entering Passive Mode (${t})\r\n227 (${u})\r\n`),
        // ...or by a line with a 227 in its middle...
        fc
          .tuple(final, words, tuple)
          .map(([c, w, t]) => `${c} ${w} 227 Entering Passive Mode (${t}).\r\n`),
      );
      fc.assert(
        fc.property(answer, fc.array(tuple, { maxLength: 3 }), cuts, (reply, unsolicited, at) => {
          const nat = new NatRewriter({ publicHost: PUBLIC, rewriteHosts: 'all' });
          const sink = () => undefined;
          nat.replies.push(bytes('220 ready\r\n'), sink);
          nat.commands.push(bytes('PASV\r\n'), sink);
          // ...and then come 227 replies no PASV asked for.
          const input = bytes(
            reply + unsolicited.map((t) => `227 Entering Passive Mode (${t}).\r\n`).join(''),
          );
          const out: Uint8Array[] = [];
          for (const piece of split(input, at)) nat.replies.push(piece, (p) => out.push(p));
          expect(concat(out)).toEqual(input);
        }),
        { numRuns },
      );
    },
    timeout,
  );

  it(
    'rewriting then decoding gives the mapped address, and the text around it is kept',
    () => {
      fc.assert(
        fc.property(
          words,
          tuple,
          fc.stringMatching(/^[ -~]{0,20}$/),
          fc.tuple(byte, byte, byte).map(([b, c, d]) => `198.${b}.${c}.${d}`),
          fc.integer({ min: -500, max: 500 }),
          (before, t, after, publicHost, shift) => {
            const original = decodeHostPort(t);
            const mappedPort = Math.min(65535, Math.max(1, original.port + shift));
            const rewriter = new ReplyRewriter({ publicHost, portMap: () => mappedPort });
            const line = `227 ${before}(${t})${after}\r\n`;
            const out: Uint8Array[] = [];
            rewriter.push(bytes(line), (p) => out.push(p));
            const result = text(concat(out));
            expect(parsePasvReply(result.slice(0, -2))).toEqual({
              host: publicHost,
              port: mappedPort,
            });
            expect(result.startsWith(`227 ${before}(`)).toBe(true);
            expect(result.endsWith(`)${after}\r\n`)).toBe(true);
          },
        ),
        { numRuns },
      );
    },
    timeout,
  );

  it(
    "rewriting PORT then decoding gives the client's public address",
    () => {
      fc.assert(
        fc.property(port, fc.tuple(byte, byte, byte), (p, [b, c, d]) => {
          const publicHost = `203.${b}.${c}.${d}`;
          const nat = new NatRewriter({
            clientAddress: '192.168.1.20',
            clientPublicHost: publicHost,
          });
          const out: Uint8Array[] = [];
          nat.commands.push(bytes(`PORT 192,168,1,20,${p >> 8},${p & 255}\r\n`), (x) =>
            out.push(x),
          );
          const line = text(concat(out));
          expect(decodeHostPort(line.slice(5, -2))).toEqual({ host: publicHost, port: p });
        }),
        { numRuns },
      );
    },
    timeout,
  );
});
