/**
 * Differential test against basic-ftp's directory listing parsers (dist/parseListUnix.js,
 * parseListDOS.js, parseListMLSD.js and parseList.js, the code its `client.list()` runs), on
 * the fixture listings, hand-written lines and generated ones.
 *
 * Where both read a line, name, type, size, link target, owner, group and permissions (as
 * basic-ftp's numbers) must agree. Every other line must show one of the reasons listed per
 * dialect, each met at least once: a line basic-ftp takes that no server writes or whose fields
 * it does not check, a form it does not handle, or an entry it drops on purpose.
 */
import {
  type ListEntry,
  ListingError,
  ListingParser,
  type MlsxEntry,
  parseFacts,
  parseListLine,
} from '@ftpwire/listing';
import { FileType } from 'basic-ftp/dist/FileInfo.js';
import { parseList } from 'basic-ftp/dist/parseList.js';
import * as dosParser from 'basic-ftp/dist/parseListDOS.js';
import * as mlsdParser from 'basic-ftp/dist/parseListMLSD.js';
import * as unixParser from 'basic-ftp/dist/parseListUnix.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listFixtures, mlsdFixtures } from '../fixtures/listings.js';
import { dosCase, unixCase } from './arbitraries.js';
import { NOW } from './helpers.js';

type BasicInfo = NonNullable<ReturnType<typeof unixParser.parseLine>>;

/** The fields both parsers give, basic-ftp's way: permissions as its three numbers. */
interface Fields {
  readonly name: string;
  readonly type: string;
  readonly size: number | undefined;
  readonly link: string | undefined;
  readonly owner: string | undefined;
  readonly group: string | undefined;
  readonly permissions: string | undefined;
}

const TYPES: Record<number, string> = {
  [FileType.Unknown]: 'other',
  [FileType.File]: 'file',
  [FileType.Directory]: 'directory',
  [FileType.SymbolicLink]: 'link',
};

function fromBasic(info: BasicInfo): Fields {
  const p = info.permissions;
  return {
    name: info.name,
    type: TYPES[info.type]!,
    size: info.size,
    link: info.link,
    owner: info.user,
    group: info.group,
    permissions: p === undefined ? undefined : `${p.user}${p.group}${p.world}`,
  };
}

/** basic-ftp's reading of `rwx` letters: 4 for r, 2 for w, 1 for a lower-case execute letter. */
function permissionNumbers(letters: string): string {
  let out = '';
  for (let k = 0; k < 9; k += 3) {
    const [r, w, x] = [letters[k]!, letters[k + 1]!, letters[k + 2]!];
    out += String(
      (r !== '-' ? 4 : 0) + (w !== '-' ? 2 : 0) + (x !== '-' && x.toUpperCase() !== x ? 1 : 0),
    );
  }
  return out;
}

function fromOurs(entry: ListEntry): Fields {
  return {
    name: entry.name,
    type: entry.type,
    // basic-ftp gives every entry a size, 0 when the line has none (a DOS directory).
    size: entry.size ?? (entry.dialect === 'dos' ? 0 : undefined),
    link: entry.link,
    owner: entry.owner,
    group: entry.group,
    permissions: entry.permissions === undefined ? undefined : permissionNumbers(entry.permissions),
  };
}

function fromOursMlsx(entry: MlsxEntry): Fields {
  const mode = entry.unixMode?.toString(8).padStart(3, '0').slice(-3);
  return {
    name: entry.name,
    type: { file: 'file', dir: 'directory', symlink: 'link' }[entry.type as 'file'] ?? 'other',
    size: entry.size ?? entry.sizd ?? 0,
    link: entry.link,
    owner:
      entry.unixOwnerName ??
      entry.unixOwner ??
      (entry.unixUid === undefined ? undefined : String(entry.unixUid)),
    group:
      entry.unixGroupName ??
      entry.unixGroup ??
      (entry.unixGid === undefined ? undefined : String(entry.unixGid)),
    permissions: mode,
  };
}

const same = (a: Fields | undefined, b: Fields | undefined) =>
  JSON.stringify(a) === JSON.stringify(b);

