/**
 * Differential test against CPython's ftplib (`parse257`, `parse150`), the client most scripts
 * use. python3 runs once for this file, reading a JSON batch of replies on stdin. ftplib gets a
 * reply as its `getresp` returns it (lines without CRLF, joined with LF); we get the wire text.
 *
 * Where both read a value, it must be the same. Every other difference must show one of the
 * listed reasons, and every listed reason must be met in the corpus. parse150 is matched
 * exactly: its only differences are sizes a JavaScript number cannot hold and lines that are
 * no reply. parse257 differs by design: ftplib answers "" or the rest of the line where the
 * quoted name RFC 959 Appendix II requires is missing, and we refuse.
 */
import { spawnSync } from 'node:child_process';
import { parsePathnameReply, parseTransferSize, ReplyError } from '@ftpwire/reply';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grammarText } from '../address/arbitraries.ts';
import { serverTranscripts } from '../fixtures/replies.ts';
import { pathnameReplies, transferSizeReplies } from '../fixtures/reply-meanings.ts';
import { allTranscripts } from '../fixtures/transcripts/transcripts.ts';

const PYTHON = `
import ftplib, json, sys
out = []
for kind, resp in json.load(sys.stdin):
    try:
        value = ftplib.parse257(resp) if kind == '257' else ftplib.parse150(resp)
        out.append({'ok': True, 'value': None if value is None else str(value)})
    except Exception as e:
        out.append({'ok': False, 'error': type(e).__name__})
json.dump(out, sys.stdout)
`;

interface FtplibResult {
  readonly ok: boolean;
  /** parse257's string, parse150's int as decimal text (it may pass 2^53), or null. */
  readonly value?: string | null;
  readonly error?: string;
}

/** Every real reply with `code` in the fixtures, as wire text without the final CRLF. */
function realReplies(code: string): string[] {
  const fromServers = serverTranscripts
    .flatMap((t) => t.replies)
    .filter((r) => String(r.code) === code)
    .map((r) => r.lines.join('\r\n'));
  const fromSessions = allTranscripts()
    .flatMap((t) => t.lines)
    .filter((l) => l.from === 'server' && l.text.startsWith(`${code} `))
    .map((l) => l.text);
  return [...fromServers, ...fromSessions];
}

const handWritten257 = [
  '257 "/a" is "/b"',
  '257 """" x',
  '257 """a""b"""',
  '257 "a""',
  '257 "/home',
  '257 ""',
  '257 "" is the current directory',
  '257 Current directory is "/home"',
  '257  "/home" (two spaces)',
  '257-"/home" is the current directory\r\n257 End',
  '2570 "/home"',
  '257',
  '257 "/a\u0000b"',
  '257 "/données"',
  '550 "/home": Permission denied.',
  '250 "/home"',
];
const handWritten150 = [
  '150 f (1 bytes) (2 bytes)',
  '150 f (1 bytes) (x bytes)',
  '150 f (7 BYTES)',
  '150 f (٧ bytes)',
  '150 f (7 byteſ)',
  '150 f (7 bytes)x',
  '150 (7 bytes)',
  '150  (7 bytes)',
  '150 f ( 7 bytes)',
  '150 f(7 bytes)',
  '150 f (007 bytes)',
  '150 f (9007199254740991 bytes)',
  '150 f (9007199254740992 bytes)',
  `150 f (${'9'.repeat(5000)} bytes)`,
  '150-f (7 bytes)\r\n150 f (8 bytes)',
  '1500 f (7 bytes)',
  '150',
  '125 Data connection already open; transfer starting (7 bytes).',
  '226 Transfer complete (7 bytes).',
];

