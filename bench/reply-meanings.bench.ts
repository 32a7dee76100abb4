/**
 * The reply meaning parsers of @ftpwire/reply against what a user would otherwise pick, in
 * the same run: for 257, CPython ftplib's `parse257` as a JavaScript regex (the port a script
 * author writes) and basic-ftp's `pwd()` pattern; for FEAT, SIZE and MDTM, basic-ftp's
 * `features()`, `size()` and `lastMod()` (its `parseMLSxDate`); for 150, ftplib's `parse150`
 * pattern. Every workload is checked once at module load, outside timing: ftpwire must read
 * the true value of every reply or the file throws.
 *
 * Workloads: 1000 replies each, in the wordings of vsftpd, ProFTPD, Pure-FTPd and IIS
 * (test/fixtures/reply-meanings.ts), with seeded paths (some with quotes and UTF-8), sizes and
 * times, decoded from bytes as a socket delivers them.
 */
import * as ftpwire from '@ftpwire/reply';
import { parseMLSxDate } from 'basic-ftp/dist/parseListMLSD.js';
import { bench, describe } from 'vitest';
import { mulberry32 } from '../test/fixtures/random.js';

/** Plain constants: no getter per call through the module runner's namespace objects. */
const {
  parseFeatureReply,
  parseModificationTimeReply,
  parsePathnameReply,
  parseSizeReply,
  parseTransferSize,
} = ftpwire;

/** Every result feeds this sum, a store no compiler may drop (see bench/README.md). */
const sink = { value: 0 };
const options = { time: 1000, warmupTime: 300 };
const random = mulberry32(0x4d45414e); // "MEAN"
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const decoder = new TextDecoder();
const encoder = new TextEncoder();
/** Text as a socket delivers it: one flat string decoded from bytes, not a rope. */
const asReceived = (text: string): string => decoder.decode(encoder.encode(text));
const bytesOf = (list: readonly string[]): number =>
  list.reduce((sum, text) => sum + encoder.encode(text).length, 0);

// ---- 257

/** ftplib's parse257 (Lib/ftplib.py) as a regex: `257 "`, then "" for a quote, up to a lone quote. */
const FTPLIB_257 = /^257 "((?:[^"]|"")*)/;
function ftplibParse257(resp: string): string {
  const match = FTPLIB_257.exec(resp);
  return match === null ? '' : match[1]!.replaceAll('""', '"');
}
/** basic-ftp's Client.pwd() (dist/Client.js): the greedy pattern, no unescaping. */
function basicFtpPwd(message: string): string {
  const parsed = message.match(/"(.+)"/);
  if (parsed === null || parsed[1] === undefined) throw new Error(`Can't parse ${message}`);
  return parsed[1];
}

const segment = (): string =>
  Array.from({ length: 1 + Math.floor(random() * 8) }, () =>
    pick([...'abcdefghijklmnopqrstuvwxyz0123456789._-']),
  ).join('');
const paths = Array.from({ length: 1000 }, () => {
  const parts = Array.from({ length: 1 + Math.floor(random() * 5) }, segment);
  const roll = random();
  if (roll < 0.05) parts.push('say "hi"');
  else if (roll < 0.1) parts.push('données');
  return `/${parts.join('/')}`;
});
const wordings257 = [
  ' is the current directory',
  ' created',
  ' - Directory successfully created',
  ' is your current location',
  ' is current directory.',
];
const pathReplies = paths.map((path) =>
  asReceived(`257 "${path.replaceAll('"', '""')}"${pick(wordings257)}`),
);
pathReplies.forEach((reply, i) => {
  if (parsePathnameReply(reply) !== paths[i]) throw new Error(`ftpwire misread ${reply}`);
  if (ftplibParse257(reply) !== paths[i]) throw new Error(`the ftplib regex misread ${reply}`);
});
/** basic-ftp keeps "" doubled: it reads the quoted names without quotes right, the rest not. */
const basicFtpRight = pathReplies.filter((reply, i) => basicFtpPwd(reply) === paths[i]).length;

describe(`257 replies to PWD/MKD [replies=1000 bytes=${bytesOf(pathReplies)}]`, () => {
  bench(
    'ftpwire parsePathnameReply',
    () => {
      let total = 0;
      for (const reply of pathReplies) total += parsePathnameReply(reply).length;
      sink.value += total;
    },
    options,
  );
  bench(
    'ftplib parse257 as a regex',
    () => {
      let total = 0;
      for (const reply of pathReplies) total += ftplibParse257(reply).length;
      sink.value += total;
    },
    options,
  );
  bench(
    `basic-ftp pwd() pattern [right=${basicFtpRight}]`,
    () => {
      let total = 0;
      for (const reply of pathReplies) total += basicFtpPwd(reply).length;
      sink.value += total;
    },
    options,
  );
});

// ---- FEAT

