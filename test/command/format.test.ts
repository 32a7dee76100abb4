import { CommandError, formatCommand, parseCommand } from '@ftpwire/command';
import { describe, expect, it } from 'vitest';

describe('formatCommand', () => {
  it('writes VERB argument CRLF, or VERB CRLF without argument', () => {
    expect(formatCommand('RETR', 'report 2024.pdf')).toBe('RETR report 2024.pdf\r\n');
    expect(formatCommand('PASV')).toBe('PASV\r\n');
    expect(formatCommand('NOOP', '')).toBe('NOOP\r\n');
    expect(formatCommand('CWD', ' leading space')).toBe('CWD  leading space\r\n');
  });

  it('CVE-2017-3533 / bpo-30119: a CR or LF in the argument is refused (Java and CPython FTP injection)', () => {
    for (const argument of ['a\r\nDELE b', 'a\nQUIT', 'a\rQUIT']) {
      expect(() => formatCommand('RETR', argument)).toThrowError(CommandError);
    }
  });

  it('GHSA-6v7q-wjvx-w8wg: basic-ftp path CRLF injection is refused, with the character offset', () => {
    try {
      formatCommand('CWD', 'docs\r\nDELE secret.txt');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({
        name: 'CommandError',
        code: 'ERR_INVALID_ARGUMENT',
        offset: 4,
      });
    }
  });

  it('refuses NUL in the argument (C servers truncate at it)', () => {
    expect(() => formatCommand('RETR', 'secret.txt\0.jpg')).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', offset: 10 }),
    );
  });

  it('refuses verbs that are not 3-4 ASCII letters', () => {
    for (const verb of ['', 'RE', 'RETRX', 'RE T', 'RET\r', 'R3TR', 'RÉTR', 'USER\r\nDELE']) {
      expect(() => formatCommand(verb), JSON.stringify(verb)).toThrowError(
        expect.objectContaining({ code: 'ERR_INVALID_VERB' }),
      );
    }
  });

  it('accepts other visible ASCII verbs with strictVerb: false, never spaces or controls', () => {
    expect(formatCommand('XCRC32', 'file', { strictVerb: false })).toBe('XCRC32 file\r\n');
    for (const verb of ['', 'A B', 'A\r\n', 'A\0', 'É']) {
      expect(() => formatCommand(verb, undefined, { strictVerb: false })).toThrowError(
        expect.objectContaining({ code: 'ERR_INVALID_VERB' }),
      );
    }
  });

  it('keeps the verb as given; parseCommand reads it back upper-cased', () => {
    expect(formatCommand('retr', 'x')).toBe('retr x\r\n');
    expect(parseCommand(formatCommand('retr', 'x'))).toMatchObject({ verb: 'RETR', argument: 'x' });
  });
});
