import { formatFacts, ListingError, type MlsxEntry, parseFacts } from '@ftpwire/listing';
import { formatTimeVal, parseTimeVal } from '@ftpwire/reply';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8 } from './helpers.js';

/** One character of any kind (fast-check 4 has no `fc.char`). */
const anyChar = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });

/** ASCII-only lower-casing, as fact names are folded. */
const fold = (name: string) => name.replace(/[A-Z]/g, (letter) => letter.toLowerCase());

/** A fact value: anything but a space, ";", CR, LF and NUL (RFC 3659 §7.2 `*SCHAR`, widened). */
const value = fc
  .string({
    unit: fc.oneof(fc.constantFrom('=', '+', '/', ':', 'é', '日', '\ufffd', '"'), anyChar),
    maxLength: 12,
  })
  .map((text) => text.replace(/[ ;\r\n\0]/g, '_'));

const timeVal = fc
  .tuple(
    fc.date({
      min: new Date('1000-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    fc.constantFrom('', '.5', '.123', '.0001'),
  )
  .map(
    ([date, fraction]) =>
      formatTimeVal(new Date(Math.floor(date.getTime() / 1000) * 1000)) + fraction,
  );

/** Each standard fact with values of its type, its name in any case. */
const standardFact = fc.oneof(
  fc.tuple(
    fc.constantFrom('type', 'Type', 'TYPE'),
    fc.constantFrom(
      'file',
      'DIR',
      'cdir',
      'pdir',
      'OS.unix=symlink',
      'OS.unix=slink:/a/b',
      'OS.unix=chr-1/3',
      'x',
    ),
  ),
  fc.tuple(
    fc.constantFrom('size', 'Size', 'sizd'),
    fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }).map(String),
  ),
  fc.tuple(fc.constantFrom('modify', 'Modify', 'create'), timeVal),
  fc.tuple(
    fc.constantFrom('UNIX.mode', 'unix.mode'),
    fc.integer({ min: 0, max: 0o7777 }).map((mode) => `0${mode.toString(8)}`),
  ),
  fc.tuple(fc.constantFrom('UNIX.uid', 'unix.gid'), fc.nat().map(String)),
  fc.tuple(
    fc.constantFrom(
      'perm',
      'unique',
      'lang',
      'media-type',
      'charset',
      'UNIX.owner',
      'UNIX.group',
      'UNIX.ownername',
      'UNIX.groupname',
    ),
    value,
  ),
);
const otherFact = fc.tuple(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9.\-_+]{0,10}$/).map((name) => `X.${name}`),
  value,
);

/** Facts with names distinct after folding, in random order. */
const facts = fc
  .uniqueArray(fc.oneof(standardFact, otherFact), {
    selector: ([name]) => fold(name),
    maxLength: 8,
  })
  .map((pairs) => new Map(pairs));

/** A pathname: any characters but CR, LF and NUL, with the separators of the format favoured. */
const pathname = fc
  .string({
    unit: fc.oneof(fc.constantFrom(' ', ';', '=', ' -> ', '\ufffd', 'é'), anyChar),
    minLength: 1,
    maxLength: 20,
  })
  .map((text) => text.replace(/[\r\n\0]/g, '_'));