/** basic-ftp's Client.features() (dist/Client.js), on its response's message. */
function basicFtpFeatures(message: string): Map<string, string> {
  const features = new Map<string, string>();
  message
    .split('\n')
    .slice(1, -1)
    .forEach((line) => {
      const entry = line.trim().split(' ');
      features.set(entry[0]!, entry[1] || '');
    });
  return features;
}
const featureNames = [
  'EPSV',
  'EPRT',
  'MDTM',
  'SIZE',
  'UTF8',
  'TVFS',
  'PASV',
  'PBSZ',
  'PROT',
  'MLSD',
];
const featReplies = Array.from({ length: 1000 }, () => {
  const lines = featureNames.filter(() => random() < 0.7).map((name) => ` ${name}`);
  lines.push(' REST STREAM', ' AUTH TLS', ' MLST type*;size*;modify*;UNIX.mode*;unique*;');
  return asReceived(`211-Features:\r\n${lines.join('\r\n')}\r\n211 End\r\n`);
});
/** basic-ftp reads the message its control parser made: lines joined with LF, no CRLF. */
const featMessages = featReplies.map((reply) => reply.trimEnd().replaceAll('\r\n', '\n'));
featReplies.forEach((reply, i) => {
  const ours = parseFeatureReply(reply);
  const theirs = basicFtpFeatures(featMessages[i]!);
  if (ours.size !== theirs.size || ours.get('MLST') !== theirs.get('MLST')) {
    throw new Error(`FEAT readings differ on ${reply}`);
  }
});
const parsedFeat = featReplies.map((reply) => ftpwire.parseReply(reply));

describe(`211 replies to FEAT [replies=1000 bytes=${bytesOf(featReplies)}]`, () => {
  bench(
    'ftpwire parseFeatureReply (text)',
    () => {
      let total = 0;
      for (const reply of featReplies) total += parseFeatureReply(reply).size;
      sink.value += total;
    },
    options,
  );
  bench(
    'ftpwire parseFeatureReply (a parsed Reply)',
    () => {
      let total = 0;
      for (const reply of parsedFeat) total += parseFeatureReply(reply).size;
      sink.value += total;
    },
    options,
  );
  bench(
    'basic-ftp features() (a parsed message)',
    () => {
      let total = 0;
      for (const message of featMessages) total += basicFtpFeatures(message).size;
      sink.value += total;
    },
    options,
  );
});

// ---- SIZE, MDTM, 150

const sizes = Array.from({ length: 1000 }, () => Math.floor(random() * 2 ** (random() * 40)));
const sizeReplies = sizes.map((size) => asReceived(`213 ${size}`));
const times = Array.from({ length: 1000 }, () =>
  Math.floor(Date.UTC(2000, 0, 1) + random() * 8e11),
);
const timeReplies = times.map((time) =>
  asReceived(`213 ${ftpwire.formatTimeVal(new Date(Math.floor(time / 1000) * 1000))}`),
);
const transferReplies = sizes.map((size, i) =>
  asReceived(
    i % 3 === 2
      ? '150 Here comes the directory listing.'
      : `150 Opening BINARY mode data connection for ${segment()}.bin (${size} bytes).`,
  ),
);
/** ftplib's parse150 pattern, as a JavaScript regex (`.` there excludes only LF). */
const FTPLIB_150 = /^150 [^\n]* \((\d+) bytes\)/i;
const ftplibParse150 = (resp: string): number | undefined => {
  const match = FTPLIB_150.exec(resp);
  return match === null ? undefined : Number(match[1]);
};
sizeReplies.forEach((reply, i) => {
  if (parseSizeReply(reply) !== sizes[i]) throw new Error(`ftpwire misread ${reply}`);
});
timeReplies.forEach((reply) => {
  if (parseModificationTimeReply(reply).getTime() !== parseMLSxDate(reply.slice(4)).getTime()) {
    throw new Error(`MDTM readings differ on ${reply}`);
  }
});
transferReplies.forEach((reply) => {
  if (parseTransferSize(reply) !== ftplibParse150(reply)) throw new Error(`150 differs: ${reply}`);
});

describe(`213 replies to SIZE [replies=1000 bytes=${bytesOf(sizeReplies)}]`, () => {
  bench(
    'ftpwire parseSizeReply',
    () => {
      let total = 0;
      for (const reply of sizeReplies) total += parseSizeReply(reply);
      sink.value += total;
    },
    options,
  );
  bench(
    'basic-ftp size() (parseInt)',
    () => {
      let total = 0;
      for (const reply of sizeReplies) total += Number.parseInt(reply.slice(4), 10);
      sink.value += total;
    },
    options,
  );
});

describe(`213 replies to MDTM [replies=1000 bytes=${bytesOf(timeReplies)}]`, () => {
  bench(
    'ftpwire parseModificationTimeReply',
    () => {
      let total = 0;
      for (const reply of timeReplies) total += parseModificationTimeReply(reply).getTime();
      sink.value += total;
    },
    options,
  );
  bench(
    'basic-ftp lastMod() (parseMLSxDate)',
    () => {
      let total = 0;
      for (const reply of timeReplies) total += parseMLSxDate(reply.slice(4)).getTime();
      sink.value += total;
    },
    options,
  );
});

describe(`150 replies [replies=1000 bytes=${bytesOf(transferReplies)}]`, () => {
  bench(
    'ftpwire parseTransferSize',
    () => {
      let total = 0;
      for (const reply of transferReplies) total += parseTransferSize(reply) ?? 0;
      sink.value += total;
    },
    options,
  );
  bench(
    'ftplib parse150 as a regex',
    () => {
      let total = 0;
      for (const reply of transferReplies) total += ftplibParse150(reply) ?? 0;
      sink.value += total;
    },
    options,
  );
});
