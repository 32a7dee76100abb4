import {
  decodeExtendedAddress,
  encodeExtendedAddress,
  encodeHostPort,
  type HostPort,
} from '@ftpwire/address';
import { NatError } from './errors.js';
import { HOLD_NO, HOLD_UNDECIDED, HOLD_YES, LineRewriter } from './line-rewriter.js';
import type { ResolvedOptions, SkipReason } from './options.js';
import { AUTH, dataAfterAuth, OTHER, PASV, PASV_VIA_EPSV, type SessionState } from './state.js';
import { asciiArray, latin1, lineText, replacedText } from './text.js';
import { ipv4Text, readPortArgument, Tuple } from './tuple.js';

const SPACE = 0x20;
const CR = 0x0d;
const LF = 0x0a;
/** Setting this bit lower-cases an ASCII letter (and maps no other byte onto a letter). */
const CASE_BIT = 0x20;
const LOWER_P = 0x70;
const LOWER_E = 0x65;

/**
 * The first four bytes at `bytes[start]` with letters lower-cased, as one number (RFC 959
 * §5.3: verbs are case-insensitive). Only 'P' and 'p' fold to 'p', and so on, so comparing
 * with a verb's number compares letters exactly.
 */
function verbAt(bytes: Uint8Array, start: number): number {
  return (
    (((bytes[start]! | CASE_BIT) << 24) |
      ((bytes[start + 1]! | CASE_BIT) << 16) |
      ((bytes[start + 2]! | CASE_BIT) << 8) |
      (bytes[start + 3]! | CASE_BIT)) >>>
    0
  );
}

function verbNumber(verb: string): number {
  return (
    ((verb.charCodeAt(0) << 24) |
      (verb.charCodeAt(1) << 16) |
      (verb.charCodeAt(2) << 8) |
      verb.charCodeAt(3)) >>>
    0
  );
}

/** Lower-case letters of the verbs whose lines are held, with what may follow them. */
const PORT = 'port';
const EPRT = 'eprt';
const PASV_VERB = 'pasv';
const PORT_NUMBER = verbNumber(PORT);
const EPRT_NUMBER = verbNumber(EPRT);
const PASV_NUMBER = verbNumber(PASV_VERB);
const AUTH_NUMBER = verbNumber('auth');

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
  readonly #tuple = new Tuple();

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
    if (count >= 5) {
      // The common case: the whole verb and what follows it are here.
      const verb = verbAt(bytes, start);
      const separator = bytes[start + 4];
      if (verb === PORT_NUMBER || verb === EPRT_NUMBER) {
        return separator === SPACE ? HOLD_YES : HOLD_NO;
      }
      if (verb === PASV_NUMBER && this.#options.pasvViaEpsv) {
        return separator === SPACE || separator === CR || separator === LF ? HOLD_YES : HOLD_NO;
      }
      return HOLD_NO;
    }
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
      if (verb === PASV_NUMBER) kind = this.#options.pasvViaEpsv ? PASV_VIA_EPSV : PASV;
      else if (verb === AUTH_NUMBER) kind = AUTH;
    }
    this.#state.enqueue(kind, offset);
    // Nothing may follow AUTH until its reply says whether TLS starts (RFC 4217 §4).
    if (kind === AUTH) this.stopped = true;
  }

  protected bypass(_chunk: Uint8Array, _from: number, offset: number): void {
    if (!this.#state.secure) throw dataAfterAuth('command', offset);
    this.#state.clientSpoke = true;
  }

  protected rewrite(
    bytes: Uint8Array,
    start: number,
    stop: number,
    _end: number,
    offset: number,
  ): boolean {
    const verb = verbAt(bytes, start);
    if (verb === PASV_NUMBER) {
      this.#replace(start, start + 4, asciiArray('EPSV'));
      this.#report(bytes, start, stop, offset);
      return true;
    }
    const isPort = verb === PORT_NUMBER;
    const name = isPort ? 'PORT' : 'EPRT';
    let original: HostPort;
    let delimiter = '';
    if (isPort) {
      // The common case read from the bytes, exactly as decodeHostPort reads it.
      const tuple = this.#tuple;
      if (!readPortArgument(bytes, start + 5, stop, tuple)) {
        this.#skip('unparsable', offset, bytes, start, stop);
        return false;
      }
      original = { host: ipv4Text(tuple.host), port: tuple.port };
    } else {
      const argument = latin1(bytes, start + 5, stop);
      try {
        original = decodeExtendedAddress(argument);
      } catch {
        // The server refuses it too (501, or 522 for a network protocol it lacks).
        this.#skip('unparsable', offset, bytes, start, stop);
        return false;
      }
      delimiter = argument[0]!;
    }
    if (original.port < 1024) {
      // RFC 2577 §3: a data connection to a privileged port is how FTP bounces reach other services.
      throw new NatError(
        'ERR_PORT_REFUSED',
        `${name} names port ${original.port}, below 1024`,
        offset,
      );
    }
    const mapped = this.#options.mapActive(original, offset);
    if (mapped === undefined) return false;
    if (typeof mapped === 'string') {
      if (mapped === 'foreign-host' && this.#options.refuseBounce) {
        throw new NatError(
          'ERR_BOUNCE_REFUSED',
          `${name} names ${original.host}, not the client's address (an FTP bounce, RFC 2577)`,
          offset,
        );
      }
      this.#skip(mapped, offset, bytes, start, stop);
      return false;
    }
    if (mapped.host === original.host && mapped.port === original.port) return false;
    let encoded: string;
    try {
      encoded = isPort ? encodeHostPort(mapped) : encodeExtended(mapped, delimiter);
    } catch {
      this.#skip('family-mismatch', offset, bytes, start, stop);
      return false;
    }
    this.#replace(start + 5, stop, asciiArray(encoded));
    this.#report(bytes, start, stop, offset, original, mapped);
    return true;
  }

  #replace(from: number, to: number, replacement: Uint8Array): void {
    this.replaceFrom = from;
    this.replaceTo = to;
    this.replacement = replacement;
  }

  #report(
    bytes: Uint8Array,
    start: number,
    stop: number,
    offset: number,
    original?: HostPort,
    rewritten?: HostPort,
  ): void {
    const onRewrite = this.#options.onRewrite;
    if (!onRewrite) return;
    const before = lineText(bytes, start, stop);
    const after = replacedText(
      bytes,
      start,
      stop,
      this.replaceFrom,
      this.replaceTo,
      this.replacement,
    );
    onRewrite(
      original && rewritten
        ? { direction: 'command', before, after, offset, original, rewritten }
        : { direction: 'command', before, after, offset },
    );
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
