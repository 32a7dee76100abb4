import {
  decodeExtendedAddress,
  decodeHostPort,
  encodeExtendedAddress,
  encodeHostPort,
  type HostPort,
} from '@ftpwire/address';
import { NatError } from './errors.js';
import { HOLD_NO, HOLD_UNDECIDED, HOLD_YES, LineRewriter } from './line-rewriter.js';
import type { ResolvedOptions, SkipReason } from './options.js';
import {
  AUTH,
  dataAfterAuth,
  type Emit,
  OTHER,
  PASV,
  PASV_VIA_EPSV,
  type SessionState,
} from './state.js';
import { contentEnd, latin1, lineText, splice } from './text.js';

const SPACE = 0x20;
const CR = 0x0d;
const LF = 0x0a;
/** Setting this bit lower-cases an ASCII letter (and maps no other byte onto a letter). */
const CASE_BIT = 0x20;
const LOWER_P = 0x70;
const LOWER_E = 0x65;

/** The verb of the line at `bytes[start]` as four lower-case letters, or '' (RFC 959 §5.3: verbs are case-insensitive). */
function verbAt(bytes: Uint8Array, start: number): string {
  let verb = '';
  for (let k = 0; k < 4; k++) {
    const folded = bytes[start + k]! | CASE_BIT;
    if (folded < 0x61 || folded > 0x7a) return '';
    verb += String.fromCharCode(folded);
  }
  return verb;
}

/** Lower-case letters of the verbs whose lines are held, with what may follow them. */
const PORT = 'port';
const EPRT = 'eprt';
const PASV_VERB = 'pasv';

/**
 * Whether the folded bytes `bytes[start, start + count)` can still begin `verb` followed by
 * an allowed separator: 1 yes (whole), 0 no, 2 not yet known.
 */
function matchVerb(
  bytes: Uint8Array,
  start: number,
  count: number,
  verb: string,
  bare: boolean,
): number {
  const known = Math.min(count, 4);
  for (let k = 0; k < known; k++) {
    if ((bytes[start + k]! | CASE_BIT) !== verb.charCodeAt(k)) return HOLD_NO;
  }
  if (count < 5) return HOLD_UNDECIDED;
  const separator = bytes[start + 4];
  // PORT and EPRT need an argument; PASV has none (RFC 959 §4.1.2).
  return separator === SPACE || (bare && (separator === CR || separator === LF))
    ? HOLD_YES
    : HOLD_NO;
}

/**
 * The client-to-server core. Registers every command line with the shared session state
 * (what replies will answer), holds PORT and EPRT lines to check and rewrite them (and PASV
 * lines with `pasvViaEpsv`), and passes every other byte at once.
 */
export class CommandCore extends LineRewriter {
  readonly #state: SessionState;
  readonly #options: ResolvedOptions;

  constructor(state: SessionState) {
    super(state.options.maxLineLength);
    this.#state = state;
    this.#options = state.options;
    this.watching = true;
  }

  protected prepare(): void {
    this.stopped = this.#state.secure || this.#state.authPending > 0;
  }

  protected decide(bytes: Uint8Array, start: number, count: number): number {
    const first = bytes[start]! | CASE_BIT;
    if (first === LOWER_E) return matchVerb(bytes, start, count, EPRT, false);
    if (first !== LOWER_P) return HOLD_NO;
    const port = matchVerb(bytes, start, count, PORT, false);
    if (port !== HOLD_NO || !this.#options.pasvViaEpsv) return port;
    return matchVerb(bytes, start, count, PASV_VERB, true);
  }

  protected lineEnd(bytes: Uint8Array, start: number, length: number, offset: number): void {
    let kind = OTHER;
    if (length >= 4 && (length === 4 || bytes[start + 4] === SPACE)) {
      const verb = verbAt(bytes, start);
      if (verb === PASV_VERB) kind = this.#options.pasvViaEpsv ? PASV_VIA_EPSV : PASV;
      else if (verb === 'auth') kind = AUTH;
    }
    this.#state.enqueue(kind, offset);
    // Nothing may follow AUTH until its reply says whether TLS starts (RFC 4217 §4).
    if (kind === AUTH) this.stopped = true;
  }

  protected bypass(
    chunk: Uint8Array,
    from: number,
    offset: number,
    _immediate: boolean,
    emit: Emit,
  ): void {
    if (from >= chunk.length) return;
    if (!this.#state.secure) throw dataAfterAuth('command', offset);
    this.#state.clientSpoke = true;
    emit(from === 0 ? chunk : chunk.subarray(from));
  }

  protected rewrite(
    bytes: Uint8Array,
    start: number,
    end: number,
    offset: number,
  ): Uint8Array | null {
    const stop = contentEnd(bytes, start, end);
    const verb = verbAt(bytes, start);
    if (verb === PASV_VERB) {
      const out = splice(bytes, start, start, start + 4, end, 'EPSV');
      this.#options.onRewrite?.({
        direction: 'command',
        before: lineText(bytes, start, stop),
        after: lineText(out, 0, contentEnd(out, 0, out.length)),
        offset,
      });
      return out;
    }
    const argument = latin1(bytes, start + 5, stop);
    let original: HostPort;
    let delimiter = '';
    try {
      if (verb === PORT) {
        original = decodeHostPort(argument);
      } else {
        original = decodeExtendedAddress(argument);
        delimiter = argument[0]!;
      }
    } catch {
      // The server refuses it too (501, or 522 for an EPRT family it lacks).
      this.#skip('unparsable', offset, bytes, start, stop);
      return null;
    }
    if (original.port < 1024) {
      // RFC 2577 §3: a data connection to a privileged port is how FTP bounces reach other services.
      throw new NatError(
        'ERR_PORT_REFUSED',
        `${verb.toUpperCase()} names port ${original.port}, below 1024`,
        offset,
      );
    }
    const mapped = this.#options.mapActive(original, offset);
    if (mapped === undefined) return null;
    if (typeof mapped === 'string') {
      if (mapped === 'foreign-host' && this.#options.refuseBounce) {
        throw new NatError(
          'ERR_BOUNCE_REFUSED',
          `${verb.toUpperCase()} names ${original.host}, not the client's address (an FTP bounce, RFC 2577)`,
          offset,
        );
      }
      this.#skip(mapped, offset, bytes, start, stop);
      return null;
    }
    if (mapped.host === original.host && mapped.port === original.port) return null;
    let encoded: string;
    try {
      encoded = verb === PORT ? encodeHostPort(mapped) : encodeExtended(mapped, delimiter);
    } catch {
      this.#skip('family-mismatch', offset, bytes, start, stop);
      return null;
    }
    const out = splice(bytes, start, start + 5, stop, end, encoded);
    this.#options.onRewrite?.({
      direction: 'command',
      before: lineText(bytes, start, stop),
      after: lineText(out, 0, contentEnd(out, 0, out.length)),
      offset,
      original,
      rewritten: mapped,
    });
    return out;
  }

  #skip(reason: SkipReason, offset: number, bytes: Uint8Array, start: number, stop: number): void {
    this.#options.onSkip?.({
      direction: 'command',
      reason,
      offset,
      line: lineText(bytes, start, stop),
    });
  }
}

/** EPRT keeps the client's delimiter unless the new address cannot use it (RFC 2428 §2). */
function encodeExtended(hp: HostPort, delimiter: string): string {
  try {
    return encodeExtendedAddress(hp, delimiter);
  } catch {
    return encodeExtendedAddress(hp);
  }
}
