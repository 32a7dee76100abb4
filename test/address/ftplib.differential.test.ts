/**
 * Differential test against CPython's ftplib (`parse227`, `parse229`), the client most
 * scripts use. python3 runs once for this file, reading a JSON batch of replies on stdin.
 *
 * Where ftplib accepts a reply and so do we, host and port must agree. Where ftplib accepts
 * and we refuse, the reply must show one of the listed reasons: each is a value ftplib
 * passes on or masks (a byte over 255, a port past 65535, a dropped sign, an ignored seventh
 * number, an octal-looking host byte) or a form RFC 959/2428 does not allow.
 */
import { spawnSync } from 'node:child_process';
import { parseEpsvReply, parsePasvReply } from '@ftpwire/address';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epsvReplies, pasvReplies } from '../fixtures/address/passive-replies.js';
import { grammarText, ipv4, port } from './arbitraries.js';
import { addressErrorOf } from './helpers.js';

const PYTHON = `
import ftplib, json, sys
out = []
for kind, resp in json.load(sys.stdin):
    try:
        if kind == '227':
            host, port = ftplib.parse227(resp)
            out.append({'ok': True, 'host': host, 'port': port})
        else:
            host, port = ftplib.parse229(resp, ('control-peer', 0))
            out.append({'ok': True, 'port': port})
    except Exception as e:
        out.append({'ok': False, 'error': type(e).__name__})
json.dump(out, sys.stdout)
`;

interface FtplibResult {
  readonly ok: boolean;
  readonly host?: string;
  readonly port?: number;
  readonly error?: string;
}

const handWritten227 = [
  '227 Entering Passive Mode (10,0,1,121,15,6,7)',
  '227 Entering Passive Mode (10,0,1,121,15,6,)',
  '227 Entering Passive Mode (300,0,1,121,15,6)',
  '227 Entering Passive Mode (10,0,1,121,256,6)',
  '227 Entering Passive Mode (10,0,1,121,0,1000)',
  '227 Entering Passive Mode (10,0,1,121,999,999)',
  '227 Entering Passive Mode (10,0,1,121,0,0)',
  '227 Entering Passive Mode (10,0,1,121,00,000).',
  '227 Entering Passive Mode (-10,0,1,121,15,6)',
  '227 Entering Passive Mode (,10,0,1,121,15,6)',
  '227 Entering Passive Mode (010,0,0,1,15,6)',
  '227 Entering Passive Mode (10,0,0,1,04,01)',
  '227 Mode 2,0 (10,0,1,121,15,6)',
  '227Entering Passive Mode (10,0,1,121,15,6)',
  '227 Entering Passive Mode (10,0,1,121,15)',
  '227 Entering Passive Mode',
  '500 Entering Passive Mode (10,0,1,121,15,6)',
];
const handWritten229 = [
  '229 Entering Extended Passive Mode (|||65536|)',
  '229 Entering Extended Passive Mode (|||-1|)',
  '229 Entering Extended Passive Mode (|||0|)',
  '229 Entering Extended Passive Mode (|||000|)',
  '229 Entering Extended Passive Mode (||| 6446 |)',
  '229 Entering Extended Passive Mode (|||+6446|)',
  '229 Entering Extended Passive Mode (|||6_446|)',
  '229 Entering Extended Passive Mode (|2|::1|6446|)',
  '229 Entering Extended Passive Mode (1116446111)',
  '229 Entering Extended Passive Mode (   6446 )',
  '229 Entering (EPSV) Extended Passive Mode (|||6446|)',
  '229 Entering Extended Passive Mode (|1|2|3|) (|||6446|)',
  '229 Entering Extended Passive Mode ()))6446))',
  '229Entering Extended Passive Mode (|||6446|)',
  '229 Entering Extended Passive Mode (|||6446|',
  '229 Entering Extended Passive Mode |||6446|',
];

const tuple = fc
  .tuple(ipv4, port)
  .map(([host, p]) => `${host.replaceAll('.', ',')},${p >>> 8},${p & 255}`);
