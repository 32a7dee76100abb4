import { type ListEntry, parseListLine } from '@ftpwire/listing';
import { describe, expect, it } from 'vitest';
import { latin1, NOW } from './helpers.js';

const unix = (line: string | Uint8Array, now = NOW): ListEntry | undefined =>
  parseListLine(line, { now, dialect: 'unix' });

describe('Unix ls -l lines', () => {
  it('reads every column of a vsftpd line (numeric owners, zero-padded day)', () => {
    expect(unix('-rw-r--r--    1 102      105          1024 Nov 07 10:24 file.bin')).toEqual({
      dialect: 'unix',
      name: 'file.bin',
      rawName: undefined,
      type: 'file',
      size: 1024,
      modified: new Date('2026-11-07T10:24:00Z'),
      link: undefined,
      permissions: 'rw-r--r--',
      owner: '102',
      group: '105',
      line: '-rw-r--r--    1 102      105          1024 Nov 07 10:24 file.bin',
    });
  });

  it('reads what each type letter means', () => {
    const typeOf = (letter: string) => unix(`${letter}rw-r--r-- 1 a b 1 Jan  1  2020 x`)?.type;
    expect(['-', 'd', 'l', 'b', 'c', 'p', 's', 'D'].map(typeOf)).toEqual([
      'file',
      'directory',
      'link',
      'other',
      'other',
      'other',
      'other',
      'other',
    ]);
    for (const letter of ['t', '?', 'x', ' ', 'L']) expect(typeOf(letter), letter).toBeUndefined();
  });

  it('accepts set-id, sticky and locking letters, and refuses other permission letters', () => {
    const permissions = (perms: string) => unix(`-${perms} 1 a b 1 Jan  1  2020 x`)?.permissions;
    for (const perms of ['rwsr-sr-t', 'rwSr-Sr-T', 'r-xr-lr-L', '---------']) {
      expect(permissions(perms)).toBe(perms);
    }
    for (const perms of ['rwxrwxrwz', 'wr-r--r--', 'rw-r--r-', 'RW-r--r--']) {
      expect(permissions(perms), perms).toBeUndefined();
    }
  });

  it('skips ACL, extended attribute and SELinux markers after the permissions', () => {
    for (const marker of ['+', '@', '.']) {
      expect(
        unix(`-rw-r--r--${marker}   1 patrick  staff   1057 Dec 11 14:35 test.txt`),
      ).toMatchObject({
        name: 'test.txt',
        owner: 'patrick',
        group: 'staff',
        size: 1057,
      });
    }
    expect(unix('-rw-r--r--++ 1 a b 1 Jan  1  2020 x')).toBeUndefined();
  });

  it('skips the inode number and block count of ls -i and ls -s', () => {
    expect(unix('  1234567   8 -rw-r--r-- 1 a b 5 Jan  1  2020 x')).toMatchObject({
      name: 'x',
      size: 5,
    });
    expect(unix('8 drwxr-xr-x 2 a b 4096 Jan  1  2020 d')?.type).toBe('directory');
  });

  it('reads a group with spaces, and a line without a group', () => {
    expect(unix('drwx------ 4 maxm Domain Users 512 Oct 2 10:59 .metadata')).toMatchObject({
      owner: 'maxm',
      group: 'Domain Users',
      size: 512,
      name: '.metadata',
    });
    expect(unix('dr-xr-xr-x   2 root     512 Apr  8  1994 etc')).toMatchObject({
      owner: 'root',
      group: undefined,
      size: 512,
    });
  });

  it('reads owners and groups that look like numbers or months', () => {
    expect(unix('-rw-r--r-- 1 jan mar 12 Jan  2  2020 x')).toMatchObject({
      owner: 'jan',
      group: 'mar',
      size: 12,
    });
    expect(unix('-rw-r--r-- 1 1000 12 1234 Jan 1 12:00 x')).toMatchObject({
      owner: '1000',
      group: '12',
      size: 1234,
    });
  });

  it('gives a device file no size: `major, minor` or `major,minor`', () => {
    for (const column of ['1,   3', '1, 3', '1,3']) {
      expect(unix(`crw-rw-rw- 1 root root ${column} Nov 27 09:12 null`)).toMatchObject({
        type: 'other',
        size: undefined,
        group: 'root',
        name: 'null',
      });
    }
    expect(unix('brw-rw---- 1 root disk 8, 0 Nov 27 09:12 sda')?.group).toBe('disk');
  });

  it('dates `Mon dd hh:mm` at the latest such time not after now (give or take a day)', () => {
    const modified = (date: string, now: string) =>
      unix(`-rw-r--r-- 1 a b 1 ${date} x`, new Date(now))?.modified?.toISOString();
    expect(modified('Nov 27 11:59', '2026-11-27T12:00:00Z')).toBe('2026-11-27T11:59:00.000Z');
    // A server clock up to a day ahead of UTC: still this year.
    expect(modified('Nov 28 11:59', '2026-11-27T12:00:00Z')).toBe('2026-11-28T11:59:00.000Z');
    expect(modified('Nov 28 12:01', '2026-11-27T12:00:00Z')).toBe('2025-11-28T12:01:00.000Z');
    // Across New Year: December in January is last year's.
    expect(modified('Dec 31 23:59', '2027-01-01T00:30:00Z')).toBe('2026-12-31T23:59:00.000Z');
    expect(modified('Jan  1 00:10', '2027-01-01T00:30:00Z')).toBe('2027-01-01T00:10:00.000Z');
    // FileZilla Server shows the time for 350 days: still the latest past date.
    expect(modified('Dec 15 08:00', '2026-11-27T12:00:00Z')).toBe('2025-12-15T08:00:00.000Z');
    // February 29 goes back to the last leap year.
    expect(modified('Feb 29 10:00', '2026-11-27T12:00:00Z')).toBe('2024-02-29T10:00:00.000Z');
    expect(modified('Mar 12  3:33', '2026-11-27T12:00:00Z')).toBe('2026-03-12T03:33:00.000Z');
  });

  it('dates `Mon dd  yyyy` at midnight of that day', () => {
    expect(unix('-rw-r--r-- 1 a b 1 Apr  8  1994 x')?.modified?.toISOString()).toBe(
      '1994-04-08T00:00:00.000Z',
    );
    expect(unix('-rw-r--r-- 1 a b 1 Feb 29  2024 x')?.modified?.toISOString()).toBe(
      '2024-02-29T00:00:00.000Z',
    );
  });

  it('reads month names in any case', () => {
    expect(unix('-rw-r--r-- 1 a b 1 jAN 05  2020 x')?.modified?.toISOString()).toBe(
      '2020-01-05T00:00:00.000Z',
    );
  });

  it.each([
    ['a day past the month', '-rw-r--r-- 1 a b 1 Feb 30  2024 x'],
    ['February 29 of a common year', '-rw-r--r-- 1 a b 1 Feb 29  2023 x'],
    ['day 0', '-rw-r--r-- 1 a b 1 Jan 0  2024 x'],
    ['day 32', '-rw-r--r-- 1 a b 1 Jan 32 12:00 x'],
    ['hour 24', '-rw-r--r-- 1 a b 1 Jan 3 24:00 x'],
    ['minute 60', '-rw-r--r-- 1 a b 1 Jan 3 12:60 x'],
    ['a three-digit minute', '-rw-r--r-- 1 a b 1 Jan 3 12:000 x'],
    ['a three-digit year', '-rw-r--r-- 1 a b 1 Jan 3 202 x'],
    ['no month name', '-rw-r--r-- 1 a b 1 Foo 3 12:00 x'],
    ['no name after the date', '-rw-r--r-- 1 a b 1 Jan 3 12:00 '],
    ['no size before the month', '-rw-r--r-- 1 a b x Jan 3 12:00 x'],
    ['no link count', '-rw-r--r-- a b 1 Jan 3 12:00 x'],
    ['no owner', '-rw-r--r-- 1 1 Jan 3 12:00 x'],
    ['a size past 2^53', '-rw-r--r-- 1 a b 9007199254740993 Jan 3 12:00 x'],
    ['total', 'total 12'],
    ['an empty line', ''],
  ])('is no entry: %s', (_what, line) => {
    expect(unix(line)).toBeUndefined();
  });

  it('keeps the name whole after the one space after the date', () => {
    const name = (text: string) => unix(`-rw-r--r-- 1 a b 1 Jan  3  2020 ${text}`)?.name;
    for (const text of [
      ' leading',
      '  two leading',
      'trailing ',
      'in ner',
      'Jan 01 12:00 date-like',
      '->',
    ]) {
      expect(name(text)).toBe(text);
    }
    expect(name('arrow -> in a file name')).toBe('arrow -> in a file name');
  });

  it('splits a link at its first arrow', () => {
    const link = (text: string) => {
      const entry = unix(`lrwxrwxrwx 1 a b 1 Jan  3  2020 ${text}`);
      return [entry?.name, entry?.link];
    };
    expect(link('latest -> pub')).toEqual(['latest', 'pub']);
    expect(link('a -> b -> c')).toEqual(['a', 'b -> c']);
    expect(link(' spaced name -> target dir/')).toEqual([' spaced name', 'target dir/']);
    expect(link('no-arrow')).toEqual(['no-arrow', undefined]);
    expect(link('empty -> ')).toEqual(['empty', '']);
  });

  it('keeps the bytes of a name that is not UTF-8, also after a non-UTF-8 owner and for a link', () => {
    const entry = unix(latin1('-rw-r--r-- 1 Jos\xe9 staff 9 Jan  3  2020 caf\xe9.txt'));
    expect([entry?.owner, entry?.name]).toEqual(['Jos\ufffd', 'caf\ufffd.txt']);
    expect(entry?.rawName).toEqual(latin1('caf\xe9.txt'));
    expect(
      unix(latin1('-rw-r--r-- 1 Jos\xe9 staff 9 Jan  3  2020 plain'))?.rawName,
    ).toBeUndefined();
    const link = unix(latin1('lrwxrwxrwx 1 a b 9 Jan  3  2020 l\xefnk -> t\xe0rget'));
    expect(link?.rawName).toEqual(latin1('l\xefnk'));
    expect(link?.link).toBe('t\ufffdrget');
  });
});
