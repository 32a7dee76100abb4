// Directory listings from real servers on loopback, parsed by @ftpwire/listing into the files
// this test made: LIST from vsftpd (Unix, numeric owners, a Latin-1 name), LIST from ftp-srv
// in its two formats (ls and EPLF; ftp-srv 4.6.3 has no MLSD), and MLSD and LIST from
// Pure-FTPd when FTPWIRE_PURE_FTPD names one (see harness/pure-ftpd.ts). Names, types, sizes
// and times are checked against what the test wrote.
import {
  closeSync,
  lutimesSync,
  mkdirSync,
  openSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  type ListEntry,
  type ListingParserOptions,
  ListingParserStream,
  type MlsxEntry,
} from '@ftpwire/listing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFtpSrv } from './harness/ftp-srv.js';
import { PURE_FTPD, pureFtpdUnavailable, startPureFtpd } from './harness/pure-ftpd.js';
import { openData, RawFtp, readAll } from './harness/raw-client.js';
import { createScratch, type Scratch } from './harness/temp.js';
import { startVsftpd, vsftpdCases } from './harness/vsftpd.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;
const GIB = 1024 ** 3;

/** A file this test makes, and what a listing of it must say. */
interface Made {
  readonly name: string | Buffer;
  readonly kind: 'file' | 'directory' | 'link';
  readonly size: number;
  readonly mtime: number;
  readonly target?: string;
}

/** Files in `dir`: recent (time shown) and old (year shown), sizes 0 to 5 GiB, names with spaces. */
function makeFiles(dir: string, now: number, options: { latin1: boolean; links: boolean }): Made[] {
  const second = (time: number) => Math.floor(time / 1000) * 1000;
  const made: Made[] = [
    { name: 'empty.txt', kind: 'file', size: 0, mtime: second(now - 2 * HOUR) },
    { name: 'one byte', kind: 'file', size: 1, mtime: second(now - 50 * DAY) },
    {
      name: 'over 64 KiB.bin',
      kind: 'file',
      size: 65_537,
      mtime: Date.parse('2019-03-05T10:12:34Z'),
    },
    { name: 'big.iso', kind: 'file', size: 5 * GIB, mtime: Date.parse('2024-02-29T12:34:56Z') },
    { name: ' leading space', kind: 'file', size: 3, mtime: second(now - 3 * HOUR) },
    { name: 'semi;colon=and ; spaces', kind: 'file', size: 4, mtime: second(now - 4 * HOUR) },
    { name: 'café ünïcode.txt', kind: 'file', size: 5, mtime: second(now - 5 * HOUR) },
    { name: 'sub dir', kind: 'directory', size: 0, mtime: second(now - 6 * HOUR) },
  ];
  if (options.links)
    made.push({
      name: 'latest',
      kind: 'link',
      size: 7,
      mtime: second(now - 7 * HOUR),
      target: 'sub dir',
    });
  if (options.latin1)
    made.push({
      name: Buffer.from('caf\xe9.txt', 'latin1'),
      kind: 'file',
      size: 6,
      mtime: second(now - 8 * HOUR),
    });
  mkdirSync(dir, { recursive: true });
  for (const file of made) {
    const path =
      typeof file.name === 'string'
        ? join(dir, file.name)
        : Buffer.concat([Buffer.from(`${dir}/`), file.name]);
    if (file.kind === 'directory') mkdirSync(path);
    else if (file.kind === 'link') symlinkSync(file.target!, path);
    else if (file.size > 1024 * 1024) {
      closeSync(openSync(path, 'w'));
      truncateSync(path.toString(), file.size);
    } else writeFileSync(path, Buffer.alloc(file.size, 0x61));
    if (file.kind === 'link') lutimesSync(path, file.mtime / 1000, file.mtime / 1000);
    else utimesSync(path, file.mtime / 1000, file.mtime / 1000);
  }
  return made;
}

/** The bytes a command sends on a passive data connection (to 127.0.0.1, whatever the 227 says). */
async function listing(port: number, command: string): Promise<Uint8Array> {
  const ftp = await RawFtp.connect('127.0.0.1', port);
  try {
    await ftp.reply(); // the greeting
    await ftp.login();
    const { port: dataPort } = await ftp.pasv();
    const data = await openData('127.0.0.1', dataPort);
    const bytes = readAll(data.socket);
    const opened = await ftp.command(command);
    expect(opened.code, opened.lines.join(' | ')).toBeLessThan(200);
    const received = await bytes;
    const done = await ftp.reply();
    expect(done.code, done.lines.join(' | ')).toBe(226);
    return received;
  } finally {
    ftp.close();
  }
}

/** The listing through ListingParserStream, in 7-byte chunks so that lines are cut everywhere. */
async function parse(
  bytes: Uint8Array,
  options: ListingParserOptions,
): Promise<(ListEntry | MlsxEntry)[]> {
  const chunks = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < bytes.length; at += 7) controller.enqueue(bytes.subarray(at, at + 7));
      controller.close();
    },
  });
  const out: (ListEntry | MlsxEntry)[] = [];
  for await (const entry of chunks.pipeThrough(new ListingParserStream(options))) out.push(entry);
  return out;
}

const nameOf = (file: Made) =>
  typeof file.name === 'string' ? file.name : file.name.toString('utf8');