const generated227 = fc.sample(
  fc.oneof(
    fc
      .tuple(fc.stringMatching(/^[A-Za-z (=.]{0,20}$/), tuple, fc.stringMatching(/^[ ).]{0,3}$/))
      .map(([before, t, after]) => `227 ${before}${t}${after}`),
    grammarText([
      '0',
      '1',
      '25',
      '255',
      '256',
      '300',
      '010',
      ',',
      '-',
      '(',
      ')',
      ' ',
      '=',
      '1,2,3,4,',
      '5,6',
      ',7',
    ]).map((text) => `227 ${text}`),
  ),
  { numRuns: 3000, seed: 0x227 },
);
const generated229 = fc.sample(
  fc.oneof(
    fc
      .tuple(fc.constantFrom('|', '!', '#', '$', '(', ')', '1', ' '), port)
      .map(([d, p]) => `229 Entering Extended Passive Mode (${d}${d}${d}${p}${d})`),
    grammarText([
      '(',
      ')',
      '|',
      '!',
      '|||',
      '6446',
      '0',
      '65536',
      '-',
      ' ',
      '+',
      '_',
      '|2|',
      '::1',
      'a',
    ]).map((text) => `229 ${text}`),
  ),
  { numRuns: 3000, seed: 0x229 },
);

const corpus227 = [...pasvReplies.map((f) => f.reply), ...handWritten227, ...generated227];
const corpus229 = [...epsvReplies.map((f) => f.reply), ...handWritten229, ...generated229];

