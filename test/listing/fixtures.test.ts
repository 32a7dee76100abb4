/**
 * Every fixture listing (test/fixtures/listings/: recorded from vsftpd, ProFTPD and Pure-FTPd,
 * published IIS, FileZilla Server, RFC 3659 and EPLF lines) read line by line and streamed
 * whole, against what the file system (or the hand-written source) says each line names.
 */
import {
  formatFacts,
  type ListEntry,
  ListingParser,
  type MlsxEntry,
  parseFacts,
  parseListLine,
  parseMlstReply,
} from '@ftpwire/listing';
import { parseReply } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import {
  type ExpectedListEntry,
  hex,
  listFixtures,
  mlsdFixtures,
  mlstFixtures,
} from '../fixtures/listings.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * `ls -l` shows a time to the minute (recent files) or only the day (older ones, with the
 * year); EPLF to the second.
 */
function shownTimes(mtime: string): number[] {
  const time = Date.parse(mtime);
  return [time, time - (time % MINUTE), time - (time % DAY)];
}

function expectName(entry: ListEntry | MlsxEntry, expected: ExpectedListEntry): void {
  expect(entry.name).toBe(expected.name);
  expect(entry.rawName === undefined ? undefined : hex(entry.rawName)).toBe(expected.rawName);
}

function expectListEntry(entry: ListEntry | undefined, expected: ExpectedListEntry): void {
  expect(entry).toBeDefined();
  expectName(entry!, expected);
  expect(entry!.type).toBe(expected.kind);
  // A device or FIFO has no size of its own: servers print 0 or `major, minor`.
  if (expected.kind !== 'other') expect(entry!.size).toBe(expected.size);
  if (expected.expectModified !== undefined) {
    expect(entry!.modified?.toISOString()).toBe(expected.expectModified);
  } else if (expected.mtime !== undefined) {
    expect(shownTimes(expected.mtime)).toContain(entry!.modified?.getTime());
  }
  expect(entry!.link).toBe(expected.link);
}

/** The MLSx type each kind is sent as; a device or FIFO is a `file` to ProFTPD, `unknown` to Pure-FTPd. */
const MLSX_TYPES: Record<string, readonly string[]> = {
  file: ['file'],
  directory: ['dir'],
  dir: ['dir'],
  cdir: ['cdir'],
  pdir: ['pdir'],
  link: ['symlink'],
  symlink: ['symlink'],
  other: ['file', 'other'],
};

function expectMlsxEntry(entry: MlsxEntry, expected: ExpectedListEntry): void {
  expectName(entry, expected);
  expect(MLSX_TYPES[expected.kind]).toContain(entry.type);
  if (expected.kind === 'file' || expected.kind === 'link') expect(entry.size).toBe(expected.size);
  if (expected.kind === 'directory' && entry.sizd !== undefined) {
    expect(entry.sizd).toBe(expected.size);
  }
  if (expected.mtime !== undefined) expect(entry.modify?.toISOString()).toBe(expected.mtime);
  // ProFTPD names no target (`OS.unix=symlink`), Pure-FTPd and RFC 3659 do (`OS.unix=slink:`).
  if (entry.link !== undefined) expect(entry.link).toBe(expected.link);
  if (expected.perm !== undefined) expect(entry.perm).toBe(expected.perm);
  if (expected.unique !== undefined) expect(entry.unique).toBe(expected.unique);
}

describe('LIST fixtures', () => {
  for (const fixture of listFixtures()) {
    it(`${fixture.file}: parseListLine reads each line as its file`, () => {
      for (const line of fixture.lines) {
        const fromBytes = parseListLine(line.raw, { now: fixture.now });
        if (line.expected === null) {
          expect(fromBytes, line.text).toBeUndefined();
          continue;
        }
        expectListEntry(fromBytes, line.expected);
        expect(fromBytes!.line).toBe(line.text);
        // The same line as text reads the same, but for the raw bytes it cannot carry.
        const fromText = parseListLine(line.text, { now: fixture.now });
        expect({ ...fromText, rawName: undefined }).toEqual({ ...fromBytes, rawName: undefined });
      }
    });

    it(`${fixture.file}: ListingParser streams the same entries and skips the rest`, () => {
      const skipped: string[] = [];
      const parser = new ListingParser({
        now: fixture.now,
        onSkippedLine: (line) => skipped.push(line),
      });
      const entries = [...parser.push(fixture.bytes), ...parser.end()];
      const named = fixture.lines.filter((line) => line.expected !== null);
      expect(entries).toEqual(named.map((line) => parseListLine(line.raw, { now: fixture.now })));
      expect(skipped).toEqual(fixture.lines.filter((l) => l.expected === null).map((l) => l.text));
      expect(parser.dialect).toBe((entries[0] as ListEntry).dialect);
    });
  }

  it('covers every dialect and the servers the issue names', () => {
    const dialects = new Set(
      listFixtures().flatMap((fixture) =>
        fixture.lines.map((line) => parseListLine(line.raw, { now: fixture.now })?.dialect),
      ),
    );
    expect([...dialects].filter(Boolean).sort()).toEqual(['dos', 'eplf', 'unix']);
    const servers = listFixtures().map((fixture) => fixture.server.split(' ')[0]);
    for (const server of ['vsftpd', 'ProFTPD', 'Pure-FTPd', 'Microsoft', 'FileZilla', 'EPLF']) {
      expect(servers).toContain(server);
    }
  });
});

describe('MLSD fixtures', () => {
  for (const fixture of mlsdFixtures()) {
    it(`${fixture.file}: parseFacts reads each line as its file`, () => {
      for (const line of fixture.lines) {
        expectMlsxEntry(parseFacts(line.raw), line.expected!);
        // Facts are the truth: what formatFacts writes of an entry reads back to it. A value
        // with a space (Pure-FTPd's link targets) it refuses to write: RFC 3659 forbids it.
        const entry = parseFacts(line.text);
        if ([...entry.facts.values()].some((value) => value.includes(' '))) {
          expect(() => formatFacts(entry)).toThrow(/must not hold/);
        } else {
          expect(parseFacts(formatFacts(entry))).toEqual(entry);
        }
      }
    });

    it(`${fixture.file}: ListingParser detects MLSD and streams the same entries`, () => {
      const parser = new ListingParser();
      const entries = [...parser.push(fixture.bytes), ...parser.end()];
      expect(parser.dialect).toBe('mlsd');
      expect(entries).toEqual(fixture.lines.map((line) => parseFacts(line.raw)));
    });
  }
});

describe('MLST fixtures', () => {
  for (const fixture of mlstFixtures()) {
    it(`${fixture.file}: parseMlstReply reads the entry, from text and from a Reply`, () => {
      const text = new TextDecoder().decode(fixture.bytes);
      const entry = parseMlstReply(text);
      expectMlsxEntry(entry, fixture.entry!);
      expect(parseMlstReply(parseReply(fixture.bytes))).toEqual(entry);
    });
  }
});
