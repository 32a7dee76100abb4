import { LineError, type LineErrorCode, LineSplitter } from '@ftpwire/lines';
import type { ListDialect, ListEntry, MlsxEntry } from './entry.js';
import { ListingError } from './errors.js';
import { looksLikeFacts, readFacts } from './facts.js';
import { checkListOptions, readListLine } from './list-line.js';
import { utf8Length } from './text.js';

/**
 * What a listing holds: `mlsd` for the answer to MLSD (RFC 3659 facts), or the LIST format
 * of a {@link ListDialect}.
 *
 * @example
 * ```ts
 * import { ListingParser, type ListingFormat } from '@ftpwire/listing';
 *
 * const format: ListingFormat = 'mlsd'; // the command sent was MLSD
 * const parser = new ListingParser({ dialect: format });
 * parser.push(new TextEncoder().encode('type=file;size=3; a\r\n')).length; // => 1
 * parser.dialect; // => 'mlsd'
 * ```
 */
export type ListingFormat = 'mlsd' | ListDialect;

/**
 * Options of {@link ListingParser} and `ListingParserStream`. Every field is optional:
 * `new ListingParser()` detects the format, reads lines of up to 8192 bytes and returns
 * entries from `push`.
 *
 * @example
 * ```ts
 * import { ListingParser, type ListingParserOptions } from '@ftpwire/listing';
 *
 * const skipped: string[] = [];
 * const options: ListingParserOptions = {
 *   now: new Date('2026-11-27T12:00:00Z'),
 *   onSkippedLine: (line) => skipped.push(line),
 * };
 * const parser = new ListingParser(options);
 * const listing = 'total 8\r\n-rw-r--r-- 1 0 0 12 Nov 27 09:12 notes.txt\r\n';
 * parser.push(new TextEncoder().encode(listing)).map((entry) => entry.name); // => ['notes.txt']
 * skipped; // => ['total 8']
 * ```
 */
export interface ListingParserOptions {
  /**
   * The listing's format. Default: detected once per listing, from the first line that is an
   * entry (MLSD facts, EPLF, DOS, then Unix), then held for every later line. Give `'mlsd'`
   * after MLSD: a listing whose first entry has no facts (` name`) is not recognisable.
   */
  readonly dialect?: ListingFormat;
  /** When the listing was received, to date Unix lines without a year. Default: now. */
  readonly now?: Date;
  /** Longest line accepted, in bytes. Default 8192, as CPython's ftplib `_MAXLINE`. */
  readonly maxLineLength?: number;
  /**
   * Receives each entry as its line ends. Default: none, and `push` returns the entries.
   * With a handler, every entry before an error has been delivered when the error is thrown.
   */
  readonly onEntry?: (entry: ListEntry | MlsxEntry) => void;
  /**
   * Receives each MLSD line that `parseFacts` refuses, which is then skipped. Default: none,
   * and such a line throws, failing the parser.
   */
  readonly onMalformedLine?: (error: ListingError) => void;
  /**
   * Receives each line that is no entry (`total 12`, an empty line, a LIST line in another
   * format than the listing's) with its stream offset. Default: such lines are dropped.
   */
  readonly onSkippedLine?: (line: string, offset: number) => void;
}

/**
 * A streaming parser of directory listings, MLSD or LIST, as the data connection delivers
 * them: bytes in any chunks, one entry out per line (CRLF, bare LF tolerated). The format is
 * decided once per listing and held. Names are decoded as UTF-8 (RFC 2640) and keep their
 * bytes in `rawName` when they are not. Holds only the bytes of an unfinished line.
 *
 * @example
 * ```ts
 * import { ListingParser } from '@ftpwire/listing';
 *
 * const parser = new ListingParser({ dialect: 'mlsd' });
 * const bytes = new TextEncoder().encode(
 *   'type=cdir;modify=20240229134501; .\r\ntype=file;size=12; notes; draft.txt\r\n',
 * );
 * // However the bytes are cut, the entries come out the same.
 * parser.push(bytes.subarray(0, 40)).map((entry) => entry.name); // => ['.']
 * parser.push(bytes.subarray(40)).map((entry) => entry.name); // => ['notes; draft.txt']
 * parser.end(); // => []
 * ```
 */