// ---- Reasons, read from the line itself

const MONTH = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)$/i;

type Reason = readonly [reason: string, applies: (line: string) => boolean];

/** The date columns basic-ftp's Unix expression found, or undefined. */
function basicDate(line: string): string[] | undefined {
  const groups = line.match(
    /^[\s\d]*[bcdelfmpSs-][rwxsStTL-]{8,9}\+?\s*\d+\s+(?:\S+(?:\s\S+){0,7}?\s+)?(?:\S+(?:\s\S+){0,7}\s+)?\d+(?:,\s*\d+)?\s+(\d+[-/]\d+[-/]\d+|\S{3}\s+\d{1,2}|\d{1,2}\s+\S{3}|\d{1,2}\u6708\s+\d{1,2}\u65e5)\s+((?:\d+(?::\d+)?)|(?:\d{4}\u5e74))\s/,
  );
  return groups === null ? undefined : [groups[1]!, groups[2]!];
}

const UNIX_REASONS: readonly Reason[] = [
  ['"." or "..": basic-ftp drops the entry on purpose', (line) => / \.\.?$/.test(line)],
  [
    'a block or character device: basic-ftp calls it a file and reads its major number as the size',
    (line) => /^[\s\d]*[bc]/.test(line),
  ],
  [
    'a date that is not "Mon dd hh:mm|yyyy" (other month words, yyyy-mm-dd, dd Mon): basic-ftp reads it, ftpwire does not',
    (line) => {
      const date = basicDate(line);
      return date !== undefined && !MONTH.test(date[0]!.split(/\s+/)[0]!);
    },
  ],
  [
    'a day, hour or minute that does not exist (Feb 30, 25:00, 12:5): basic-ftp does not check it',
    (line) => {
      const date = basicDate(line);
      if (date === undefined) return false;
      const [month, day] = date[0]!.split(/\s+/) as [string, string];
      const [hour, minute] = date[1]!.split(':');
      const monthIndex = [
        'jan',
        'feb',
        'mar',
        'apr',
        'may',
        'jun',
        'jul',
        'aug',
        'sep',
        'oct',
        'nov',
        'dec',
      ].indexOf(month.toLowerCase());
      const last = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][monthIndex] ?? 31;
      if (Number(day) < 1 || Number(day) > last) return true;
      if (minute === undefined) return hour!.length !== 4;
      return hour!.length > 2 || minute.length !== 2 || Number(hour) > 23 || Number(minute) > 59;
    },
  ],
  [
    'a size past 2^53 - 1: basic-ftp rounds it, ftpwire refuses the line',
    (line) => /\s\d{16,}\s/.test(line),
  ],
  [
    '"@" or "." after the permissions (macOS, SELinux): basic-ftp refuses the line',
    (line) => /^[\s\d]*\S{10}[@.]/.test(line),
  ],
  [
    'an execute letter "l" (mandatory locking, as Solaris writes it): basic-ftp refuses the line',
    (line) => /^[\s\d]*\S(?:\S\S\S){0,2}\S\Sl/.test(line),
  ],
  [
    'a type letter ls does not write (e, f, m, S): basic-ftp takes it',
    (line) => /^[\s\d]*[efmS]/.test(line),
  ],
  ['a Solaris door (D): basic-ftp refuses the line', (line) => /^[\s\d]*D/.test(line)],
  [
    'no space between the permissions and the link count: basic-ftp allows it',
    (line) => /^[\s\d]*\S{10}\+?\d/.test(line),
  ],
  [
    'nine permission letters with the last missing: basic-ftp allows it',
    (line) => /^[\s\d]*[bcdelfmpSs-][rwxsStTL-]{8}\+?\s/.test(line),
  ],
  [
    'white space other than spaces between columns (a tab): basic-ftp takes any, ls writes spaces',
    (line) => /[^\S ]/.test(line),
  ],
  [
    'a size with a comma on a file ("1,24", a device column elsewhere): basic-ftp reads the number before it',
    (line) => /^[\s\d]*[^bc\s]\S{9}\S?\s.*\s\d+,\s*\d+\s+\S{3}\s/.test(line),
  ],
  [
    'more than two words between the link count and the size, or words parted by several spaces: basic-ftp splits owner and group its own way or refuses the line, ftpwire takes the first word as owner and the rest as group',
    (line) => {
      const columns = /^[\s\d]*\S{10}\S?\s+\d+\s+(.*?)\s+\d+\s+\S{3}\s+\d{1,2}\s+[\d:]+\s/.exec(
        line,
      );
      return columns !== null && (columns[1]!.split(/\s+/).length > 2 || / {2}/.test(columns[1]!));
    },
  ],
];