const generated257 = fc.sample(
  fc.oneof(
    fc
      .tuple(
        fc.constantFrom('', '', '', '', ' ', 'MKD ', 'Directory '),
        fc.string({ unit: fc.constantFrom('a', '/', ' ', '""', 'é', '-'), maxLength: 12 }),
        fc.constantFrom('', ' is the current directory', ' created', '" x', ' "/other"'),
      )
      .map(([before, path, after]) => `257 ${before}"${path}"${after}`),
    grammarText(['"', '""', ' ', '/', 'a', 'é', '-', 'is', '\u0000', '257']).map(
      (text) => `257 ${text}`,
    ),
  ),
  { numRuns: 3000, seed: 0x257 },
);
const generated150 = fc.sample(
  fc.oneof(
    fc
      .tuple(fc.stringMatching(/^[A-Za-z .]{0,20}$/), fc.nat(), fc.constantFrom(')', ').', ')x'))
      .map(([before, size, after]) => `150 ${before} (${size} bytes${after}`),
    grammarText([
      ' (',
      '(',
      ')',
      '1',
      '12',
      '0',
      ' bytes)',
      ' BYTES)',
      ' bytes',
      'bytes)',
      ' ',
      'x',
    ]).map((text) => `150 ${text}`),
  ),
  { numRuns: 3000, seed: 0x150 },
);

/** Inputs without CR or LF, except the multi-line ones written on purpose. */
const clean = (text: string): boolean =>
  !/[\r\n]/.test(text) || /^\d{3}-[^\r\n]*\r\n\d{3} [^\r\n]*$/.test(text);

const corpus257 = [
  ...pathnameReplies.map((f) => f.reply),
  ...realReplies('257'),
  ...handWritten257,
  ...generated257,
].filter(clean);
const corpus150 = [
  ...transferSizeReplies.map((f) => f.reply),
  ...realReplies('150'),
  ...handWritten150,
  ...generated150,
].filter(clean);

