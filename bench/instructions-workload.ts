/**
 * One workload, run `INSTRUCTIONS_PASSES` times, for bench/instructions.sh to count under
 * callgrind. The packages come from the `dist/` folders under argv[3] (default: this
 * checkout's), so that two builds (say, main's and a branch's) can be compared.
 */
import { fileURLToPath } from 'node:url';
import { largeChunks, segments } from './corpus.js';
import { basicFtpList, dos, mlsd, NOW, unix } from './listing-corpus.js';
import { steps } from './nat-contenders.js';

const workload = process.argv[2] ?? 'reply-segments';
const packages = process.argv[3] ?? fileURLToPath(new URL('../packages', import.meta.url));
const passes = Number(process.env['INSTRUCTIONS_PASSES'] ?? 4);
const reply = (await import(`${packages}/reply/dist/index.js`)) as typeof import('@ftpwire/reply');
const nat = (await import(`${packages}/nat/dist/index.js`)) as typeof import('@ftpwire/nat');
const listing = (await import(
  `${packages}/listing/dist/index.js`
)) as typeof import('@ftpwire/listing');

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

/** Each line of a listing through the one-shot parser, cut as bench/listing-corpus.ts cuts it. */
function listLines(text: string, read: (line: string) => { name: string } | undefined): void {
  for (let start = 0; start < text.length; ) {
    let lf = text.indexOf('\n', start);
    if (lf === -1) lf = text.length;
    const end = lf > start && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
    sink += read(text.slice(start, end))?.name.length ?? 0;
    start = lf + 1;
  }
}
const listOptions = { now: NOW };

const runs: Record<string, () => void> = {
  'list-unix': () => listLines(unix.text, (line) => listing.parseListLine(line, listOptions)),
  'list-dos': () => listLines(dos.text, (line) => listing.parseListLine(line, listOptions)),
  'mlsd-facts': () => listLines(mlsd.text, (line) => listing.parseFacts(line)),
  'basic-ftp-unix': () => {
    sink += basicFtpList(unix.text);
  },
  'basic-ftp-dos': () => {
    sink += basicFtpList(dos.text);
  },
  'basic-ftp-mlsd': () => {
    sink += basicFtpList(mlsd.text, true);
  },
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