export class ListingParser {
  readonly #splitter: LineSplitter;
  readonly #now: number;
  readonly #deliver: (entry: ListEntry | MlsxEntry) => void;
  readonly #onMalformedLine: ((error: ListingError) => void) | undefined;
  readonly #onSkippedLine: ((line: string, offset: number) => void) | undefined;
  #dialect: ListingFormat | undefined;
  #collected: (ListEntry | MlsxEntry)[] | undefined;
  #failure: ListingError | undefined;

  /**
   * Throws `ListingError` `ERR_INVALID_OPTION` for a `maxLineLength` that is not a positive
   * integer, an unknown `dialect` or an invalid `now`.
   */
  constructor(options: ListingParserOptions = {}) {
    const { dialect } = options;
    const { now } = checkListOptions({
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(dialect === undefined || dialect === 'mlsd' ? {} : { dialect }),
    });
    this.#now = now;
    this.#dialect = dialect;
    this.#deliver = options.onEntry ?? ((entry) => this.#collected?.push(entry));
    this.#onMalformedLine = options.onMalformedLine;
    this.#onSkippedLine = options.onSkippedLine;
    try {
      this.#splitter = new LineSplitter({
        ...(options.maxLineLength === undefined ? {} : { maxLineLength: options.maxLineLength }),
        onTextLine: (text, start, end, offset, undecodable) =>
          this.#line(text, start, end, offset, undecodable),
      });
    } catch (error) {
      throw asListingError(error);
    }
  }

  /** The listing's format: as given, or as detected from its first entry; undefined until then. */
  get dialect(): ListingFormat | undefined {
    return this.#dialect;
  }

  /** Consumes a chunk; returns the entries it completes (or delivers them to `onEntry`). */
  push(chunk: Uint8Array): (ListEntry | MlsxEntry)[] {
    const collected = this.#begin();
    try {
      this.#splitter.push(chunk);
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#collected = undefined;
    }
    return collected;
  }

  /** Ends the listing. A last line without CRLF still counts. */
  end(): (ListEntry | MlsxEntry)[] {
    const collected = this.#begin();
    try {
      this.#splitter.end();
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#collected = undefined;
    }
    return collected;
  }

  #begin(): (ListEntry | MlsxEntry)[] {
    if (this.#failure) throw this.#failure;
    const collected: (ListEntry | MlsxEntry)[] = [];
    this.#collected = collected;
    return collected;
  }

  /** Rethrows `error` as this package's, and remembers a `ListingError` for every later call. */
  #fail(error: unknown): never {
    const failure = asListingError(error);
    if (failure instanceof ListingError) this.#failure = failure;
    throw failure;
  }

  #line(
    text: string,
    start: number,
    end: number,
    offset: number,
    raw: Uint8Array | undefined,
  ): void {
    let dialect = this.#dialect;
    if (start < end && dialect === undefined && looksLikeFacts(text, start, end)) {
      dialect = this.#dialect = 'mlsd';
    }
    if (dialect === 'mlsd' && start < end) {
      let entry: MlsxEntry;
      try {
        entry = readFacts(text, start, end, raw);
      } catch (error) {
        if (!(error instanceof ListingError)) throw error;
        // The parser counts characters of the line; the stream counts bytes.
        const failure = new ListingError(
          error.code,
          error.message,
          offset + utf8Length(text, start, start + error.offset),
          { cause: error },
        );
        if (this.#onMalformedLine === undefined) throw failure;
        this.#onMalformedLine(failure);
        return;
      }
      this.#deliver(entry);
      return;
    }
    const entry =
      start < end && dialect !== 'mlsd'
        ? readListLine(text, start, end, raw, dialect, this.#now)
        : undefined;
    if (entry === undefined) {
      this.#onSkippedLine?.(text.slice(start, end), offset);
      return;
    }
    this.#dialect ??= entry.dialect;
    this.#deliver(entry);
  }
}

/** A `LineError` as this package's error class with the same code; anything else as it is. */
function asListingError(error: unknown): unknown {
  if (!(error instanceof LineError)) return error;
  const code: LineErrorCode = error.code;
  return new ListingError(code, error.message, error.offset, { cause: error });
}