const DOS_REASONS: readonly Reason[] = [
  [
    'a name holding U+2028 or U+2029: basic-ftp\'s "." does not match them, so its name stops there',
    (line) => /[\u2028\u2029]/.test(line),
  ],
  ['"." or "..": basic-ftp drops the entry on purpose', (line) => / \.\.?$/.test(line)],
  [
    'a size past 2^53 - 1: basic-ftp rounds it, ftpwire refuses the line',
    (line) => /\s\d{16,}\s/.test(line),
  ],
  [
    '"<dir>" in lower case: basic-ftp reads it as the start of the name',
    (line) => /<dir>/.test(line),
  ],
  ['spaces before the date: basic-ftp skips them, IIS writes none', (line) => /^\s/.test(line)],
  [
    'a date or time that is not MM-DD-YY[YY] hh:mm[AM|PM] (13-45-99, 25:00): basic-ftp does not check it',
    (line) => {
      const match = /^(\S+)\s+(\S+)/.exec(line);
      if (!match) return false;
      const date = /^(\d{2})([-/])(\d{2})\2(\d{2}|\d{4})$/.exec(match[1]!);
      const time = /^(\d{1,2}):(\d{2})([AaPp][Mm])?$/.exec(match[2]!);
      if (!date || !time) return true;
      const [month, day, year] = [Number(date[1]), Number(date[3]), Number(date[4])];
      const hour = Number(time[1]);
      const years = date[4]!.length === 2 ? (year >= 69 ? 1900 + year : 2000 + year) : year;
      const last =
        new Date(Date.UTC(2000, month, 0)).getUTCDate() -
        (month === 2 && (years % 4 !== 0 || (years % 100 === 0 && years % 400 !== 0)) ? 1 : 0);
      return (
        month < 1 ||
        month > 12 ||
        day < 1 ||
        day > last ||
        Number(time[2]) > 59 ||
        (time[3] ? hour < 1 || hour > 12 : hour > 23)
      );
    },
  ],
  [
    'white space at the start of a name (spaces past IIS padding, a tab): basic-ftp drops it, and a name of white space only with it',
    (line) => /^\S+\s+\S+\s+(<DIR> {11,}|<DIR> +[^\S ]|\d+ \s)/i.test(line),
  ],
];

/** The facts before the first space (where basic-ftp ends them), as name and value. */
function basicFacts(line: string): { name: string; value: string | undefined }[] {
  const space = line.indexOf(' ');
  const facts = space === -1 ? '' : line.slice(0, space);
  const parts = facts.split(';');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((part) => {
    const equals = part.indexOf('=');
    return equals === -1
      ? { name: part, value: undefined }
      : { name: part.slice(0, equals), value: part.slice(equals + 1) };
  });
}

/** Whether a standard fact's value is not of its type, as ftpwire checks it. */
function wrongType(name: string, value: string): boolean {
  const key = name.toLowerCase();
  if (key === 'size' || key === 'sizd' || key === 'unix.uid' || key === 'unix.gid')
    return !/^\d{1,15}$/.test(value);
  if (key === 'unix.mode') return !/^[0-7]+$/.test(value);
  if (key === 'modify' || key === 'create') {
    if (!/^\d{14}(\.\d+)?$/.test(value)) return true;
    const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((at, i) =>
      Number(value.slice(at, at + (i === 0 ? 4 : 2))),
    );
    const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
    return (
      y! < 1000 ||
      date.getUTCMonth() !== mo! - 1 ||
      date.getUTCDate() !== d! ||
      h! > 23 ||
      mi! > 59 ||
      s! > 59
    );
  }
  return false;
}

