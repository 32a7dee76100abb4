/**
 * The data-address parsers on real 227/229 reply formats (test/fixtures/address), against
 * what a user would otherwise pick: basic-ftp's `parsePasvResponse`/`parseEpsvResponse`
 * (dist/transfer.js), in the same run. Every workload is checked once at module load,
 * outside timing: ftpwire must return the true host and port for every reply or the file
 * throws.
 *
 * Workloads:
 * - `fixtures`: the fixture replies as they are, cycled to 1000 (a handful of servers, as a
 *   client or a NAT sees them: the same few hosts again and again);
 * - `seeded`: 1000 replies in the fixture formats with seeded random hosts and ports (every
 *   host new: no cache can help);
 * - hostile text of 256 KiB and 1 MiB, for the linearity figure (time of 1 MiB / 256 KiB,
 *   4 for a linear parser; the target is at most 5).
 */
import * as ftpwire from '@ftpwire/address';
import * as basicFtp from 'basic-ftp/dist/transfer.js';
import { bench, describe } from 'vitest';
import { epsvReplies, pasvReplies } from '../test/fixtures/address/passive-replies.js';
import { mulberry32 } from '../test/fixtures/random.js';

/**
 * The functions under test, held in plain constants: vitest's module runner turns each use of
 * an imported name into a getter call on a namespace object, a cost no bundled or native-ESM
 * program pays, so neither side is charged for it.
 */
const { parseEpsvReply, parsePasvReply } = ftpwire;
const { parseEpsvResponse, parsePasvResponse } = basicFtp;

/** Every parse result feeds this sum, a store the compiler must keep. */
let sink = 0;
const options = { time: 1000, warmupTime: 300 };

const random = mulberry32(0x41445253); // "ADRS"
const byte = (): number => Math.floor(random() * 256);

/**
 * Text as a socket delivers it: decoded from bytes into one flat string. Strings built with
 * `+`, `replace` or `repeat` are rope (cons) strings in V8, slower to index for every parser.
 */
const decoder = new TextDecoder();
const encoder = new TextEncoder();
const asReceived = (text: string): string => decoder.decode(encoder.encode(text));

interface Expected {
  readonly reply: string;
  readonly host: string;
  readonly port: number;
}

/** The fixture replies, cycled to 1000 so per-iteration overhead of the harness does not dilute the ratio. */
const fixturePasv: readonly Expected[] = Array.from(
  { length: 1000 },
  (_, i) => pasvReplies[i % pasvReplies.length]!,
);
/** The fixture formats with a fresh host and port each: the tuple is cut out and replaced. */
const seededPasv: readonly Expected[] = Array.from({ length: 1000 }, (_, i) => {
  const format = pasvReplies[i % pasvReplies.length]!;
  const tuple = `${format.host.replaceAll('.', ',')},${format.port >>> 8},${format.port & 255}`;
  const at = format.reply.indexOf(tuple);
  if (at < 0) throw new Error(`fixture ${format.reply} does not hold ${tuple}`);
  const host = `${byte()}.${byte()}.${byte()}.${byte()}`;
  const port = 1024 + Math.floor(random() * (65536 - 1024));
  const reply = `${format.reply.slice(0, at)}${host.replaceAll('.', ',')},${port >>> 8},${port & 255}${format.reply.slice(at + tuple.length)}`;
  return { reply: asReceived(reply), host, port };
});
const fixtureEpsv = Array.from({ length: 1000 }, (_, i) => epsvReplies[i % epsvReplies.length]!);
const seededEpsv = Array.from({ length: 1000 }, (_, i) => {
  const format = epsvReplies[i % epsvReplies.length]!;
  const port = Math.floor(random() * 65536);
  return { reply: asReceived(format.reply.replace(String(format.port), String(port))), port };
});

for (const { reply, host, port } of [...fixturePasv, ...seededPasv]) {
  const got = parsePasvReply(reply);
  if (got.host !== host || got.port !== port) throw new Error(`ftpwire misread ${reply}`);
}
for (const { reply, port } of [...fixtureEpsv, ...seededEpsv]) {
  if (parseEpsvReply(reply) !== port) throw new Error(`ftpwire misread ${reply}`);
}

const bytes = (replies: readonly { reply: string }[]): number =>
  replies.reduce((sum, { reply }) => sum + reply.length, 0);

function pasvSuite(name: string, replies: readonly Expected[]): void {
  const texts = replies.map((r) => r.reply);
  describe(`227 ${name}: ${texts.length} replies, ${bytes(replies)} bytes`, () => {
    bench(
      'ftpwire parsePasvReply',
      () => {
        for (const text of texts) {
          const hp = parsePasvReply(text);
          sink += hp.port + hp.host.length;
        }
      },
      options,
    );
    bench(
      'basic-ftp parsePasvResponse',
      () => {
        for (const text of texts) {
          const hp = parsePasvResponse(text);
          sink += hp.port + hp.host.length;
        }
      },
      options,
    );
  });
}

function epsvSuite(name: string, replies: readonly { reply: string }[]): void {
  const texts = replies.map((r) => r.reply);
  describe(`229 ${name}: ${texts.length} replies, ${bytes(replies)} bytes`, () => {
    bench(
      'ftpwire parseEpsvReply',
      () => {
        for (const text of texts) sink += parseEpsvReply(text);
      },
      options,
    );
    bench(
      'basic-ftp parseEpsvResponse',
      () => {
        for (const text of texts) sink += parseEpsvResponse(text);
      },
      options,
    );
  });
}

pasvSuite('fixtures', fixturePasv);
pasvSuite('seeded', seededPasv);
epsvSuite('fixtures', fixtureEpsv);
epsvSuite('seeded', seededEpsv);

/** Runs a parser that is expected to reject `text`, counting rejections into the sink. */
function rejects(parse: (text: string) => unknown, text: string): void {
  try {
    parse(text);
  } catch {
    sink++;
    return;
  }
  sink += 2;
}

const KiB = 1024;
const hostile: readonly { name: string; make: (size: number) => string }[] = [
  { name: '227 "1," repeated', make: (size) => `227 ${'1,'.repeat(size / 2)}` },
  { name: '227 digits, no comma', make: (size) => `227 ${'1'.repeat(size)}` },
  { name: '227 "1 " repeated', make: (size) => `227 ${'1 '.repeat(size / 2)}` },
  { name: '229 "(" repeated', make: (size) => `229 ${'('.repeat(size)}` },
  { name: '229 "(|||" then digits', make: (size) => `229 (|||${'1'.repeat(size)}` },
];
for (const { name, make } of hostile) {
  describe(`hostile ${name}`, () => {
    for (const size of [256 * KiB, 1024 * KiB]) {
      const text = asReceived(make(size));
      const ours = name.startsWith('227') ? parsePasvReply : parseEpsvReply;
      const theirs = name.startsWith('227') ? parsePasvResponse : parseEpsvResponse;
      bench(`ftpwire ${size / KiB} KiB`, () => rejects(ours, text), { ...options, iterations: 5 });
      bench(`basic-ftp ${size / KiB} KiB`, () => rejects(theirs, text), {
        ...options,
        iterations: 5,
      });
    }
  });
}

export { sink };
