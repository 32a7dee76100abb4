/**
 * Differential test against CPython's ftplib `FTP.mlsd`, the fact splitting most Python
 * clients use. python3 runs once for this file: its own `mlsd` generator, fed each line as
 * `retrlines` would feed it (no socket), on the MLSD fixture lines, hand-written lines and
 * generated ones.
 *
 * Where both read a line, name and facts must agree. Every other line must show one of the
 * listed reasons, each met at least once: a form RFC 3659 §7.2 does not allow that ftplib
 * passes on or reads differently, a value ftplib hands over unchecked, or a real server's
 * deviation ftpwire reads as meant.
 */
import { spawnSync } from 'node:child_process';
import { ListingError, parseFacts } from '@ftpwire/listing';
import { parseTimeVal } from '@ftpwire/reply';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mlsdFixtures } from '../fixtures/listings.js';

const PYTHON = `
import ftplib, json, sys

class Lines(ftplib.FTP):
    """ftplib.FTP whose retrlines hands over given lines instead of reading a data connection."""
    def retrlines(self, cmd, callback=None):
        for line in self.lines:
            callback(line)
        return '226 Transfer complete'

out = []
for line in json.load(sys.stdin):
    ftp = Lines()
    ftp.lines = [line]
    out.append([[name, facts] for name, facts in ftp.mlsd()])
json.dump(out, sys.stdout)
`;

type FtplibEntry = [name: string, facts: Record<string, string>];

const handWritten = [
  'type=file;size=12; a b',
  'Type=File;Size=12;Modify=20240229134501; mixed case',
  'type=file; ; semicolon name',
  ' no facts',
  'type=file;size=1;', // no space
  'type=file; ', // no name
  'type=file;size; a', // fact without "="
  'type=file;;size=1; a', // empty fact
  'type=file;=x; a', // empty fact name
  'size=1;Size=2; a', // twice
  'type=file;perm= notes.txt', // FileZilla Server 0.9 with perm
  'type=OS.unix=slink:no such file;size=12; dangling', // Pure-FTPd 1.0.50
  'type=file;size=12kB; a',
  'type=file;size=-1; a',
  'type=file;modify=20230229000000; a',
  'type=file;modify=2024-02-29; a',
  'type=file;UNIX.mode=0648; a',
  'type=file;UNIX.uid=root; a',
  'Ä.X=1;type=file; a',
  'type=file;x.a=b=c; equals in a value',
];

const token = fc.constantFrom(
  'type',
  'Type',
  'size',
  'sizd',
  'modify',
  'create',
  'perm',
  'unique',
  'UNIX.mode',
  'UNIX.uid',
  'x.y',
  'Ä',
  '',
);
const factValue = fc.constantFrom(
  'file',
  'dir',
  'cdir',
  '12',
  '0644',
  '20240229134501',
  '20240230000000',
  'OS.unix=slink:a b',
  'a=b',
  '',
  'x',
  '-1',
);
/** Lines RFC 3659 allows: distinct fact names, values of their type. */
const validLine = fc
  .tuple(
    fc.uniqueArray(
      fc.oneof(
        fc.tuple(
          fc.constantFrom('type', 'Type'),
          fc.constantFrom('file', 'dir', 'cdir', 'OS.unix=slink:/a', 'OS.unix=symlink'),
        ),
        fc.tuple(fc.constantFrom('size', 'Size', 'sizd'), fc.nat().map(String)),
        fc.tuple(
          fc.constantFrom('modify', 'create'),
          fc.constantFrom('20240229134501', '19990217230400.5'),
        ),
        fc.tuple(
          fc.constantFrom('perm', 'unique', 'UNIX.owner', 'x.a'),
          fc.stringMatching(/^[a-zA-Z0-9=+.]{0,6}$/),
        ),
      ),
      { selector: ([name]) => name.toLowerCase(), maxLength: 5 },
    ),
    fc.stringMatching(/^[^\r\n]{1,12}$/),
  )
  .map(([facts, name]) => `${facts.map(([n, v]) => `${n}=${v};`).join('')} ${name}`);
const generated = fc.sample(
  fc.oneof(
    validLine,
    fc
      .tuple(
        fc.array(fc.tuple(token, factValue, fc.constantFrom(';', ';', ';', ';;', '')), {
          maxLength: 5,
        }),
        fc.constantFrom(' ', ' ', ''),
        fc.constantFrom('a', 'a b', ' x', 'x;y=z', ''),
      )
      .map(
        ([facts, space, name]) =>
          `${facts.map(([n, v, end]) => (n === '' && v === '' ? end : `${n}=${v}${end}`)).join('')}${space}${name}`,
      ),
    fc.string({ unit: fc.constantFrom('a', '=', ';', ' ', 'type', 'size=1', 'é'), maxLength: 12 }),
  ),
  { numRuns: 3000, seed: 0x4d4c5344 },
);

const corpus = [
  ...mlsdFixtures().flatMap((fixture) => fixture.lines.map((line) => line.text)),
  ...handWritten,
  ...generated,
];

