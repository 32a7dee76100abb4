/**
 * One workload, run `INSTRUCTIONS_PASSES` times, for bench/instructions.sh to count under
 * callgrind. The packages come from the `dist/` folders under argv[3] (default: this
 * checkout's), so that two builds (say, main's and a branch's) can be compared.
 */
import { fileURLToPath } from 'node:url';
import { largeChunks, segments } from './corpus.js';
import { steps } from './nat-contenders.js';

const workload = process.argv[2] ?? 'reply-segments';
const packages = process.argv[3] ?? fileURLToPath(new URL('../packages', import.meta.url));
const passes = Number(process.env['INSTRUCTIONS_PASSES'] ?? 4);
const reply = (await import(`${packages}/reply/dist/index.js`)) as typeof import('@ftpwire/reply');
const nat = (await import(`${packages}/nat/dist/index.js`)) as typeof import('@ftpwire/nat');

let sink = 0;
const count = (bytes: Uint8Array) => {
  sink += bytes.length;
};

function parse(chunks: readonly Uint8Array[]): void {
  const parser = new reply.ReplyParser({
    onReply: (parsed) => {
      sink += parsed.code + parsed.lines.length;
    },
  });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
}

function rewriteReplies(work: ReturnType<typeof steps>): void {
  const rewriter = new nat.ReplyRewriter({ publicHost: '193.21.1.121', rewriteHosts: 'all' });
  for (const step of work) rewriter.pushJoined(step.replies, count);
  rewriter.end(count);
}

function session(work: ReturnType<typeof steps>): void {
  const rewriter = new nat.NatRewriter({ publicHost: '193.21.1.121' });
  for (const step of work) {
    if (step.commands.length > 0) rewriter.commands.push(step.commands, count);
    rewriter.replies.push(step.replies, count);
  }
  rewriter.commands.end(count);
  rewriter.replies.end(count);
}

const runs: Record<string, () => void> = {
  'reply-segments': () => parse(segments),
  'reply-64k': () => parse(largeChunks),
  'nat-reply-64k': (
    (work) => () =>
      rewriteReplies(work)
  )(steps(64 * 1024)),
  'nat-reply-1460': (
    (work) => () =>
      rewriteReplies(work)
  )(steps(1460)),
  'nat-core-64k': (
    (work) => () =>
      session(work)
  )(steps(64 * 1024)),
  'nat-core-1460': (
    (work) => () =>
      session(work)
  )(steps(1460)),
};
const run = runs[workload];
if (run === undefined)
  throw new Error(`unknown workload ${workload}: ${Object.keys(runs).join(', ')}`);
for (let pass = 0; pass < passes; pass++) run();
console.log(sink);