function runFtplib(): { r257: FtplibResult[]; r150: FtplibResult[] } {
  // ftplib's getresp strips CRLF from each line and joins a multi-line reply with LF.
  const asFtplib = (text: string): string => text.replaceAll('\r\n', '\n');
  const batch = [
    ...corpus257.map((r) => ['257', asFtplib(r)]),
    ...corpus150.map((r) => ['150', asFtplib(r)]),
  ];
  const result = spawnSync('python3', ['-c', PYTHON], {
    input: JSON.stringify(batch),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  const all = JSON.parse(result.stdout) as FtplibResult[];
  return { r257: all.slice(0, corpus257.length), r150: all.slice(corpus257.length) };
}

const { r257, r150 } = runFtplib();

type Ours = { value: string | number | undefined } | { error: ReplyError };

function ours(parse: () => string | number | undefined): Ours {
  try {
    return { value: parse() };
  } catch (error) {
    if (error instanceof ReplyError) return { error };
    throw error;
  }
}

/** Why ftplib's parse257 and ours differ on `resp`; undefined if no listed reason applies. */
function why257(resp: string, theirs: string, we: Ours): string | undefined {
  const line = resp.split('\r\n')[0]!;
  if (line.length > 3 && line[3] !== ' ' && line[3] !== '-') return 'no space after the code';
  if ('value' in we) {
    if (line[3] === '-')
      return 'a multi-line 257: ftplib reads only "257 \\"", we read its first line';
    if (theirs === '' && line.slice(3, 5) !== ' "') {
      return 'text before the opening quote: ftplib returns "", we read the name, as curl does';
    }
    return undefined;
  }
  const code = we.error.code;
  if (code !== 'ERR_INVALID_PATHNAME_REPLY') return undefined;
  if (theirs === '' && line.slice(3, 5) !== ' "') {
    return 'no quoted name at all: ftplib returns "" (its BSD ftpd case), we refuse';
  }
  if (/[\r\0]/.test(theirs)) return 'CR or NUL in the name: ftplib passes it on, we refuse';
  if (theirs === '')
    return 'an empty name "": ftplib returns "", we refuse (RFC 959 <string> is 1 or more)';
  // ftplib's loop ends at the end of the text when no lone quote closes the name.
  if (line.slice(5).replaceAll('""', '').indexOf('"') < 0) {
    return 'no closing quote: ftplib returns the rest of the line, we refuse';
  }
  return undefined;
}

describe('differential against CPython ftplib', () => {
  it('ran ftplib over the whole corpus, with values and refusals on both sides', () => {
    expect(r257).toHaveLength(corpus257.length);
    expect(r150).toHaveLength(corpus150.length);
    expect(r257.filter((r) => r.ok && r.value !== '').length).toBeGreaterThan(500);
    expect(r150.filter((r) => r.ok && r.value !== null).length).toBeGreaterThan(500);
    expect(r150.filter((r) => r.ok && r.value === null).length).toBeGreaterThan(500);
    expect(realReplies('257').length).toBeGreaterThan(3);
    expect(realReplies('150').length).toBeGreaterThan(3);
  });

  it('parse257: the same path where both read one; a listed reason everywhere else', () => {
    const reasons = new Map<string, number>();
    corpus257.forEach((resp, i) => {
      const theirs = r257[i]!;
      const we = ours(() => parsePathnameReply(resp));
      if (!theirs.ok) {
        // ftplib refuses only another code; so do we.
        expect('error' in we, resp).toBe(true);
        return;
      }
      if ('value' in we && we.value === theirs.value) return;
      const reason = why257(resp, theirs.value!, we);
      expect(
        reason,
        `unexplained: ftplib reads ${JSON.stringify(theirs.value)} from ${JSON.stringify(resp)}, we ${'error' in we ? we.error.message : JSON.stringify(we.value)}`,
      ).toBeDefined();
      reasons.set(reason!, (reasons.get(reason!) ?? 0) + 1);
    });
    expect([...reasons.keys()].sort()).toEqual(
      [
        'no space after the code',
        'a multi-line 257: ftplib reads only "257 \\"", we read its first line',
        'text before the opening quote: ftplib returns "", we read the name, as curl does',
        'no quoted name at all: ftplib returns "" (its BSD ftpd case), we refuse',
        'CR or NUL in the name: ftplib passes it on, we refuse',
        'an empty name "": ftplib returns "", we refuse (RFC 959 <string> is 1 or more)',
        'no closing quote: ftplib returns the rest of the line, we refuse',
      ].sort(),
    );
  });

  it('parse150: the same size or none everywhere, but for sizes past 2^53 and lines that are no reply', () => {
    const reasons = new Map<string, number>();
    const count = (reason: string): void => {
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    };
    corpus150.forEach((resp, i) => {
      const theirs = r150[i]!;
      const we = ours(() => parseTransferSize(resp));
      if ('value' in we) {
        expect(theirs, resp).toEqual({
          ok: true,
          value: we.value === undefined ? null : String(we.value),
        });
        return;
      }
      if (!theirs.ok && theirs.error === 'error_reply') {
        expect(we.error.code, resp).toBe('ERR_UNEXPECTED_REPLY_CODE');
        return;
      }
      if (we.error.code === 'ERR_SIZE_TOO_LARGE') {
        // ftplib returns the int, or int() refuses past 4300 digits (CPython 3.11).
        expect(
          theirs.ok
            ? BigInt(theirs.value!) > BigInt(Number.MAX_SAFE_INTEGER)
            : theirs.error === 'ValueError',
          resp,
        ).toBe(true);
        count(
          'a size past Number.MAX_SAFE_INTEGER: ftplib returns the int, we refuse a rounded number',
        );
        return;
      }
      expect([we.error.code, theirs], resp).toEqual([
        'ERR_MALFORMED_REPLY',
        { ok: true, value: null },
      ]);
      count('no space or hyphen after the code: not a reply line, ftplib returns None');
    });
    expect([...reasons.keys()].sort()).toEqual(
      [
        'a size past Number.MAX_SAFE_INTEGER: ftplib returns the int, we refuse a rounded number',
        'no space or hyphen after the code: not a reply line, ftplib returns None',
      ].sort(),
    );
  });
});
