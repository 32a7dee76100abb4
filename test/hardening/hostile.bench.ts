/**
 * Wall-clock times of the linear-time battery's hostile inputs, 256 KiB and 1 MiB in 1460-byte
 * chunks: the tests assert counted work (they cannot flake); this reports what it costs.
 * `npx vitest bench --run test/hardening/hostile.bench.ts` (sources, through Vite; compare the
 * 1 MiB and 256 KiB lines of each group: linear is about 4x).
 */
import { CommandParser } from '@ftpwire/command';
import { LineSplitter } from '@ftpwire/lines';
import { NatError, NatRewriter, ReplyRewriter, type StreamRewriter } from '@ftpwire/nat';
import { ReplyParser } from '@ftpwire/reply';
import { bench, describe } from 'vitest';
import {
  bytesOf,
  COMMAND_HOSTILE,
  COMMAND_MALFORMED,
  LINES_HOSTILE,
  NAT_HOSTILE_COMMANDS,
  NAT_HOSTILE_REPLIES,
  REPLY_HOSTILE,
} from './hostile.js';
import { chunked, KIB, MIB, repeatTo } from './work.js';

const ignore = (): void => {};
const encoder = new TextEncoder();

function drain(rewriter: StreamRewriter, chunks: readonly Uint8Array[]): void {
  try {
    for (const chunk of chunks) rewriter.push(chunk, ignore);
    rewriter.end(ignore);
  } catch (error) {
    if (!(error instanceof NatError)) throw error;
  }
}

function natSession(pasv: boolean): NatRewriter {
  const nat = new NatRewriter({
    publicHost: '193.21.1.121',
    clientAddress: '10.0.0.5',
    clientPublicHost: '198.51.100.20',
    maxPendingCommands: 10_000_000,
  });
  nat.replies.push(encoder.encode('220 ready\r\n'), ignore);
  if (pasv) nat.commands.push(encoder.encode('PASV\r\n'), ignore);
  return nat;
}

const groups: [string, Record<string, string | Uint8Array>, (chunks: Uint8Array[]) => void][] = [
  [
    'LineSplitter',
    LINES_HOSTILE,
    (chunks) => {
      const splitter = new LineSplitter({ telnet: true, onLine: ignore });
      for (const chunk of chunks) splitter.push(chunk);
      splitter.end();
    },
  ],
  [
    'ReplyParser',
    REPLY_HOSTILE,
    (chunks) => {
      const parser = new ReplyParser({ maxReplyLines: 10_000_000, onReply: ignore });
      parser.push(encoder.encode('211-Features:\r\n'));
      for (const chunk of chunks) parser.push(chunk);
    },
  ],
  [
    'CommandParser',
    { ...COMMAND_HOSTILE, ...COMMAND_MALFORMED },
    (chunks) => {
      const parser = new CommandParser({
        telnet: true,
        onCommand: ignore,
        onMalformedLine: ignore,
      });
      for (const chunk of chunks) parser.push(chunk);
      parser.end();
    },
  ],
  ['NatRewriter replies', NAT_HOSTILE_REPLIES, (chunks) => drain(natSession(true).replies, chunks)],
  [
    'NatRewriter commands',
    NAT_HOSTILE_COMMANDS,
    (chunks) => drain(natSession(false).commands, chunks),
  ],
  [
    'ReplyRewriter',
    NAT_HOSTILE_REPLIES,
    (chunks) => drain(new ReplyRewriter({ publicHost: '193.21.1.121' }), chunks),
  ],
];

for (const [name, inputs, consume] of groups) {
  for (const [input, unit] of Object.entries(inputs)) {
    describe(`${name}: ${input}`, () => {
      for (const size of [256 * KIB, MIB]) {
        const chunks = chunked(
          repeatTo(typeof unit === 'string' ? bytesOf(unit) : unit, size),
          1460,
        );
        bench(`${size / KIB} KiB`, () => consume(chunks), { iterations: 5, time: 0 });
      }
    });
  }
}