/** What each typed view must be for a fact value, or undefined when the fact is absent. */
function expectedViews(
  byName: ReadonlyMap<string, string>,
): Partial<Record<keyof MlsxEntry, unknown>> {
  const get = (name: string) => byName.get(name);
  const number = (name: string, radix: number) => {
    const text = get(name);
    return text === undefined ? undefined : Number.parseInt(text, radix);
  };
  const time = (name: string) => {
    const text = get(name);
    return text === undefined ? undefined : parseTimeVal(text);
  };
  const type = get('type');
  const folded = type?.toLowerCase();
  return {
    type:
      folded === undefined
        ? undefined
        : ['file', 'dir', 'cdir', 'pdir'].includes(folded)
          ? folded
          : folded === 'os.unix=symlink' || folded.startsWith('os.unix=slink:')
            ? 'symlink'
            : 'other',
    link: folded?.startsWith('os.unix=slink:') ? type!.slice('os.unix=slink:'.length) : undefined,
    size: number('size', 10),
    sizd: number('sizd', 10),
    modify: time('modify'),
    create: time('create'),
    unixMode: number('unix.mode', 8),
    unixUid: number('unix.uid', 10),
    unixGid: number('unix.gid', 10),
    perm: get('perm'),
    unique: get('unique'),
    lang: get('lang'),
    mediaType: get('media-type'),
    charset: get('charset'),
    unixOwner: get('unix.owner'),
    unixGroup: get('unix.group'),
    unixOwnerName: get('unix.ownername'),
    unixGroupName: get('unix.groupname'),
  };
}

describe('parseFacts and formatFacts: laws', () => {
  it('parseFacts(formatFacts(e)) equals e, for every entry parseFacts returns', () => {
    fc.assert(
      fc.property(pathname, facts, (name, pairs) => {
        const entry = parseFacts(formatFacts({ name, facts: pairs }));
        expect(parseFacts(formatFacts(entry))).toEqual(entry);
      }),
      { numRuns: 3000 },
    );
  });

  it('the name and the facts come back as written, names folded, typed views as their values say', () => {
    fc.assert(
      fc.property(pathname, facts, (name, pairs) => {
        const entry = parseFacts(formatFacts({ name, facts: pairs }));
        const folded = new Map([...pairs].map(([key, text]) => [fold(key), text]));
        expect(entry.name).toBe(name);
        expect(entry.facts).toEqual(folded);
        expect(entry).toMatchObject(expectedViews(folded));
      }),
      { numRuns: 3000 },
    );
  });

  it('formatFacts writes one line that reads back, or throws ListingError and writes nothing', () => {
    const hostile = fc.string({
      unit: fc.constantFrom(
        'a',
        'Z',
        '=',
        ';',
        ' ',
        '\r',
        '\n',
        '\0',
        '1',
        'size',
        'modify',
        'type',
      ),
      maxLength: 10,
    });
    fc.assert(
      fc.property(
        hostile,
        fc.array(fc.tuple(hostile, hostile), { maxLength: 4 }),
        (name, pairs) => {
          let line: string;
          try {
            line = formatFacts({ name, facts: new Map(pairs) });
          } catch (error) {
            expect(error).toBeInstanceOf(ListingError);
            return;
          }
          expect(line).not.toMatch(/[\r\n\0]/);
          const entry = parseFacts(line);
          expect(entry.name).toBe(name);
          expect([...entry.facts.values()]).toEqual([...new Map(pairs).values()]);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('parseFacts reads any line or throws ListingError, and reads text and its UTF-8 bytes alike', () => {
    const line = fc
      .string({
        unit: fc.oneof(
          fc.constantFrom('=', ';', ' ', 'type', 'size', 'modify', 'slink:', '0', '9', 'é'),
          anyChar,
        ),
        maxLength: 40,
      })
      .map((text) => text.replace(/[\r\n]/g, ''));
    fc.assert(
      fc.property(line, (text) => {
        let fromText: MlsxEntry | ListingError;
        try {
          fromText = parseFacts(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ListingError);
          fromText = error as ListingError;
        }
        let fromBytes: MlsxEntry | ListingError;
        try {
          fromBytes = parseFacts(utf8(text));
        } catch (error) {
          expect(error).toBeInstanceOf(ListingError);
          fromBytes = error as ListingError;
        }
        if (fromText instanceof ListingError) {
          expect(fromBytes).toBeInstanceOf(ListingError);
          expect((fromBytes as ListingError).code).toBe(fromText.code);
        } else {
          // A lone surrogate encodes as U+FFFD: the text differs only there.
          if (!/[\ud800-\udfff]/.test(text)) expect(fromBytes).toEqual(fromText);
        }
      }),
      { numRuns: 5000 },
    );
  });
});
