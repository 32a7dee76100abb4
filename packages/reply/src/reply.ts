const encoder = new TextEncoder();

/**
 * One complete server reply, single-line or multi-line (RFC 959 §4.2), as the parsers
 * deliver it. `code` and `lines` are read eagerly; `text` and `rawLines` are derived on
 * first use, so a client that only looks at codes pays for nothing else.
 *
 * @example
 * ```ts
 * import { parseReply, type Reply } from '@ftpwire/reply';
 *
 * // The features a FEAT reply lists (RFC 2389 §3.2): its middle lines.
 * function features(reply: Reply): string[] {
 *   return reply.lines.slice(1, -1).map((line) => line.trim().split(' ')[0]!.toUpperCase());
 * }
 * const reply = parseReply('211-Features:\r\n EPSV\r\n REST STREAM\r\n UTF8\r\n211 End\r\n');
 * features(reply); // => ['EPSV', 'REST', 'UTF8']
 * new TextDecoder().decode(reply.rawLines[2]); // => ' REST STREAM'
 * reply.offset; // => 0
 * ```
 */
export interface Reply {
  /** The three-digit reply code. */
  readonly code: number;
  /**
   * The wire lines without CRLF, first and last included (`"211-Features:"`, `" SIZE"`,
   * `"211 End"`), decoded as UTF-8 (RFC 2640); bytes that are not UTF-8 become U+FFFD here
   * and stay intact in `rawLines`.
   */
  readonly lines: string[];
  /**
   * The message without code prefixes, lines joined with `"\n"`: the opening `ddd-`/`ddd `
   * and closing `ddd ` are removed, and so is a `ddd-` that repeats the opening code on a
   * middle line.
   */
  readonly text: string;
  /** The bytes of each line exactly as received, without CRLF. */
  readonly rawLines: readonly Uint8Array[];
  /** Offset in the stream of the reply's first byte. */
  readonly offset: number;
}

/**
 * A reply whose text is derived on demand: parsing pays only for `code` and `lines`.
 * `rawLines` is re-encoded from `lines` unless a line was not valid UTF-8, in which case
 * its received bytes were kept.
 */
export class ParsedReply implements Reply {
  readonly code: number;
  readonly lines: string[];
  readonly offset: number;
  readonly #undecodable: ReadonlyMap<number, Uint8Array> | undefined;
  #text: string | undefined;
  #rawLines: readonly Uint8Array[] | undefined;

  constructor(
    code: number,
    lines: string[],
    offset: number,
    undecodable?: ReadonlyMap<number, Uint8Array>,
  ) {
    this.code = code;
    this.lines = lines;
    this.offset = offset;
    this.#undecodable = undecodable;
  }

  get text(): string {
    this.#text ??= messageText(this.lines);
    return this.#text;
  }

  get rawLines(): readonly Uint8Array[] {
    this.#rawLines ??= this.lines.map(
      (line, index) => this.#undecodable?.get(index) ?? encoder.encode(line),
    );
    return this.#rawLines;
  }

  toJSON(): { code: number; lines: string[] } {
    return { code: this.code, lines: this.lines };
  }
}

function messageText(lines: readonly string[]): string {
  const last = lines.length - 1;
  // The opening line's "ddd-": the reply's code, unless `lenientClose` let another code close it.
  const continued = lines[0]!.slice(0, 4);
  return lines
    .map((line, index) =>
      index === 0 || index === last || line.startsWith(continued) ? line.slice(4) : line,
    )
    .join('\n');
}
