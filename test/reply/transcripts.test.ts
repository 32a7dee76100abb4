import { parseReply, ReplyParser } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';
import { serverTranscripts, transcriptOf } from '../fixtures/replies.ts';
import { chunksOf, parseChunks, splitAt, utf8 } from './helpers.ts';

/** Reply boundaries as byte offsets, counted from the transcript's own lines (CRLF each). */
function offsetsOf(replies: readonly { rawLines: Uint8Array[] }[]): number[] {
  let offset = 0;
  return replies.map((reply) => {
    const start = offset;
    for (const line of reply.rawLines) offset += line.length + 2;
    return start;
  });
}

describe('real server transcripts', () => {
  it('holds transcripts of every server the fixtures promise', () => {
    const servers = new Set(serverTranscripts.map((t) => t.file));
    expect([...servers].sort()).toEqual([
      'filezilla-server.txt',
      'iis.txt',
      'proftpd.txt',
      'pure-ftpd.txt',
      'rfc959.txt',
      'vsftpd-3.0.3.txt',
    ]);
    for (const t of serverTranscripts) expect(t.source.length).toBeGreaterThan(20);
  });

  describe.each(serverTranscripts.map((t) => [`${t.file}: ${t.session}`, t] as const))(
    '%s',
    (_name, t) => {
      const expected = t.replies.map(({ code, lines, rawLines }) => ({ code, lines, rawLines }));
      const offsets = offsetsOf(t.replies);
      const segmentCuts = Array.from({ length: 40 }, (_, i) => (i * 37) % (t.bytes.length + 1));

      it.each([
        ['one chunk', [t.bytes]],
        ['one byte per chunk', chunksOf(t.bytes, 1)],
        ['uneven segments', splitAt(t.bytes, segmentCuts)],
      ])('parses %s into the transcript replies, at their offsets', (_how, chunks) => {
        const replies = parseChunks(chunks);
        expect(replies.map(({ code, lines, rawLines }) => ({ code, lines, rawLines }))).toEqual(
          expected,
        );
        expect(replies.map((reply) => reply.offset)).toEqual(offsets);
      });

      it('parses each reply alone with parseReply', () => {
        for (const reply of t.replies) {
          const wire = reply.rawLines.flatMap((line) => [...line, 0x0d, 0x0a]);
          expect(parseReply(Uint8Array.from(wire)).lines).toEqual(reply.lines);
        }
      });
    },
  );
});

describe('what the transcripts show', () => {
  it('vsftpd 3.0.3: greeting, 227 with its trailing period, 229, FEAT', () => {
    const replies = parseChunks([transcriptOf('vsftpd').bytes]);
    const byCode = (code: number) => replies.filter((reply) => reply.code === code);
    expect(replies[0]?.lines).toEqual(['220 (vsFTPd 3.0.3)']);
    expect(byCode(227)[0]?.text).toMatch(/^Entering Passive Mode \(127,0,0,2,\d+,\d+\)\.$/);
    expect(byCode(229)[0]?.text).toMatch(/^Entering Extended Passive Mode \(\|\|\|\d+\|\)$/);
    const feat = byCode(211)[0];
    expect(feat?.lines[0]).toBe('211-Features:');
    expect(feat?.lines).toContain(' EPSV');
    expect(feat?.lines).toContain(' AUTH TLS');
    expect(feat?.lines.at(-1)).toBe('211 End');
  });

  it('ProFTPD: one-space indented FEAT and a 230- welcome whose empty lines are a single space', () => {
    const [feat] = parseChunks([transcriptOf('proftpd').bytes]).filter(
      (reply) => reply.code === 211,
    );
    expect(feat?.lines.slice(1, -1).every((line) => line.startsWith(' '))).toBe(true);
    const welcome = parseChunks([transcriptOf('proftpd', 1).bytes]).find(
      (reply) => reply.code === 230,
    );
    expect(welcome?.lines[0]).toBe('230-Welcome to mirror.as35701.net.');
    expect(welcome?.lines).toContain(' ');
    expect(welcome?.lines.at(-1)).toBe('230 Anonymous access granted, restrictions apply');
  });

  it('Pure-FTPd: "220-" on every banner line, and text without those prefixes', () => {
    const [banner] = parseChunks([transcriptOf('pure-ftpd').bytes]);
    expect(banner?.lines).toHaveLength(6);
    expect(banner?.lines.slice(1, -1).every((line) => line.startsWith('220-'))).toBe(true);
    expect(banner?.text.split('\n')).toEqual([
      '--------- Welcome to Pure-FTPd [privsep] [TLS] ----------',
      'You are user number 1 of 20 allowed.',
      'Local time is now 13:35. Server port: 21.',
      'This is a private system - No anonymous login',
      'IPv6 connections are also welcome on this server.',
      'You will be disconnected after 15 minutes of inactivity.',
    ]);
  });

  it('Pure-FTPd and IIS banners in GB2312/GBK keep their bytes in rawLines', () => {
    for (const t of [transcriptOf('pure-ftpd', 2), transcriptOf('iis', 3)]) {
      const [reply] = parseChunks(chunksOf(t.bytes, 5));
      expect(reply?.rawLines).toEqual(t.replies[0]?.rawLines);
      expect(reply?.lines.some((line) => line.includes('\ufffd'))).toBe(true);
    }
  });

  it('IIS: 220 Microsoft FTP Service, and a FEAT list indented by four spaces (IIS 6)', () => {
    const replies = parseChunks([transcriptOf('iis').bytes]);
    expect(replies[0]?.lines).toEqual(['220 Microsoft FTP Service']);
    const [, iis6] = parseChunks([transcriptOf('iis', 1).bytes]);
    expect(iis6?.lines).toEqual(['211-FEAT', '    SIZE', '    MDTM', '211 END']);
  });

  it('FileZilla Server: "220-" greeting lines, FEAT', () => {
    const [greeting] = parseChunks([transcriptOf('filezilla-server').bytes]);
    expect(greeting?.text).toBe(
      'FileZilla Server 0.9.60 beta\nwritten by Tim Kosse (tim.kosse@filezilla-project.org)\nPlease visit https://filezilla-project.org/',
    );
  });

  it('RFC 959 §4.2 example: the padded middle line does not close the reply', () => {
    const [reply] = parseChunks([transcriptOf('rfc959').bytes]);
    expect(reply?.lines).toEqual([
      '123-First line',
      'Second line',
      '  234 A line beginning with numbers',
      '123 The last line',
    ]);
  });

  it('a whole session can be parsed again after the parser has been idle', () => {
    const parser = new ReplyParser();
    for (const t of serverTranscripts.slice(0, 3)) {
      expect(parser.push(t.bytes).length).toBe(t.replies.length);
      expect(parser.idle).toBe(true);
    }
    expect(parser.push(utf8('221 Goodbye.\r\n'))).toHaveLength(1);
  });
});