const entryFor = <T extends ListEntry | MlsxEntry>(entries: readonly T[], file: Made): T => {
  const found = entries.find((entry) => entry.name === nameOf(file));
  expect(found, `no entry for ${JSON.stringify(nameOf(file))}`).toBeDefined();
  if (typeof file.name !== 'string') expect(Buffer.from(found!.rawName!)).toEqual(file.name);
  return found!;
};

/** A LIST entry says what the file is: `ls -l` shows the time to the minute, or only the day. */
function expectListed(entry: ListEntry, file: Made): void {
  expect(entry.type).toBe(file.kind);
  // A directory's size is the server's business (4096 on ext4); EPLF leaves out a size of 0.
  if (file.kind !== 'directory') expect(entry.size ?? 0).toBe(file.size);
  expect([
    file.mtime,
    file.mtime - (file.mtime % MINUTE),
    file.mtime - (file.mtime % DAY),
  ]).toContain(entry.modified?.getTime());
  if (file.kind === 'link') expect(entry.link).toBe(file.target);
}

const vsftpd = vsftpdCases();

describe.skipIf(vsftpd.skip)('LIST from vsftpd 3.0.3', () => {
  let scratch: Scratch;
  let server: Awaited<ReturnType<typeof startVsftpd>>;
  let made: Made[];
  let now: number;

  beforeAll(async () => {
    scratch = createScratch('listing-vsftpd');
    server = await startVsftpd(scratch.dir);
    now = Date.now();
    made = makeFiles(join(server.root, 'files'), now, { latin1: true, links: true });
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    scratch?.remove();
  });

  it('every file made is listed with its type, size, time and link; names keep their bytes', async () => {
    const bytes = await listing(server.port, 'LIST files');
    const entries = (await parse(bytes, { now: new Date(now) })) as ListEntry[];
    expect(entries).toHaveLength(made.length);
    for (const file of made) {
      const entry = entryFor(entries, file);
      expect(entry.dialect).toBe('unix');
      expectListed(entry, file);
      expect([entry.owner, entry.group]).toEqual(['0', '0']); // vsftpd writes numeric ids
    }
  }, 30_000);
});

describe('LIST from ftp-srv 4.6.3', () => {
  for (const fileFormat of ['ls', 'ep'] as const) {
    describe(fileFormat === 'ls' ? 'ls -l format' : 'EPLF', () => {
      let scratch: Scratch;
      let server: Awaited<ReturnType<typeof startFtpSrv>>;
      let made: Made[];
      let now: number;

      beforeAll(async () => {
        scratch = createScratch(`listing-ftpsrv-${fileFormat}`);
        server = await startFtpSrv(scratch.dir, { fileFormat, pasvAddress: '127.0.0.1' });
        now = Date.now();
        made = makeFiles(join(server.root, 'files'), now, { latin1: false, links: false });
      }, 30_000);

      afterAll(async () => {
        await server?.stop();
        scratch?.remove();
      });

      it('every file made is listed with its type, size and time', async () => {
        const bytes = await listing(server.port, 'LIST files');
        const entries = (await parse(bytes, { now: new Date(now) })) as ListEntry[];
        expect(entries).toHaveLength(made.length);
        for (const file of made) {
          const entry = entryFor(entries, file);
          expect(entry.dialect).toBe(fileFormat === 'ls' ? 'unix' : 'eplf');
          expectListed(entry, file);
        }
      }, 30_000);
    });
  }
});

const pure = pureFtpdUnavailable();
if (pure !== undefined) console.warn(`skipping Pure-FTPd MLSD cases: ${pure}`);

describe.skipIf(pure !== undefined)(`MLSD and LIST from Pure-FTPd (${PURE_FTPD})`, () => {
  let scratch: Scratch;
  let server: Awaited<ReturnType<typeof startPureFtpd>>;
  let made: Made[];
  let now: number;

  beforeAll(async () => {
    scratch = createScratch('listing-pure');
    now = Date.now();
    made = makeFiles(join(scratch.dir, 'root', 'files'), now, { latin1: true, links: true });
    server = await startPureFtpd(join(scratch.dir, 'root'));
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    scratch?.remove();
  });

  it('MLSD: every file made, its type, exact size and time to the second; cdir and pdir', async () => {
    const entries = (await parse(await listing(server.port, 'MLSD files'), {
      dialect: 'mlsd',
    })) as MlsxEntry[];
    expect(
      entries
        .map((entry) => entry.type)
        .filter((type) => type === 'cdir' || type === 'pdir')
        .sort(),
    ).toEqual(['cdir', 'pdir']);
    for (const file of made) {
      const entry = entryFor(entries, file);
      expect(entry.type).toBe({ file: 'file', directory: 'dir', link: 'symlink' }[file.kind]);
      if (file.kind === 'file') expect(entry.size).toBe(file.size);
      expect(entry.modify?.getTime()).toBe(file.mtime);
      if (file.kind === 'link') expect(entry.link).toBe(file.target);
    }
  }, 30_000);

  it('LIST: the same files in ls -l form', async () => {
    const entries = (await parse(await listing(server.port, 'LIST files'), {
      now: new Date(now),
    })) as ListEntry[];
    for (const file of made) expectListed(entryFor(entries, file), file);
  }, 30_000);
});
