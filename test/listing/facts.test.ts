import { parseFacts } from '@ftpwire/listing';
import { ReplyError } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { latin1, listingErrorOf, utf8 } from './helpers.js';

describe('parseFacts: RFC 3659 §7.2 entries', () => {
  it('reads facts in order with names lower-cased and values as sent', () => {
    const entry = parseFacts('Type=file;Size=12;X.Note=Hello=World; a');
    expect([...entry.facts]).toEqual([
      ['type', 'file'],
      ['size', '12'],
      ['x.note', 'Hello=World'],
    ]);
  });

  it('takes the pathname whole after the space that ends the facts', () => {
    for (const name of ['a;b;c', 'x=y; z', '  two leading', 'trailing ', 'a -> b', ';', '=']) {
      expect(parseFacts(`type=file;size=1; ${name}`).name).toBe(name);
    }
  });

  it('reads an entry without facts (a line opening with its space)', () => {
    const entry = parseFacts(' name; with=everything');
    expect(entry.name).toBe('name; with=everything');
    expect(entry.facts.size).toBe(0);
    expect(entry.type).toBeUndefined();
  });

  it('drops one final CRLF or LF, keeps a lone CR as part of the name', () => {
    expect(parseFacts('type=file; a\r\n').name).toBe('a');
    expect(parseFacts('type=file; a\n').name).toBe('a');
    expect(parseFacts('type=file; a\rb').name).toBe('a\rb');
  });

  it('refuses a second line (ERR_TRAILING_DATA at the line feed)', () => {
    const error = listingErrorOf(() => parseFacts('type=file; a\nsize=1; b'));
    expect([error.code, error.offset]).toEqual(['ERR_TRAILING_DATA', 12]);
    expect(listingErrorOf(() => parseFacts(utf8('type=file; a\nb'))).offset).toBe(12);
  });

  it('reads the last fact without its ";" (FileZilla Server 0.9 writes `perm= name`)', () => {
    const entry = parseFacts('type=file;size=3;perm= notes.txt');
    expect(entry.perm).toBe('');
    expect(entry.name).toBe('notes.txt');
    expect(parseFacts('type=dir;perm=celp pub').perm).toBe('celp');
  });

  it('reads a link target with spaces as Pure-FTPd sends it, and a space anywhere else ends the facts', () => {
    const pure = parseFacts('type=OS.unix=slink:no such file;size=12;UNIX.mode=0777; dangling');
    expect([pure.type, pure.link, pure.size, pure.name]).toEqual([
      'symlink',
      'no such file',
      12,
      'dangling',
    ]);
    expect(parseFacts('type=file;perm=r a b; c').name).toBe('a b; c');
  });
});

