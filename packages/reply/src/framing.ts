const ZERO = 0x30;
const SPACE = 0x20;
const HYPHEN = 0x2d;
/** `ReplyFraming.line`'s answer for a line at a reply start that begins no reply. */
const MALFORMED = -1;
/** `ReplyFraming.line`'s answer for a line that opens or continues a multi-line reply. */
const CONTINUED = 0;

/**
 * Options of {@link ReplyFraming}.
 *
 * @example
 * ```ts
 * import { ReplyFraming, type ReplyFramingOptions } from '@ftpwire/reply';
 *
 * const options: ReplyFramingOptions = { lenientClose: true };
 * new ReplyFraming(options).lenientClose; // => true
 * ```
 */
export interface ReplyFramingOptions {
  /**
   * Also close an open multi-line reply at a line that starts with another reply code and a
   * space, as curl and Apache commons-net do, for servers such as glFTPd that open with
   * `553-` and close with `150 `; the reply then takes the closing line's code. Default false:
   * RFC 959 §4.2 closes only at the opening code, and a middle line may begin with any other.
   */
  readonly lenientClose?: boolean;
}

/**
 * RFC 959 §4.2 reply framing, the one place in ftpwire that decides where a reply starts and
 * ends: `ReplyParser` and `@ftpwire/nat` both stand on it. A line `ddd text` (or `ddd` alone)
 * is a whole reply; `ddd-text` opens a multi-line reply, which only a line starting with the
 * same code and a space (or that code alone) closes; the lines between may hold anything.
 * Codes run 100-699 (6yz from RFC 2228).
 *
 * It is fed each line's first four units and its length, so it reads bytes and a string's
 * char codes alike without a view, a slice or a string per line: `line` returns the code of
 * the reply the line ends, 0 when the line opens or continues a multi-line reply, or -1 when
 * a line at a reply start begins no reply (a parser's error, a NAT's line to pass over). Units
 * at and past `length` are not read, so a caller may pass whatever lies there.
 *
 * @example
 * ```ts
 * import { ReplyFraming } from '@ftpwire/reply';
 *
 * const framing = new ReplyFraming();
 * const feed = (line: string) =>
 *   framing.line(line.charCodeAt(0), line.charCodeAt(1), line.charCodeAt(2), line.charCodeAt(3), line.length);
 * [feed('211-Features:'), feed(' SIZE'), feed('200 not the close'), feed('211 End')];
 * // => [0, 0, 0, 211]
 * framing.open; // => 0
 * const bytes = new TextEncoder().encode('150 Opening data connection.');
 * framing.line(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!, bytes.length); // => 150
 * feed('HTTP/1.1 400'); // => -1
 * ```
 */
export class ReplyFraming {
  /** The code of the open multi-line reply, or 0 between replies. */
  open = 0;
  /** Whether another code and a space close a multi-line reply (see `ReplyFramingOptions`). */
  readonly lenientClose: boolean;

  /** Starts between replies; `options.lenientClose` defaults to false (RFC 959 exactly). */
  constructor(options: ReplyFramingOptions = {}) {
    this.lenientClose = options.lenientClose ?? false;
  }

  /**
   * Reads one line (without its terminator) from its first units `u0`-`u3` and its length;
   * returns the code of the reply it ends, 0 when it opens or continues a multi-line reply, or
   * -1 when it stands at a reply start and is no reply line.
   */
  line(u0: number, u1: number, u2: number, u3: number, length: number): number {
    const d1 = u0 - ZERO;
    const d2 = u1 - ZERO;
    const d3 = u2 - ZERO;
    const code =
      length >= 3 && d1 >= 1 && d1 <= 6 && d2 >= 0 && d2 <= 9 && d3 >= 0 && d3 <= 9
        ? d1 * 100 + d2 * 10 + d3
        : MALFORMED;
    // A code alone reads as "ddd ".
    const separator = length === 3 ? SPACE : u3;
    const open = this.open;
    if (open === 0) {
      if (code < 0) return MALFORMED;
      if (separator === SPACE) return code;
      if (separator !== HYPHEN) return MALFORMED;
      this.open = code;
      return CONTINUED;
    }
    // RFC 959 §4.2: only the opening code followed by a space (or nothing) closes the reply.
    // Leniently also another code and a space (curl's LASTLINE, commons-net's lenientCheck),
    // never another code alone, which neither of them takes as a last line.
    if (separator !== SPACE) return CONTINUED;
    if (code !== open && (!this.lenientClose || code < 0 || length === 3)) return CONTINUED;
    this.open = 0;
    return code;
  }

  /** Forgets an open reply: the next line starts a reply. */
  reset(): void {
    this.open = 0;
  }
}