function runFtplib(): FtplibEntry[] {
  const result = spawnSync('python3', ['-c', PYTHON], {
    input: JSON.stringify(corpus),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as FtplibEntry[][]).map((entries) => {
    if (entries.length !== 1) throw new Error('ftplib gave other than one entry for one line');
    return entries[0]!;
  });
}

const theirs = runFtplib();

const STANDARD = /^(size|sizd)$|^(modify|create)$|^unix\.mode$|^unix\.(uid|gid)$/;

/** Whether ftpwire refuses this standard fact's value: the check each typed view makes. */
function badTypedValue(name: string, value: string): boolean {
  const key = name.replace(/[A-Z]/g, (c) => c.toLowerCase());
  if (!STANDARD.test(key)) return false;
  if (key === 'size' || key === 'sizd' || key === 'unix.uid' || key === 'unix.gid') {
    return !/^\d+$/.test(value) || Number(value) > Number.MAX_SAFE_INTEGER;
  }
  if (key === 'unix.mode') return !/^[0-7]+$/.test(value);
  try {
    parseTimeVal(value);
    return false;
  } catch {
    return true;
  }
}

/**
 * Why ftplib and ftpwire read `line` differently; undefined if no listed reason applies. The
 * line is looked at directly, not through either parser.
 */
function why(line: string): string | undefined {
  const space = line.indexOf(' ');
  if (space === -1)
    return 'no space ending the facts: ftplib takes the whole line as facts and an empty name';
  const facts = line.slice(0, space);
  if (/(^|;)type=os\.unix=slink:[^;]*$/i.test(facts)) {
    return 'a space inside a link target (Pure-FTPd): ftplib ends the facts there, the rest of them becomes the name';
  }
  if (space === line.length - 1) return 'nothing after the space: ftplib returns an empty name';
  if (space === 0) return 'no facts (" name"): ftplib returns a fact named "" with an empty value';
  if (!facts.endsWith(';')) {
    return 'the last fact lacks its ";" (FileZilla Server\'s "perm= name"): ftplib cuts the last character off it';
  }
  const parts = facts.slice(0, -1).split(';');
  if (parts.some((part) => part === '' || part.indexOf('=') < 1)) {
    return 'an empty fact or a fact without "name=": ftplib keeps it under the name before "=" (or "") with an empty value';
  }
  const names = parts.map((part) => part.slice(0, part.indexOf('=')));
  const folded = names.map((name) => name.replace(/[A-Z]/g, (c) => c.toLowerCase()));
  if (new Set(folded).size < folded.length) return 'a fact given twice: ftplib keeps the last';
  if (
    parts.some((part) =>
      badTypedValue(part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)),
    )
  ) {
    return 'a standard fact whose value is not its type (size "12kB", modify "20230229000000"): ftplib hands the text over';
  }
  if (names.some((name) => name.toLowerCase() !== name.replace(/[A-Z]/g, (c) => c.toLowerCase()))) {
    return 'a fact name with a non-ASCII capital: ftplib folds it with str.lower(), ftpwire folds ASCII letters only';
  }
  return undefined;
}

describe('differential against CPython ftplib FTP.mlsd', () => {
  it('ran ftplib over the whole corpus', () => {
    expect(theirs).toHaveLength(corpus.length);
    expect(corpus.length).toBeGreaterThan(3000);
  });

  it('same name and facts where both read a line the same way; a listed reason for every other line', () => {
    const reasons = new Map<string, number>();
    let agreed = 0;
    corpus.forEach((line, i) => {
      const [name, facts] = theirs[i]!;
      let ours: ReturnType<typeof parseFacts> | undefined;
      try {
        ours = parseFacts(line);
      } catch (error) {
        if (!(error instanceof ListingError)) throw error;
      }
      if (
        ours &&
        ours.name === name &&
        JSON.stringify(Object.fromEntries(ours.facts)) === JSON.stringify(facts)
      ) {
        agreed++;
        // Agreement only ever on lines the RFC allows, or that no listed reason covers.
        return;
      }
      const reason = why(line);
      expect(
        reason,
        `unexplained: ${JSON.stringify(line)}: ftplib ${JSON.stringify([name, facts])}, ftpwire ${ours ? JSON.stringify(ours) : 'refuses'}`,
      ).toBeDefined();
      reasons.set(reason!, (reasons.get(reason!) ?? 0) + 1);
    });
    expect(agreed).toBeGreaterThan(800);
    // Every listed reason is real: each was met in the corpus.
    expect([...reasons.keys()].sort()).toEqual(
      [
        'no space ending the facts: ftplib takes the whole line as facts and an empty name',
        'a space inside a link target (Pure-FTPd): ftplib ends the facts there, the rest of them becomes the name',
        'nothing after the space: ftplib returns an empty name',
        'no facts (" name"): ftplib returns a fact named "" with an empty value',
        'the last fact lacks its ";" (FileZilla Server\'s "perm= name"): ftplib cuts the last character off it',
        'an empty fact or a fact without "name=": ftplib keeps it under the name before "=" (or "") with an empty value',
        'a fact given twice: ftplib keeps the last',
        'a standard fact whose value is not its type (size "12kB", modify "20230229000000"): ftplib hands the text over',
        'a fact name with a non-ASCII capital: ftplib folds it with str.lower(), ftpwire folds ASCII letters only',
      ].sort(),
    );
    console.log(
      `ftplib differential: ${corpus.length} lines, ${agreed} agree; disagreements by reason:\n${[...reasons].map(([reason, count]) => `  ${count}  ${reason}`).join('\n')}`,
    );
  });

  it('agrees on every fixture line from real servers except the deviations listed for them', () => {
    for (const fixture of mlsdFixtures()) {
      for (const line of fixture.lines) {
        const i = corpus.indexOf(line.text);
        const [name] = theirs[i]!;
        if (name !== parseFacts(line.text).name) expect(why(line.text), line.text).toBeDefined();
      }
    }
  });
});