describe('parseFacts: typed views', () => {
  it('reads type case-insensitively: file, dir, cdir, pdir, the two link forms, other', () => {
    const type = (value: string) => parseFacts(`type=${value}; x`);
    expect(['File', 'DIR', 'cdir', 'PDir'].map((v) => type(v).type)).toEqual([
      'file',
      'dir',
      'cdir',
      'pdir',
    ]);
    expect(type('OS.unix=symlink')).toMatchObject({ type: 'symlink', link: undefined });
    expect(type('os.UNIX=SYMLINK').type).toBe('symlink');
    expect(type('OS.unix=slink')).toMatchObject({ type: 'symlink', link: undefined });
    expect(type('OS.unix=slink:')).toMatchObject({ type: 'symlink', link: undefined });
    expect(type('OS.unix=slink:/Srv/Data')).toMatchObject({ type: 'symlink', link: '/Srv/Data' });
    for (const other of ['OS.unix=chr-13/29', 'OS.unix=slinky', 'unknown', 'files', '']) {
      expect(type(other).type, other).toBe('other');
    }
  });

  it('reads size and sizd as exact decimal numbers', () => {
    const entry = parseFacts('size=5368709120;sizd=4096; a');
    expect([entry.size, entry.sizd]).toEqual([5368709120, 4096]);
    expect(parseFacts('size=007; a').size).toBe(7);
    expect(parseFacts(`size=${Number.MAX_SAFE_INTEGER}; a`).size).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses a size that is not decimal or is past 2^53 - 1, pointing at the bad character', () => {
    for (const [value, at] of [
      ['', 5],
      ['-1', 5],
      ['+1', 5],
      ['1e3', 6],
      ['12kB', 7],
      [' 1', 5],
      ['9007199254740992', 20],
    ] as const) {
      const error = listingErrorOf(() => parseFacts(`size=${value};type=file; a`));
      expect([error.code, error.offset], value).toEqual(['ERR_INVALID_FACT', at]);
    }
  });

  it('reads modify and create as time-vals in UTC, fractions kept to the millisecond', () => {
    const entry = parseFacts('modify=20240229134501.1239;create=19990217230400; a');
    expect(entry.modify?.toISOString()).toBe('2024-02-29T13:45:01.123Z');
    expect(entry.create?.toISOString()).toBe('1999-02-17T23:04:00.000Z');
  });

  it('refuses a time that does not exist, at its field, with the ReplyError as cause', () => {
    const error = listingErrorOf(() => parseFacts('type=file;modify=20230229000000; a'));
    expect([error.code, error.offset]).toEqual(['ERR_INVALID_FACT', 23]);
    expect(error.cause).toBeInstanceOf(ReplyError);
    expect(listingErrorOf(() => parseFacts('create=2024-02-29; a')).offset).toBe(11);
  });

  it('reads UNIX.mode as octal, uid and gid as decimal, owner and group names as sent', () => {
    const entry = parseFacts(
      'UNIX.mode=04755;UNIX.uid=1000;UNIX.gid=0;UNIX.owner=0;UNIX.group=staff;UNIX.ownername=anna;UNIX.groupname=ftp users; a',
    );
    expect(entry).toMatchObject({
      unixMode: 0o4755,
      unixUid: 1000,
      unixGid: 0,
      unixOwner: '0',
      unixGroup: 'staff',
      unixOwnerName: 'anna',
    });
    expect(parseFacts('unix.mode=01777; d').unixMode).toBe(0o1777);
    expect(listingErrorOf(() => parseFacts('UNIX.mode=0648; a')).offset).toBe(13);
    expect(listingErrorOf(() => parseFacts('UNIX.uid=x; a')).code).toBe('ERR_INVALID_FACT');
  });

  it('hands perm, unique, lang, media-type and charset over as strings', () => {
    const entry = parseFacts(
      'perm=adfrw;unique=FE00U20C079;lang=en;media-type=text/plain;charset=UTF-8; a',
    );
    expect(entry).toMatchObject({
      perm: 'adfrw',
      unique: 'FE00U20C079',
      lang: 'en',
      mediaType: 'text/plain',
      charset: 'UTF-8',
    });
  });

  it('keeps facts it has no view for, and shows them all in JSON', () => {
    const entry = parseFacts('X.foo=bar;size=1; a');
    expect(entry.facts.get('x.foo')).toBe('bar');
    expect(JSON.parse(JSON.stringify(entry))).toEqual({
      name: 'a',
      facts: { 'x.foo': 'bar', size: '1' },
      size: 1,
    });
  });

  it('folds ASCII letters in fact names only, in any locale', () => {
    expect([...parseFacts('ÄÖ.X=1; a').facts.keys()]).toEqual(['ÄÖ.x']);
    expect([...parseFacts('TYPE=file; a').facts.keys()]).toEqual(['type']);
  });
});

describe('parseFacts: malformed lines (ERR_MALFORMED_FACTS) and their offsets', () => {
  it.each([
    ['no space at all', 'type=file;size=1;', 17],
    ['a fact without "="', 'type=file;size; a', 10],
    ['an empty fact name', 'type=file;=1; a', 10],
    ['an empty fact (";;")', 'type=file;;size=1; a', 10],
    ['a fact given twice, in any case', 'Size=1;type=file;size=2; a', 17],
    ['a space inside a fact, which ends the facts there', 'type=file;si ze=1; a', 10],
    ['no pathname after the facts', 'type=file; ', 11],
    ['an empty line', '', 0],
  ])('%s', (_what, line, offset) => {
    const error = listingErrorOf(() => parseFacts(line));
    expect([error.code, error.offset]).toEqual(['ERR_MALFORMED_FACTS', offset]);
    expect(error.message.length).toBeLessThan(200);
  });
});

describe('parseFacts: names as bytes (RFC 2640)', () => {
  it('decodes a UTF-8 name and gives no raw bytes', () => {
    const entry = parseFacts(utf8('type=file;size=2; données/日本.txt\r\n'));
    expect(entry.name).toBe('données/日本.txt');
    expect(entry.rawName).toBeUndefined();
  });

  it('keeps the bytes of a name that is not UTF-8, exactly', () => {
    const entry = parseFacts(latin1('type=file;size=2; caf\xe9 menu.txt\r\n'));
    expect(entry.name).toBe('caf\ufffd menu.txt');
    expect(entry.rawName).toEqual(latin1('caf\xe9 menu.txt'));
  });

  it('gives no raw bytes for a name that holds U+FFFD itself, encoded', () => {
    expect(parseFacts(utf8('type=file; \ufffd')).rawName).toBeUndefined();
  });

  it('finds the name by its space even when bytes before it are not UTF-8', () => {
    const entry = parseFacts(latin1('x.tag=\xff\xfe;type=file; na\xefve'));
    expect(entry.facts.get('x.tag')).toBe('\ufffd\ufffd');
    expect(entry.rawName).toEqual(latin1('na\xefve'));
    expect(parseFacts(latin1('x.tag=\xff;type=file; plain')).rawName).toBeUndefined();
  });
});
