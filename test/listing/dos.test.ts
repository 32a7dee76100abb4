import { type ListEntry, parseListLine } from '@ftpwire/listing';
import { describe, expect, it } from 'vitest';
import { latin1 } from './helpers.js';

const dos = (line: string | Uint8Array): ListEntry | undefined =>
  parseListLine(line, { dialect: 'dos' });

describe('MS-DOS style lines (IIS, Windows CE)', () => {
  it('reads a directory and a file of IIS', () => {
    expect(dos('12-05-96  05:03PM       <DIR>          absoft2')).toEqual({
      dialect: 'dos',
      name: 'absoft2',
      rawName: undefined,
      type: 'directory',
      size: undefined,
      modified: new Date('1996-12-05T17:03:00Z'),
      link: undefined,
      permissions: undefined,
      owner: undefined,
      group: undefined,
      line: '12-05-96  05:03PM       <DIR>          absoft2',
    });
    expect(dos('05-22-97  12:08AM                  5000000000 AUTOEXEC.BAK')).toMatchObject({
      type: 'file',
      size: 5000000000,
      modified: new Date('1997-05-22T00:08:00Z'),
    });
  });

  it('reads 12-hour times (12AM is midnight, 12PM noon) and the 24-hour form of Windows CE', () => {
    const time = (clock: string) =>
      dos(`01-02-03  ${clock}       <DIR>          d`)?.modified?.toISOString();
    expect(time('12:00AM')).toBe('2003-01-02T00:00:00.000Z');
    expect(time('12:59PM')).toBe('2003-01-02T12:59:00.000Z');
    expect(time('01:00PM')).toBe('2003-01-02T13:00:00.000Z');
    expect(time('11:59pm')).toBe('2003-01-02T23:59:00.000Z');
    expect(time('17:03')).toBe('2003-01-02T17:03:00.000Z');
    expect(time('0:05')).toBe('2003-01-02T00:05:00.000Z');
    for (const bad of ['13:00PM', '00:00AM', '24:00', '12:60', '12:5', '123:00']) {
      expect(dos(`01-02-03  ${bad}       <DIR>          d`), bad).toBeUndefined();
    }
  });

  it('reads two-digit years as POSIX %y does, and four-digit years as they are', () => {
    const year = (date: string) =>
      dos(`${date}  10:57AM               143712 f`)?.modified?.getUTCFullYear();
    expect([year('05-26-69'), year('05-26-99'), year('05-26-00'), year('05-26-68')]).toEqual([
      1969, 1999, 2000, 2068,
    ]);
    expect(year('05-26-1995')).toBe(1995);
    expect(year('05/26/1995')).toBe(1995);
    for (const date of ['13-01-95', '02-30-96', '00-10-95', '05-26-995', '05-26/95', '5-26-95']) {
      expect(year(date), date).toBeUndefined();
    }
  });

  it("takes IIS's padding of up to 10 spaces after <DIR>, the rest belongs to the name", () => {
    expect(dos('12-03-96  06:38PM       <DIR>           10 years and under')?.name).toBe(
      ' 10 years and under',
    );
    expect(dos('06-29-01 05:38PM <DIR> test4')?.name).toBe('test4');
    expect(dos('06-29-01 05:38PM <dir>    test4')?.type).toBe('directory');
  });

  it('takes the name after exactly one space after a size', () => {
    expect(dos('05-22-97  12:08AM                  5 10 years and under')?.name).toBe(
      '10 years and under',
    );
    expect(dos('05-22-97  12:08AM                  5  leading')?.name).toBe(' leading');
  });

  it.each([
    ['no name', '12-05-96  05:03PM       <DIR>          '],
    ['no size or <DIR>', '12-05-96  05:03PM x'],
    ['a size that is not a number', '12-05-96  05:03PM 12a3 x'],
    ['no time', '12-05-96 <DIR> x'],
    ['a Unix line', '-rw-r--r-- 1 a b 1 Jan  3  2020 x'],
  ])('is no entry: %s', (_what, line) => {
    expect(dos(line)).toBeUndefined();
  });

  it('keeps the bytes of a name that is not UTF-8 (Shift_JIS, NET-516)', () => {
    const entry = dos(latin1('07-17-13  02:17PM                    3 x\x81\x85y'));
    expect(entry?.name).toBe('x\ufffd\ufffdy');
    expect(entry?.rawName).toEqual(latin1('x\x81\x85y'));
  });
});