function runFtplib(): { r227: FtplibResult[]; r229: FtplibResult[] } {
  const batch = [...corpus227.map((r) => ['227', r]), ...corpus229.map((r) => ['229', r])];
  const result = spawnSync('python3', ['-c', PYTHON], {
    input: JSON.stringify(batch),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  const all = JSON.parse(result.stdout) as FtplibResult[];
  return { r227: all.slice(0, corpus227.length), r229: all.slice(corpus227.length) };
}

const { r227, r229 } = runFtplib();

/** Why ftplib accepts a 227 reply we refuse; undefined if no listed reason applies. */
function why227(resp: string): string | undefined {
  // ftplib's own pattern (re.ASCII): the first six comma-separated digit runs anywhere.
  const match = /(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/.exec(resp);
  if (match === null) return undefined;
  const at = match.index;
  const fields = match.slice(1, 7);
  const numbers = fields.map(Number);
  const after = resp[at + match[0].length];
  const first = /\d+,/.exec(resp.slice(3));
  if (resp.length > 3 && !' -\r\n'.includes(resp[3]!)) return 'no space after the code';
  if (first !== null && 3 + first.index < at) {
    return 'an earlier number followed by a comma: RFC 1123 reads from the first one, ftplib skips it';
  }
  if (resp[at - 1] === '-') return 'a negative first number: ftplib drops the sign';
  if (resp[at - 1] === ',')
    return 'a missing number before the first: ftplib skips the empty field';
  if (numbers.slice(0, 4).some((n) => n > 255)) return 'a host byte over 255: ftplib passes it on';
  if (fields.slice(0, 4).some((f) => f.length > 1 && f.startsWith('0'))) {
    return 'a host byte with a leading zero: octal to the inet_aton ftplib hands it to';
  }
  if (numbers[4]! > 255 || numbers[5]! > 255) {
    return 'a port byte over 255: ftplib computes (p1 << 8) + p2 anyway, an aliased port';
  }
  if (after === ',') return 'a seventh number or a trailing comma: ftplib ignores it';
  if (numbers[4] === 0 && numbers[5] === 0) return 'port 0: ftplib passes it on';
  return undefined;
}

/** Why ftplib accepts a 229 reply we refuse, or reads another port; undefined if none applies. */
function why229(resp: string, ftplibPort: number): string | undefined {
  if (resp.length > 3 && !' -\r\n'.includes(resp[3]!)) return 'no space after the code';
  const left = resp.indexOf('(');
  const right = resp.indexOf(')', left + 1);
  const d = resp[left + 1]!;
  const parts = resp.slice(left + 1, right).split(d);
  const unit = d.charCodeAt(0);
  if (unit < 33 || unit > 126) return 'a delimiter outside ASCII 33-126';
  if (/\d/.test(d)) return 'a digit as delimiter: the port cannot be told from it';
  if (parts[1] !== '' || parts[2] !== '') {
    return 'protocol or address fields that RFC 2428 leaves empty in a 229 reply';
  }
  if (!/^\d+$/.test(parts[3]!))
    return 'a port int() accepts but that is not plain decimal (sign, spaces, "_")';
  if (ftplibPort > 65535) return 'a port over 65535: ftplib passes it on';
  if (ftplibPort === 0) return 'port 0: ftplib passes it on';
  return undefined;
}

describe('differential against CPython ftplib', () => {
  it('ran ftplib over the whole corpus, with accepted and refused replies on both sides', () => {
    expect(r227).toHaveLength(corpus227.length);
    expect(r229).toHaveLength(corpus229.length);
    expect(r227.filter((r) => r.ok).length).toBeGreaterThan(500);
    expect(r227.filter((r) => !r.ok).length).toBeGreaterThan(100);
    expect(r229.filter((r) => r.ok).length).toBeGreaterThan(500);
  });

  it('parse227: same host and port where both accept; a listed reason where only ftplib does', () => {
    const reasons = new Map<string, number>();
    corpus227.forEach((resp, i) => {
      const theirs = r227[i]!;
      const error = addressErrorOf(() => parsePasvReply(resp));
      if (!theirs.ok) {
        // Our language is a subset of ftplib's: we never accept what it refuses.
        expect(error, resp).toBeDefined();
        return;
      }
      if (error === undefined) {
        expect(parsePasvReply(resp), resp).toEqual({ host: theirs.host, port: theirs.port });
        return;
      }
      const reason = why227(resp);
      expect(
        reason,
        `unexplained: ftplib accepts ${JSON.stringify(resp)}, we say ${error.message}`,
      ).toBeDefined();
      reasons.set(reason!, (reasons.get(reason!) ?? 0) + 1);
    });
    // Every listed reason is real: each was met in the corpus.
    expect([...reasons.keys()].sort()).toEqual(
      [
        'no space after the code',
        'an earlier number followed by a comma: RFC 1123 reads from the first one, ftplib skips it',
        'a negative first number: ftplib drops the sign',
        'a missing number before the first: ftplib skips the empty field',
        'a host byte over 255: ftplib passes it on',
        'a host byte with a leading zero: octal to the inet_aton ftplib hands it to',
        'a port byte over 255: ftplib computes (p1 << 8) + p2 anyway, an aliased port',
        'a seventh number or a trailing comma: ftplib ignores it',
        'port 0: ftplib passes it on',
      ].sort(),
    );
  });

  it('parse229: same port where both accept; a listed reason where only ftplib does, or reads another group', () => {
    const reasons = new Map<string, number>();
    const count = (reason: string): void => {
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    };
    corpus229.forEach((resp, i) => {
      const theirs = r229[i]!;
      const error = addressErrorOf(() => parseEpsvReply(resp));
      const ours = error === undefined ? parseEpsvReply(resp) : undefined;
      if (!theirs.ok) {
        if (ours !== undefined) {
          // ftplib reads only the first "(" and ends the field at the first ")" after it.
          const left = resp.indexOf('(');
          const opensPort = /^\(([!-/:-~])\1\1\d+\1\)/.test(resp.slice(left));
          expect(opensPort && !resp.slice(left).startsWith('())'), resp).toBe(false);
          count('ftplib refuses: the first "(" does not open the port, or ")" is the delimiter');
        }
        return;
      }
      if (ours === theirs.port) return;
      const reason = why229(resp, theirs.port!);
      expect(
        reason,
        `unexplained: ftplib reads ${theirs.port} from ${JSON.stringify(resp)}, we ${error?.message ?? ours}`,
      ).toBeDefined();
      count(reason!);
    });
    for (const reason of [
      'a port over 65535: ftplib passes it on',
      'port 0: ftplib passes it on',
      'protocol or address fields that RFC 2428 leaves empty in a 229 reply',
      'a port int() accepts but that is not plain decimal (sign, spaces, "_")',
      'a digit as delimiter: the port cannot be told from it',
      'ftplib refuses: the first "(" does not open the port, or ")" is the delimiter',
    ]) {
      expect(reasons.get(reason), reason).toBeGreaterThan(0);
    }
  });
});
