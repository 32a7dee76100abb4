/**
 * Lines of each LIST dialect written from chosen fields, in the dialect's layout with random
 * column padding, and the entry each must read as: shared by the property and differential
 * tests and the fuzz seeds.
 */
import type { ListEntry } from '@ftpwire/listing';
import fc from 'fast-check';
import { NOW } from './helpers.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = 86_400_000;
const spaces = (min: number, max: number) => fc.integer({ min, max }).map((n) => ' '.repeat(n));
const pad = (value: number, width: number, fill = '0') => String(value).padStart(width, fill);

/** A name: any characters but CR and LF, spaces and arrows favoured, never empty. */
const name = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom(' ', ' -> ', ';', 'é', '\t', 'Jan 01 12:00'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
    ),
    minLength: 1,
    maxLength: 12,
  })
  .map((text) => text.replace(/[\r\n]/g, '_'));

const permissions = fc
  .tuple(
    ...Array.from({ length: 3 }, () =>
      fc.tuple(
        fc.constantFrom('r', '-'),
        fc.constantFrom('w', '-'),
        fc.constantFrom('x', '-', 's', 'S', 't', 'T'),
      ),
    ),
  )
  .map((triples) => triples.flat().join(''));
const word = fc.stringMatching(/^[a-z_][a-z0-9_.-]{0,7}$/);
const group = fc.oneof(
  fc.nat({ max: 70000 }).map(String),
  word,
  fc.tuple(word, word).map(([a, b]) => `${a} ${b}`),
);

/** A line and what it must read as. */
export interface ListCase {
  readonly line: string;
  readonly expected: Partial<ListEntry>;
}

export const unixCase: fc.Arbitrary<ListCase> = fc
  .record({
    letter: fc.constantFrom('-', 'd', 'l', 'b', 'c', 'p', 's'),
    permissions,
    marker: fc.constantFrom('', '+', '@', '.'),
    links: fc.integer({ min: 1, max: 9999 }),
    owner: fc.oneof(word, fc.nat({ max: 70000 }).map(String)),
    group: fc.option(group, { nil: undefined }),
    size: fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }).map(Number),
    device: fc.tuple(
      fc.nat({ max: 255 }),
      fc.nat({ max: 255 }),
      fc.constantFrom(',', ', ', ',   '),
    ),
    // Within the last six months (the time form), or any time in 1970-2099 (the year form).
    recent: fc.boolean(),
    ago: fc.integer({ min: 0, max: 180 * DAY }),
    time: fc.integer({ min: 0, max: Date.UTC(2099, 11, 31) }),
    zeroPadDay: fc.boolean(),
    name,
    target: name,
    gaps: fc.array(spaces(1, 6), { minLength: 7, maxLength: 7 }),
  })
  .filter(({ letter, name: text }) => letter !== 'l' || !text.includes(' -> '))
  .map((c) => {
    const device = c.letter === 'b' || c.letter === 'c';
    const date = new Date(c.recent ? NOW.getTime() - c.ago : c.time);
    const day = c.zeroPadDay ? pad(date.getUTCDate(), 2) : pad(date.getUTCDate(), 2, ' ');
    const when = c.recent
      ? `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}`
      : ` ${date.getUTCFullYear()}`;
    const sizeColumn = device ? `${c.device[0]}${c.device[2]}${c.device[1]}` : String(c.size);
    const nameColumn = c.letter === 'l' ? `${c.name} -> ${c.target}` : c.name;
    const [g0, g1, g2, g3, g4, g5] = c.gaps as [string, string, string, string, string, string];
    const line = `${c.letter}${c.permissions}${c.marker}${g0}${c.links}${g1}${c.owner}${g2}${c.group === undefined ? '' : `${c.group}${g3}`}${sizeColumn}${g4}${MONTHS[date.getUTCMonth()]}${g5}${day} ${when} ${nameColumn}`;
    const minute = 60_000;
    const shown = c.recent
      ? date.getTime() - (date.getTime() % minute)
      : Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    const type = { '-': 'file', d: 'directory', l: 'link' }[c.letter as '-' | 'd' | 'l'] ?? 'other';
    return {
      line,
      expected: {
        dialect: 'unix',
        type,
        permissions: c.permissions,
        owner: c.owner,
        group: c.group,
        size: device ? undefined : c.size,
        modified: new Date(shown),
        name: c.name,
        link: c.letter === 'l' ? c.target : undefined,
        line,
      } as Partial<ListEntry>,
    };
  });

