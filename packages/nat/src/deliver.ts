import type { StreamRewriter } from './line-rewriter.js';
import type { NatOptions } from './options.js';

/**
 * Options of the stream adapters (`NatSession`, `createReplyRewriteStream`,
 * `@ftpwire/nat/node`): the session's {@link NatOptions} and how output chunks are cut.
 *
 * @example
 * ```ts
 * import { createReplyRewriteStream, type NatStreamOptions } from '@ftpwire/nat';
 *
 * // coalesce: false hands on the pieces around a rewrite as they are, never copying.
 * const options: NatStreamOptions = { publicHost: '193.21.1.121', coalesce: false };
 * const server = new Blob(['227 Entering Passive Mode (10,0,1,121,117,51).\r\n']).stream();
 * const pieces: string[] = [];
 * for await (const piece of server.pipeThrough(createReplyRewriteStream(options))) {
 *   pieces.push(new TextDecoder().decode(piece));
 * }
 * pieces; // => ['227 Entering Passive Mode (', '193,21,1,121', ',117,51).\r\n']
 * ```
 */
export interface NatStreamOptions extends NatOptions {
  /**
   * Deliver what one input chunk produces as one array. Default true: when a chunk holds a
   * rewritten line, its bytes are assembled into one new array, since every chunk a stream
   * delivers costs more (about a microsecond in `node:stream`, several in Web Streams) than
   * copying a chunk. A chunk with nothing rewritten or held still goes out as itself,
   * uncopied. False delivers every piece as the core emits it: views of the input, never a
   * copy, at the cost of more, smaller chunks.
   */
  readonly coalesce?: boolean;
}

/**
 * Runs a core over one input chunk and delivers its output: as one array (coalescing), or
 * piece by piece. Adapters hold one of these per direction.
 */
export class Delivery {
  readonly #core: StreamRewriter;
  readonly #deliver: (bytes: Uint8Array) => void;
  readonly #coalesce: boolean;

  constructor(core: StreamRewriter, deliver: (bytes: Uint8Array) => void, coalesce = true) {
    this.#core = core;
    this.#deliver = deliver;
    this.#coalesce = coalesce;
  }

  /** Bytes let out before an error are delivered before it is thrown. */
  push(chunk: Uint8Array): void {
    if (this.#coalesce) this.#core.pushJoined(chunk, this.#deliver);
    else this.#core.push(chunk, this.#deliver);
  }

  end(): void {
    this.#core.end(this.#deliver);
  }
}
