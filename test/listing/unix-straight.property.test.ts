/**
 * readUnixLine reads lines in `ls`'s common shape straight (group, size, `Mon dd hh:mm|yyyy`,
 * each character once) and every other line by the general walk over the words. The law: the
 * straight reading changes no result. Lines are built from the tokens where the two could
 * part (a second space, a one-digit day, a missing group, a 16-digit size, February 29th, an
 * hour of 24, a year of 0000, a device's `major, minor`), and from the dialect's own generator.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readUnixLine } from '../../packages/listing/src/unix.ts';
import { unixCase } from './arbitraries.js';
import { NOW } from './helpers.js';

const both = (line: string, now: number) => [
  readUnixLine(line, undefined, now),
  readUnixLine(line, undefined, now, false),
];

const mode = fc.constantFrom('-rw-r--r--', 'drwxr-xr-x', 'lrwxrwxrwx', 'crw-rw-rw-', '-rwsr-S--T+');
const token = fc.constantFrom(
  ' ',
  '  ',
  '1',
  '0',
  '12',
  '123',
  '1234567890',
  '999999999999999',
  '9999999999999999',
  '12345678901234567890',
  'ftp',
  'Domain Users',
  'Nov',
  'nov',
  'Feb',
  'Dec',
  'Sep',
  'Jan',
  '29',
  '30',
  '31',
  '32',
  '00',
  '0',
  '5',
  '05',
  '09:12',
  '9:12',
  '00:00',
  '23:59',
  '24:00',
  '12:60',
  '12:5',
  '123:45',
  '2024',
  '2023',
  '0000',
  '1970',
  '20245',
  'name',
  'a b',
  '1,',
  ',',
  '1, 3',
  '1,3',
  '-> x',
  ' -> ',
  '\t',
  'é',
  '日本',
);
const tail = fc.array(token, { maxLength: 14 }).map((tokens) => tokens.join(' '));
const now = fc.oneof(
  fc.constant(NOW.getTime()),
  fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }),
  fc.constant(Date.UTC(2028, 2, 1, 12)),
);

describe('readUnixLine: the straight reading of the common shape changes no result', () => {
  it('lines built from the tokens where the two readings could part', () => {
    fc.assert(
      fc.property(
        mode,
        fc.constantFrom(' 1 ', '   12 ', ' 1  '),
        tail,
        now,
        (m, links, rest, at) => {
          const [straight, walked] = both(`${m}${links}${rest}`, at);
          expect(straight).toEqual(walked);
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('the common shape itself, and each of its fields changed', () => {
    const common = fc.record({
      group: fc.constantFrom('ftp ', '', 'Domain Users ', '1000     '),
      size: fc.constantFrom('0', '12345678', '999999999999999', '9999999999999999', '1,'),
      gap: fc.constantFrom(' ', '  '),
      month: fc.constantFrom('Nov ', 'Feb ', 'fEB ', 'Mai ', 'Nov-', 'Nov'),
      day: fc.constantFrom('27', ' 5', '05', '5', '29', '30', '0', ' 0', '31'),
      when: fc.constantFrom(
        '09:12',
        ' 2024',
        ' 2023',
        '2024',
        ' 9:12',
        '24:00',
        '23:60',
        ' 0000',
        '12:345',
      ),
      name: fc.constantFrom(' name', ' a -> b', '  x', ' ', '', '  '),
    });
    fc.assert(
      fc.property(mode, common, now, (m, c, at) => {
        const line = `${m} 1 ftp ${c.group}${c.size}${c.gap}${c.month}${c.day} ${c.when}${c.name}`;
        const [straight, walked] = both(line, at);
        expect(straight).toEqual(walked);
      }),
      { numRuns: 20_000 },
    );
  });

  it("the dialect's generated lines", () => {
    fc.assert(
      fc.property(unixCase, ({ line }) => {
        const [straight, walked] = both(line, NOW.getTime());
        expect(straight).toEqual(walked);
        expect(straight).toBeDefined();
      }),
      { numRuns: 3000 },
    );
  });
});
