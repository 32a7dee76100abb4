import { formatFacts, parseFacts } from '@ftpwire/listing';
import { describe, expect, it } from 'vitest';
import { listingErrorOf } from './helpers.js';

const facts = (...pairs: [string, string][]) => new Map(pairs);

describe('formatFacts', () => {
  it('writes each fact as name=value; in order, a space, then the name, without a line end', () => {
    const line = formatFacts({
      name: 'a; b = c',
      facts: facts(['Type', 'file'], ['size', '12'], ['x.empty', '']),
    });
    expect(line).toBe('Type=file;size=12;x.empty=; a; b = c');
    expect(parseFacts(line)).toMatchObject({ name: 'a; b = c', type: 'file', size: 12 });
  });

  it('writes an entry without facts as a space and the name, leading spaces kept', () => {
    expect(formatFacts({ name: '  x', facts: new Map() })).toBe('   x');
    expect(parseFacts(formatFacts({ name: '  x', facts: new Map() })).name).toBe('  x');
  });

  it('writes any MlsxEntry back as the line it came from when that line was canonical', () => {
    const line = 'type=file;size=1024;modify=20261204102434;unix.mode=0644; file.bin';
    expect(formatFacts(parseFacts(line))).toBe(line);
  });

  it.each([
    ['a CR in the name', 'a\rb', 19],
    ['an LF in the name', 'a\nDELE b', 19],
    ['a NUL in the name', '\0', 18],
    ['an empty name', '', 18],
  ])('refuses %s (ERR_INVALID_NAME)', (_what, name, offset) => {
    const error = listingErrorOf(() =>
      formatFacts({ name, facts: facts(['type', 'file'], ['size', '1']) }),
    );
    expect([error.code, error.offset]).toEqual(['ERR_INVALID_NAME', offset]);
  });

  it.each([
    ['an empty fact name', [['', 'x']], 0],
    ['"=" in a fact name', [['a=b', 'x']], 1],
    ['";" in a fact name', [['a;b', 'x']], 1],
    [
      'a space in a fact name',
      [
        ['type', 'file'],
        ['a b', 'x'],
      ],
      11,
    ],
    [
      'a space in a value',
      [
        ['type', 'file'],
        ['perm', 'r w'],
      ],
      16,
    ],
    ['";" in a value', [['x.a', 'b;c']], 5],
    ['CR in a value', [['x.a', '\r']], 4],
    [
      'two facts differing only in case',
      [
        ['size', '1'],
        ['Size', '2'],
      ],
      7,
    ],
    ['a size that is not decimal', [['size', '12kB']], 7],
    [
      'a modify that is no time-val',
      [
        ['type', 'file'],
        ['modify', '2024-02-29'],
      ],
      21,
    ],
    ['a unix.mode that is not octal', [['unix.mode', '0648']], 13],
  ] as [string, [string, string][], number][])(
    'refuses %s (ERR_INVALID_FACT)',
    (_what, pairs, offset) => {
      const error = listingErrorOf(() => formatFacts({ name: 'x', facts: new Map(pairs) }));
      expect([error.code, error.offset]).toEqual(['ERR_INVALID_FACT', offset]);
    },
  );
});
