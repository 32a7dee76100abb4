import { formatFeatureReply, parseFeatureReply, parseReply, type Reply } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { serverTranscripts } from '../fixtures/replies.ts';
import { replyErrorOf } from './helpers.ts';

/** A FEAT answer of a server's transcripts: a multi-line 211 that is not a STAT. */
function featOf(prefix: string, index = 0): Reply {
  const found = serverTranscripts
    .filter((t) => t.file.startsWith(prefix))
    .flatMap((t) => t.replies)
    .filter((r) => r.code === 211 && r.lines.length > 1 && !/status/i.test(r.lines[0]!))
    .at(index);
  if (!found) throw new Error(`no FEAT reply in ${prefix}`);
  return parseReply(`${found.lines.join('\r\n')}\r\n`);
}

describe('parseFeatureReply', () => {
  it("reads vsftpd's FEAT: names as keys, parameters as values, '' when none", () => {
    expect(Object.fromEntries(parseFeatureReply(featOf('vsftpd')))).toEqual({
      AUTH: 'TLS',
      EPRT: '',
      EPSV: '',
      MDTM: '',
      PASV: '',
      PBSZ: '',
      PROT: '',
      REST: 'STREAM',
      SIZE: '',
      TVFS: '',
    });
  });

  it("reads ProFTPD's, Pure-FTPd's and FileZilla Server's MLST facts and LANG as sent", () => {
    const proftpd = parseFeatureReply(featOf('proftpd'));
    expect(proftpd.get('MLST')).toBe(
      'modify*;perm*;size*;type*;unique*;UNIX.group*;UNIX.mode*;UNIX.owner*;',
    );
    expect(proftpd.get('LANG')).toBe('en-US*');
    expect(proftpd.get('MFF')).toBe('modify;UNIX.group;UNIX.mode;');
    expect(parseFeatureReply(featOf('pure-ftpd')).get('MLST')).toBe(
      'type*;size*;sizd*;modify*;UNIX.mode*;UNIX.uid*;UNIX.gid*;unique*;',
    );
    expect([...parseFeatureReply(featOf('filezilla')).keys()]).toEqual([
      'MDTM',
      'REST',
      'SIZE',
      'MLST',
      'MLSD',
      'UTF8',
      'CLNT',
      'MFMT',
    ]);
  });

  it("reads IIS 7's list and IIS 6's four-space indent", () => {
    const iis7 = parseFeatureReply(featOf('iis'));
    expect(iis7.get('AUTH')).toBe('TLS;TLS-C;SSL;TLS-P;');
    expect(iis7.get('PROT')).toBe('C;P;');
    expect(iis7.get('LANG')).toBe('EN*');
    expect([...parseFeatureReply(featOf('iis', 1))]).toEqual([
      ['SIZE', ''],
      ['MDTM', ''],
    ]);
  });

  it('upper-cases names and keeps the case of parameters', () => {
    const features = parseFeatureReply('211-Features:\r\n mlst Type*;Size*;\r\n utf8\r\n211 End');
    expect([...features]).toEqual([
      ['MLST', 'Type*;Size*;'],
      ['UTF8', ''],
    ]);
  });

  it('reads a single-line 211, and a listing without feature lines, as no features', () => {
    expect(parseFeatureReply('211 No features').size).toBe(0);
    expect(parseFeatureReply('211 no-features\r\n').size).toBe(0);
    expect(parseFeatureReply('211-Features:\r\n211 End').size).toBe(0);
  });

  it('joins the parameters of a feature listed twice with ";", once each (vsftpd AUTH SSL, AUTH TLS)', () => {
    const reply = '211-Features:\r\n AUTH SSL\r\n AUTH TLS\r\n AUTH TLS\r\n auth\r\n211 End';
    expect([...parseFeatureReply(reply)]).toEqual([['AUTH', 'SSL;TLS']]);
    expect(parseFeatureReply('211-x\r\n A x;\r\n A y\r\n A\r\n211 End').get('A')).toBe('x;y');
    expect(parseFeatureReply('211-x\r\n A\r\n A y\r\n211 End').get('A')).toBe('y');
  });

  it('tolerates lines without the indent, with tabs, blank lines, trailing spaces and a repeated "211-"', () => {
    const reply =
      '211-Features:\r\nEPSV\r\n\tSIZE\r\n \r\n\r\n REST   STREAM  \r\n211-MDTM\r\n211 End';
    expect([...parseFeatureReply(reply)]).toEqual([
      ['EPSV', ''],
      ['SIZE', ''],
      ['REST', 'STREAM'],
      ['MDTM', ''],
    ]);
  });

  it('keeps spaces inside parameters', () => {
    expect(parseFeatureReply('211-x\r\n SITE CHMOD  UTIME\r\n211 End').get('SITE')).toBe(
      'CHMOD  UTIME',
    );
  });

  it('refuses any code but 211, the 500 or 502 of a server without FEAT included', () => {
    for (const reply of ['500 Unknown command.', '502 Command not implemented.', '214 Help OK.']) {
      expect(replyErrorOf(() => parseFeatureReply(reply)).code).toBe('ERR_UNEXPECTED_REPLY_CODE');
      expect(replyErrorOf(() => parseFeatureReply(parseReply(reply))).code).toBe(
        'ERR_UNEXPECTED_REPLY_CODE',
      );
    }
  });

  it('refuses text that is not one complete reply, through parseReply', () => {
    expect(replyErrorOf(() => parseFeatureReply('211-Features:\r\n SIZE\r\n')).code).toBe(
      'ERR_UNCLOSED_REPLY',
    );
    expect(replyErrorOf(() => parseFeatureReply('211 a\r\n211 b\r\n')).code).toBe(
      'ERR_TRAILING_DATA',
    );
  });
});

describe('formatFeatureReply', () => {
  it('writes RFC 2389 §3.2: a 211- line, one indented line per feature, 211 End', () => {
    expect(
      formatFeatureReply(
        new Map([
          ['EPSV', ''],
          ['REST', 'STREAM'],
          ['MLST', 'type*;size*;modify*;'],
        ]),
      ),
    ).toBe('211-Features:\r\n EPSV\r\n REST STREAM\r\n MLST type*;size*;modify*;\r\n211 End\r\n');
    expect(formatFeatureReply(new Map())).toBe('211 No features\r\n');
  });

  it('gives back what vsftpd sent, for the map read from it', () => {
    const reply = featOf('vsftpd');
    expect(formatFeatureReply(parseFeatureReply(reply))).toBe(`${reply.lines.join('\r\n')}\r\n`);
  });

  it('refuses names that are empty or not visible ASCII, and parameters a reader would change', () => {
    for (const [name, parameters, offset] of [
      ['', '', 0],
      ['REST STREAM', '', 4],
      ['UTF\u00a08', '', 3],
      ['A\tB', '', 1],
      ['REST', ' STREAM', 0],
      ['REST', 'STREAM ', 6],
      ['REST', 'STREAM\r\n211 End', 6],
      ['REST', '\u0000', 0],
    ] as const) {
      const error = replyErrorOf(() => formatFeatureReply(new Map([[name, parameters]])));
      expect([name, error.code, error.offset]).toEqual([name, 'ERR_INVALID_TEXT', offset]);
    }
  });
});