const MLSD_REASONS: readonly Reason[] = [
  [
    'no space (no pathname): basic-ftp reads the whole line as the name',
    (line) => !line.includes(' '),
  ],
  [
    'a link target with spaces (Pure-FTPd): basic-ftp ends the facts at the first space',
    (line) => /(^|;)type=os\.unix=slink:[^;]*$/i.test(line.slice(0, line.indexOf(' '))),
  ],
  [
    'a cdir or pdir entry, or "." and "..": basic-ftp drops them on purpose',
    (line) => /(^|;)type=[cp]dir(;| )/i.test(line) || / \.\.?$/.test(line),
  ],
  [
    'a fact without "=" or an empty fact: basic-ftp skips it',
    (line) => basicFacts(line).some((fact) => fact.value === undefined || fact.name === ''),
  ],
  [
    'a fact given twice: basic-ftp lets the later one win',
    (line) => {
      const names = basicFacts(line).map((fact) => fact.name.toLowerCase());
      return new Set(names).size < names.length;
    },
  ],
  [
    'a fact value basic-ftp reads without checking it (size "12kB" as 12, modify "20230230000000" as March 2)',
    (line) => basicFacts(line).some((fact) => wrongType(fact.name, fact.value!)),
  ],
  [
    'a type of another case (Dir, FILE): basic-ftp compares it as written',
    (line) =>
      basicFacts(line).some(
        (fact) =>
          fact.name.toLowerCase() === 'type' &&
          /^(file|dir|cdir|pdir)$/i.test(fact.value!) &&
          !/^(file|dir|cdir|pdir)$/.test(fact.value!),
      ),
  ],
];

function classify(reasons: readonly Reason[], line: string): string | undefined {
  return reasons.find(([, applies]) => applies(line))?.[0];
}

// ---- Corpus

const fixtureLines = (dialect: string) =>
  listFixtures()
    .filter(
      (fixture) => fixture.file.startsWith(dialect === 'dos' ? 'iis' : '') || dialect === 'unix',
    )
    .flatMap((fixture) => fixture.lines.map((line) => line.text))
    .filter(
      (line) => parseListLine(line, { now: NOW })?.dialect === dialect || !line.startsWith('+'),
    );

const unixHandWritten = [
  '-rw-r--r--    1 0        0            1024 Nov 07 10:24 file.bin',
  'crw-rw-rw-    1 0        0          1,   3 Nov 27 09:12 null',
  'brw-rw----    1 0        6          8,   0 Nov 27 09:12 sda',
  '-rw-r--r--@   1 anna     staff        12 Nov 27 09:12 mac.txt',
  '-rw-r--r--.   1 anna     staff        12 Nov 27 09:12 selinux.txt',
  '-rw-r-lr--    1 anna     staff        12 Nov 27 09:12 locked',
  'Drw-r--r--    1 anna     staff        12 Nov 27 09:12 door',
  '-rw-r--r--    1 anna     staff        12 Foo 27 09:12 foo-month',
  '-rw-r--r--    1 anna     staff        12 2024-02-29 09:12 iso-date',
  '-rw-r--r--    1 anna     staff        12 27 Nov 09:12 day-first',
  '-rw-r--r--    1 anna     staff        12 Feb 30 09:12 feb30',
  '-rw-r--r--    1 anna     staff        12 Nov 27 25:00 hour25',
  '-rw-r--r--1   1 anna     staff        12 Nov 27 09:12 no-gap',
  '-rw-r--r--    1 anna     staff     99999999999999999 Nov 27 09:12 huge',
  '-rw-r--r--\t1 anna\tstaff\t12 Nov 27 09:12 tabs',
  'drwxr-xr-x    2 0        0            4096 Nov 27 09:12 .',
  'drwxr-xr-x    2 0        0            4096 Nov 27 09:12 ..',
  'frw-r--r--    1 anna     staff        12 Nov 27 09:12 f-type',
  '-rw-r--r--    1 anna     staff 2024   12 Nov 27 09:12 group-with-number',
];