export const dosCase: fc.Arbitrary<ListCase> = fc
  .record({
    time: fc.integer({ min: Date.UTC(1969, 0, 1), max: Date.UTC(2068, 11, 31, 23, 59) }),
    fourDigits: fc.boolean(),
    twelveHour: fc.boolean(),
    directory: fc.boolean(),
    size: fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }).map(Number),
    padding: fc.integer({ min: 1, max: 10 }),
    before: spaces(1, 20),
    name,
  })
  .filter((c) => !c.directory || c.padding === 10 || !c.name.startsWith(' '))
  .map((c) => {
    const date = new Date(c.time - (c.time % 60_000));
    const year = c.fourDigits ? pad(date.getUTCFullYear(), 4) : pad(date.getUTCFullYear() % 100, 2);
    const hour = date.getUTCHours();
    const clock = c.twelveHour
      ? `${pad(((hour + 11) % 12) + 1, 2)}:${pad(date.getUTCMinutes(), 2)}${hour < 12 ? 'AM' : 'PM'}`
      : `${pad(hour, 2)}:${pad(date.getUTCMinutes(), 2)}`;
    const column = c.directory ? `<DIR>${' '.repeat(c.padding)}` : `${c.size} `;
    const line = `${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}-${year}  ${clock}${c.before}${column}${c.name}`;
    return {
      line,
      expected: {
        dialect: 'dos',
        type: c.directory ? 'directory' : 'file',
        size: c.directory ? undefined : c.size,
        modified: date,
        name: c.name,
      } as Partial<ListEntry>,
    };
  });

export const eplfCase: fc.Arbitrary<ListCase> = fc
  .record({
    directory: fc.boolean(),
    retrievable: fc.boolean(),
    size: fc.option(fc.nat(), { nil: undefined }),
    seconds: fc.option(fc.integer({ min: 0, max: 8.64e12 }), { nil: undefined }),
    mode: fc.option(fc.integer({ min: 0, max: 0o7777 }), { nil: undefined }),
    id: fc.stringMatching(/^[0-9.]{1,12}$/),
    order: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
    name: name
      .map((text) => text.replace(/\t/g, ' '))
      .chain((text) => fc.constantFrom(text, `${text}\t${text}`)),
  })
  .map((c) => {
    const facts = [
      c.directory ? '/' : undefined,
      c.retrievable ? 'r' : undefined,
      c.size === undefined ? undefined : `s${c.size}`,
      c.seconds === undefined ? undefined : `m${c.seconds}`,
      c.mode === undefined ? undefined : `up${c.mode.toString(8)}`,
      `i${c.id}`,
    ]
      .map((fact, index) => ({ fact, key: c.order[index]! }))
      .filter((item) => item.fact !== undefined)
      .sort((a, b) => a.key - b.key)
      .map((item) => item.fact);
    const line = `+${facts.map((fact) => `${fact},`).join('')}\t${c.name}`;
    const letters = (mode: number) =>
      Array.from('rwxrwxrwx', (letter, bit) => (mode & (1 << (8 - bit)) ? letter : '-')).join('');
    return {
      line,
      expected: {
        dialect: 'eplf',
        type: c.directory ? 'directory' : c.retrievable ? 'file' : 'other',
        size: c.size,
        modified: c.seconds === undefined ? undefined : new Date(c.seconds * 1000),
        permissions: c.mode === undefined ? undefined : letters(c.mode),
        name: c.name,
      } as Partial<ListEntry>,
    };
  });
