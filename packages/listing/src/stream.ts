import type { ListEntry, MlsxEntry } from './entry.js';
import { ListingParser, type ListingParserOptions } from './parser.js';

/**
 * `ListingParser` as a Web `TransformStream`: the bytes of a data connection in, entries out.
 * The stream errors with a `ListingError` on a line that is too long, or on a malformed MLSD
 * line unless `onMalformedLine` is given.
 *
 * @example
 * ```ts
 * import { ListingParserStream } from '@ftpwire/listing';
 *
 * const data = new Blob(['type=dir;modify=20240229134501; pub\r\ntype=fi', 'le;size=12; a b.txt\r\n']);
 * const names: string[] = [];
 * for await (const entry of data.stream().pipeThrough(new ListingParserStream())) {
 *   names.push(entry.name);
 * }
 * names; // => ['pub', 'a b.txt']
 * ```
 */
export class ListingParserStream extends TransformStream<Uint8Array, ListEntry | MlsxEntry> {
  /**
   * Takes the options of `ListingParser` but `onEntry`: every entry goes to the readable side.
   * Throws `ListingError` `ERR_INVALID_OPTION` for an option that cannot work.
   */
  constructor(options: Omit<ListingParserOptions, 'onEntry'> = {}) {
    let parser: ListingParser;
    super({
      start(controller) {
        parser = new ListingParser({ ...options, onEntry: (entry) => controller.enqueue(entry) });
      },
      transform(chunk) {
        parser.push(chunk);
      },
      flush() {
        parser.end();
      },
    });
  }
}