const dosHandWritten = [
  '12-05-96  05:03PM       <DIR>          absoft2',
  '12-05-96  05:03PM       <DIR>           leading space',
  '13-45-99  05:03PM       <DIR>          bad-date',
  '12-05-96  25:00PM                   12 bad-time',
  '12-05-96  05:03PM                   12  two spaces',
  '12-05-96  05:03PM       <dir>          lower',
  '12-05-96  05:03PM       <DIR>          .',
  '12-05-96  05:03PM    99999999999999999 huge',
];

const mlsdHandWritten = [
  'type=file;size=12; a b',
  'type=cdir;modify=20240229134501; .',
  'type=pdir; ..',
  'type=OS.unix=slink:no such file;size=12; dangling',
  'type=file;size=12kB; kb',
  'type=file;modify=20230230000000; feb30',
  'type=file;size=1;size=2; twice',
  'type=file;size; bare',
  'type=file;size=1;',
  'type=file; ',
  'type=file;UNIX.mode=04755; setuid',
  'Type=Dir;Modify=19990219073522; media-types',
  'type=dir;sizd=4096; d',
];

const sample = <T>(arbitrary: fc.Arbitrary<T>, seed: number) =>
  fc.sample(arbitrary, { numRuns: 1500, seed });
/** Real lines with a token put in at a random place: near misses of each format. */
const mutate = (lines: readonly string[], tokens: readonly string[], seed: number) =>
  sample(
    fc
      .tuple(fc.constantFrom(...lines), fc.constantFrom(...tokens), fc.nat(), fc.nat({ max: 3 }))
      .map(([line, token, at, cut]) => {
        const index = at % (line.length + 1);
        return line.slice(0, index) + token + line.slice(index + cut);
      }),
    seed,
  );

const unixCorpus = [
  ...fixtureLines('unix'),
  ...unixHandWritten,
  ...sample(
    unixCase.map((c) => c.line),
    0x554e4958,
  ),
  ...mutate(
    unixHandWritten.slice(0, 1),
    [' ', '1', 'Jan', ',', '@', '\t', 'x', ' -> ', '-', ':'],
    0x554e4959,
  ),
].filter((line) => !/[\r\n]/.test(line));
const dosCorpus = [
  ...listFixtures()
    .filter((f) => f.file.startsWith('iis'))
    .flatMap((f) => f.lines.map((l) => l.text)),
  ...dosHandWritten,
  ...sample(
    dosCase.map((c) => c.line),
    0x444f53,
  ),
  ...mutate(dosHandWritten.slice(0, 1), [' ', '1', '-', ':', 'PM', '<DIR>', 'x', '/'], 0x444f54),
].filter((line) => !/[\r\n]/.test(line));
const mlsdCorpus = [
  ...mlsdFixtures().flatMap((f) => f.lines.map((l) => l.text)),
  ...mlsdHandWritten,
  ...mutate(mlsdHandWritten.slice(0, 1), [' ', ';', '=', 'size=', 'type=dir;', 'x'], 0x4d4c53),
];

interface Tally {
  agreed: number;
  reasons: Map<string, number>;
  unexplained: string[];
}

function compare(
  corpus: readonly string[],
  theirs: (line: string) => Fields | undefined,
  ours: (line: string) => Fields | undefined,
  reasons: readonly Reason[],
): Tally {
  const tally: Tally = { agreed: 0, reasons: new Map(), unexplained: [] };
  for (const line of corpus) {
    const a = theirs(line);
    const b = ours(line);
    if (same(a, b)) {
      if (a !== undefined) tally.agreed++;
      continue;
    }
    const reason = classify(reasons, line);
    if (reason === undefined) {
      tally.unexplained.push(
        `${JSON.stringify(line)}: basic-ftp ${JSON.stringify(a)}, ftpwire ${JSON.stringify(b)}`,
      );
    } else {
      tally.reasons.set(reason, (tally.reasons.get(reason) ?? 0) + 1);
    }
  }
  return tally;
}

