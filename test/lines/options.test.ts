import { DEFAULT_MAX_LINE_LENGTH, LineSplitter } from '@ftpwire/lines';
import { describe, expect, it } from 'vitest';
import { lineErrorOf } from './helpers.ts';

describe('LineSplitter options', () => {
  it('defaults maxLineLength to CPython ftplib _MAXLINE, 8192', () => {
    expect(DEFAULT_MAX_LINE_LENGTH).toBe(8192);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])(
    'refuses maxLineLength %s with ERR_INVALID_OPTION',
    (value) => {
      const error = lineErrorOf(() => new LineSplitter({ maxLineLength: value }));
      expect(error.code).toBe('ERR_INVALID_OPTION');
      expect(error.offset).toBe(0);
      expect(error.message).toContain('maxLineLength');
    },
  );

  it('accepts any positive safe integer', () => {
    expect(() => new LineSplitter({ maxLineLength: 1 })).not.toThrow();
    expect(() => new LineSplitter({ maxLineLength: Number.MAX_SAFE_INTEGER })).not.toThrow();
  });
});
