import type { Reply } from '@ftpwire/reply';
import { crlfLines, LOCAL } from './replies.js';

/** RFC 4217 §9 levels the proxy offers: C (clear) and P (private). */
export type ProtectionLevel = 'C' | 'P';

/** RFC 2228 §3: PBSZ's argument is a decimal 32-bit integer; longer text cannot be one. */
const MAX_PBSZ_DIGITS = 10;

/**
 * PBSZ on the client's leg, answered by the proxy (`upstreamTls` on or off). RFC 4217 §9: TLS
 * needs no buffer size, so the answer is `PBSZ=0` whatever was asked; RFC 2228 §3: PBSZ before a
 * completed security exchange is a bad sequence (503).
 */
export function answerPbsz(secure: boolean, argument: string): Uint8Array {
  if (!secure) return LOCAL.securityFirst;
  const size = argument.trim();
  if (size.length === 0 || size.length > MAX_PBSZ_DIGITS) return LOCAL.pbszArgument;
  for (let i = 0; i < size.length; i++) {
    const c = size.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return LOCAL.pbszArgument;
  }
  return LOCAL.pbsz;
}

/**
 * PROT on the client's leg, answered by the proxy: the level its data connections get from now
 * on, or none when refused. Like vsftpd, PROT needs AUTH first but not PBSZ; S and E (RFC 2228)
 * have no meaning with TLS (536), anything else is no level at all (504).
 */
export function answerProt(
  secure: boolean,
  argument: string,
): { readonly reply: Uint8Array; readonly level?: ProtectionLevel } {
  if (!secure) return { reply: LOCAL.securityFirst };
  switch (argument.trim().toUpperCase()) {
    case 'C':
      return { reply: LOCAL.protClear, level: 'C' };
    case 'P':
      return { reply: LOCAL.protPrivate, level: 'P' };
    case 'S':
    case 'E':
      return { reply: LOCAL.protLevel };
    default:
      return { reply: LOCAL.protUnknown };
  }
}

/** The features the proxy has itself once it answers AUTH, PBSZ and PROT (RFC 4217 §6). */
const OWN_FEATURES = [' AUTH TLS', ' PBSZ', ' PROT'].map((line) =>
  Uint8Array.from(line, (c) => c.charCodeAt(0)),
);
const FEATURES_OPEN = Uint8Array.from('211-Features:', (c) => c.charCodeAt(0));
const FEATURES_CLOSE = Uint8Array.from('211 End', (c) => c.charCodeAt(0));

/**
 * The server's reply to FEAT as the client gets it when the proxy answers AUTH, PBSZ and PROT
 * itself: the server's own lines for them are dropped (they describe the server's leg, which
 * the client never reaches: with `on`, vsftpd lists AUTH TLS to a proxy that may have no
 * certificate and answer 502), and the proxy's are listed when it has one (RFC 4217 §6, RFC 2389:
 * FEAT says what the client may use). Every other line passes byte for byte. `reply` is a 211 (a server without FEAT answers otherwise, and that answer
 * is screened like any other).
 */
export function clientFeatures(reply: Reply, tls: boolean): Uint8Array {
  const lines = reply.rawLines;
  // RFC 2389 §3.2: `211 <text>` alone lists no feature.
  const middle = lines.length > 1 ? lines.slice(1, -1) : [];
  const kept = middle.filter((line) => !isSecurityFeature(line));
  if (!tls && kept.length === middle.length) return crlfLines(lines);
  const own = tls ? OWN_FEATURES : [];
  // RFC 2389 §3.2: nothing left to list is the single-line form, its closing line alone.
  if (kept.length + own.length === 0) return crlfLines([lines.at(-1)!]);
  const first = lines.length > 1 ? lines[0]! : FEATURES_OPEN;
  const last = lines.length > 1 ? lines.at(-1)! : FEATURES_CLOSE;
  return crlfLines([first, ...kept, ...own, last]);
}

const SPACE = 0x20;
const TAB = 0x09;

/** Whether a FEAT line names AUTH, PBSZ or PROT: ` <name>[ <parameters>]`, any indentation. */
function isSecurityFeature(line: Uint8Array): boolean {
  let at = 0;
  while (at < line.length && (line[at] === SPACE || line[at] === TAB)) at++;
  let end = at;
  while (end < line.length && line[end] !== SPACE && line[end] !== TAB) end++;
  if (end - at !== 4) return false;
  // ASCII upper case by clearing bit 5 of letters: names are case-insensitive (RFC 2389 §3.2).
  const name = String.fromCharCode(...Array.from(line.subarray(at, end), (byte) => byte & 0xdf));
  return name === 'AUTH' || name === 'PBSZ' || name === 'PROT';
}