function report(name: string, corpus: readonly string[], tally: Tally): void {
  console.log(
    `basic-ftp differential, ${name}: ${corpus.length} lines, ${tally.agreed} read alike; disagreements by reason:\n${[...tally.reasons].map(([reason, count]) => `  ${count}  ${reason}`).join('\n')}`,
  );
}

function expectExplained(tally: Tally, reasons: readonly Reason[]): void {
  expect(tally.unexplained.slice(0, 10)).toEqual([]);
  expect([...tally.reasons.keys()].sort()).toEqual(reasons.map(([reason]) => reason).sort());
}

describe('differential against basic-ftp parseList', () => {
  it('Unix lines: same fields where both read a line; a listed reason for every other line', () => {
    const tally = compare(
      unixCorpus,
      (line) => {
        const info = unixParser.parseLine(line);
        return info && fromBasic(info);
      },
      (line) => {
        const entry = parseListLine(line, { now: NOW, dialect: 'unix' });
        return entry && fromOurs(entry);
      },
      UNIX_REASONS,
    );
    report('Unix', unixCorpus, tally);
    expect(tally.agreed).toBeGreaterThan(1000);
    expectExplained(tally, UNIX_REASONS);
  });

  it('DOS lines: same fields where both read a line; a listed reason for every other line', () => {
    const tally = compare(
      dosCorpus,
      (line) => {
        // As parseList does once the listing's last line chose the DOS parser.
        const info = dosParser.parseLine(line);
        return info && fromBasic(info);
      },
      (line) => {
        const entry = parseListLine(line, { now: NOW, dialect: 'dos' });
        return entry && fromOurs(entry);
      },
      DOS_REASONS,
    );
    report('DOS', dosCorpus, tally);
    expect(tally.agreed).toBeGreaterThan(1000);
    expectExplained(tally, DOS_REASONS);
  });

  it('MLSD lines: same fields where both read a line; a listed reason for every other line', () => {
    const tally = compare(
      mlsdCorpus,
      (line) => {
        const info = mlsdParser.parseLine(line);
        return info && fromBasic(info);
      },
      (line) => {
        try {
          return fromOursMlsx(parseFacts(line));
        } catch (error) {
          if (!(error instanceof ListingError)) throw error;
          return undefined;
        }
      },
      MLSD_REASONS,
    );
    report('MLSD', mlsdCorpus, tally);
    expect(tally.agreed).toBeGreaterThan(50);
    expectExplained(tally, MLSD_REASONS);
  });

  it('whole fixture listings through parseList: the same entries but for "." and ".." and cdir/pdir', () => {
    for (const fixture of [...listFixtures(), ...mlsdFixtures()]) {
      if (fixture.file.startsWith('eplf')) continue; // basic-ftp has no EPLF parser
      const text = new TextDecoder().decode(fixture.bytes);
      const parser = new ListingParser({ now: fixture.now, onMalformedLine: () => {} });
      const ours = [...parser.push(fixture.bytes), ...parser.end()]
        .map((entry) => ('facts' in entry ? fromOursMlsx(entry) : fromOurs(entry)))
        .filter((entry) => entry.name !== '.' && entry.name !== '..');
      const theirs = parseList(text).map(fromBasic);
      // Entries both have must agree; the ones only one has are explained per line above.
      const byName = new Map(theirs.map((entry) => [entry.name, entry]));
      let matched = 0;
      for (const entry of ours) {
        const other = byName.get(entry.name);
        if (other === undefined) continue;
        matched++;
        if (!same(other, entry)) {
          const line = fixture.lines.find((l) => l.text.endsWith(entry.name))?.text ?? '';
          expect(
            classify([...UNIX_REASONS, ...DOS_REASONS, ...MLSD_REASONS], line),
            `${fixture.file}: ${line}`,
          ).toBeDefined();
        }
      }
      expect(matched, fixture.file).toBeGreaterThan(0);
    }
  });
});
