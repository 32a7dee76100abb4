import type { StreamRewriter } from './line-rewriter.js';
import type { NatOptions } from './options.js';

/** Options of the stream adapters (`NatSession`, `createReplyRewriteStream`, `@ftpwire/nat/node`). */
export interface NatStreamOptions extends NatOptions {
  /**
   * Deliver what one input chunk produces as one array. Default true: when a chunk holds a
   * rewritten line, its pieces (views of the input around the new bytes) are copied into one
   * new array, since every chunk a stream delivers costs more (about a microsecond in
   * `node:stream`, several in Web Streams) than copying a chunk. A chunk with nothing
   * rewritten or held still goes out as itself, uncopied. False delivers every piece as the
   * core emits it: views of the input, never a copy, at the cost of more, smaller chunks.
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
  readonly #emit: (bytes: Uint8Array) => void;
  readonly #coalesce: boolean;
  readonly #pieces: Uint8Array[] = [];
  #length = 0;

  constructor(core: StreamRewriter, deliver: (bytes: Uint8Array) => void, coalesce = true) {
    this.#core = core;
    this.#deliver = deliver;
    this.#coalesce = coalesce;
    this.#emit = coalesce
      ? (piece) => {
          this.#pieces.push(piece);
          this.#length += piece.length;
        }
      : deliver;
  }

  push(chunk: Uint8Array): void {
    try {
      this.#core.push(chunk, this.#emit);
    } finally {
      // Bytes emitted before an error go out before it, as a core's emit would have sent them.
      this.#flush();
    }
  }

  end(): void {
    try {
      this.#core.end(this.#emit);
    } finally {
      this.#flush();
    }
  }

  #flush(): void {
    if (!this.#coalesce) return;
    const pieces = this.#pieces;
    const count = pieces.length;
    if (count === 0) return;
    let out: Uint8Array;
    if (count === 1) {
      out = pieces[0]!;
    } else {
      out = new Uint8Array(this.#length);
      let at = 0;
      for (let k = 0; k < count; k++) {
        const piece = pieces[k]!;
        out.set(piece, at);
        at += piece.length;
      }
    }
    pieces.length = 0;
    this.#length = 0;
    this.#deliver(out);
  }
}
