import { formatTimeVal, parseTimeVal } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { replyErrorOf } from './helpers.ts';

const iso = (text: string): string => parseTimeVal(text).toISOString();

describe('parseTimeVal', () => {
  it('reads YYYYMMDDHHMMSS as UTC', () => {
    expect(iso('20240229134501')).toBe('2024-02-29T13:45:01.000Z');
    expect(iso('10000101000000')).toBe('1000-01-01T00:00:00.000Z');
    expect(iso('99991231235959')).toBe('9999-12-31T23:59:59.000Z');
    expect(iso('19700101000000')).toBe('1970-01-01T00:00:00.000Z');
  });

  it('keeps fraction digits to the millisecond, truncating the rest (never into the next day)', () => {
    expect(iso('20240229134501.5')).toBe('2024-02-29T13:45:01.500Z');
    expect(iso('20240229134501.05')).toBe('2024-02-29T13:45:01.050Z');
    expect(iso('20240229134501.123')).toBe('2024-02-29T13:45:01.123Z');
    expect(iso('20240229134501.1239')).toBe('2024-02-29T13:45:01.123Z');
    expect(iso('20231231235959.99999999')).toBe('2023-12-31T23:59:59.999Z');
    expect(iso(`20240229134501.${'0'.repeat(1000)}7`)).toBe('2024-02-29T13:45:01.000Z');
  });

  it('knows month lengths and leap years (divisible by 4, not by 100 unless by 400)', () => {
    expect(iso('20000229000000')).toBe('2000-02-29T00:00:00.000Z');
    expect(iso('20240430000000')).toBe('2024-04-30T00:00:00.000Z');
    for (const [text, offset] of [
      ['19000229000000', 6],
      ['20230229000000', 6],
      ['20240230000000', 6],
      ['20240431000000', 6],
      ['20240631000000', 6],
      ['20240931000000', 6],
      ['20241131000000', 6],
      ['20240100000000', 6],
      ['20240132000000', 6],
    ] as const) {
      const error = replyErrorOf(() => parseTimeVal(text));
      expect([text, error.code, error.offset]).toEqual([text, 'ERR_INVALID_TIME_VAL', offset]);
    }
  });

  it('refuses each field out of range at its offset', () => {
    for (const [text, offset, words] of [
      ['09991231235959', 0, 'year 999 is before 1000'],
      ['00000101000000', 0, 'year 0'],
      ['20241301000000', 4, 'month 13 is not 01-12'],
      ['20240001000000', 4, 'month 0'],
      ['20240101240000', 8, 'hour 24 is over 23'],
      ['20240101236000', 10, 'minute 60 is over 59'],
      ['20240101235961', 12, 'second 61 is over 59'],
      ['20240101235999', 12, 'second 99'],
    ] as const) {
      const error = replyErrorOf(() => parseTimeVal(text));
      expect([error.code, error.offset]).toEqual(['ERR_INVALID_TIME_VAL', offset]);
      expect(error.message).toContain(words);
      expect(error.message).toContain(`"${text}"`);
    }
  });

  it('accepts second 60 only as a leap second, 23:59:60 on the last day of a month, read as the next second', () => {
    expect(iso('20161231235960')).toBe('2017-01-01T00:00:00.000Z');
    expect(iso('20150630235960.25')).toBe('2015-07-01T00:00:00.250Z');
    expect(iso('20240229235960')).toBe('2024-03-01T00:00:00.000Z');
    for (const text of ['20161231235860', '20161231225960', '20161230235960', '20230228125960']) {
      expect(replyErrorOf(() => parseTimeVal(text)).offset).toBe(12);
    }
  });

  it('refuses anything but the exact grammar: 14 digits, then optionally "." and 1 or more digits', () => {
    for (const [text, offset] of [
      ['', 0],
      ['2024022913450', 13],
      ['2024-02-29T13:45:01Z', 4],
      [' 20240229134501', 0],
      ['+20240229134501', 0],
      ['2024022913450a', 13],
      ['20240229134501 ', 14],
      ['20240229134501Z', 14],
      ['20240229134501.', 14],
      ['20240229134501,5', 14],
      ['20240229134501.5 ', 16],
      ['20240229134501.5.5', 16],
      ['20240229134501.-5', 15],
      ['202402291345010', 14],
      ['٢٠٢٤٠٢٢٩١٣٤٥٠١', 0],
    ] as const) {
      const error = replyErrorOf(() => parseTimeVal(text));
      expect([text, error.code, error.offset]).toEqual([text, 'ERR_INVALID_TIME_VAL', offset]);
    }
  });

  it('quotes at most 40 characters of a hostile time-val in its message', () => {
    const error = replyErrorOf(() => parseTimeVal(`20240229134501.${'9'.repeat(100_000)}x`));
    expect(error.offset).toBe(100_015);
    expect(error.message.length).toBeLessThan(120);
    expect(error.message).toContain('..."');
  });
});

describe('formatTimeVal', () => {
  it('writes UTC, with ".sss" only when there are milliseconds', () => {
    expect(formatTimeVal(new Date('2024-02-29T13:45:01Z'))).toBe('20240229134501');
    expect(formatTimeVal(new Date('2024-02-29T13:45:01.5Z'))).toBe('20240229134501.500');
    expect(formatTimeVal(new Date('2024-02-29T13:45:01.007Z'))).toBe('20240229134501.007');
    expect(formatTimeVal(new Date('1000-01-01T00:00:00Z'))).toBe('10000101000000');
    expect(formatTimeVal(new Date('9999-12-31T23:59:59.999Z'))).toBe('99991231235959.999');
  });

  it('does not depend on the local time zone', () => {
    const date = new Date(Date.UTC(2024, 0, 1, 0, 30));
    expect(formatTimeVal(date)).toBe('20240101003000');
  });

  it('refuses an invalid Date and years a time-val cannot express', () => {
    for (const date of [
      new Date(Number.NaN),
      new Date('0999-12-31T23:59:59.999Z'),
      new Date('+010000-01-01T00:00:00Z'),
      new Date(-1e15),
    ]) {
      const error = replyErrorOf(() => formatTimeVal(date));
      expect([error.code, error.offset]).toEqual(['ERR_INVALID_TIME_VAL', 0]);
    }
  });
});
