import { Transform, type TransformCallback, type TransformOptions } from 'node:stream';
import type { StreamRewriter } from './line-rewriter.js';
import type { NatOptions, NatState } from './options.js';
import { NatRewriter, ReplyRewriter } from './session.js';

/** Stream options the adapters pass on to `node:stream` (not object mode: these are bytes). */
export type NodeStreamOptions = Omit<
  TransformOptions,
  'transform' | 'flush' | 'objectMode' | 'readableObjectMode' | 'writableObjectMode'
>;

/**
 * A `node:stream` Transform around one direction's core, without going through Web
 * Streams (which cost several microseconds a chunk). Pieces are pushed as the core emits
 * them: views of the written Buffer for bytes passed on, new arrays for rewritten lines.
 */
class RewriteTransform extends Transform {
  readonly #core: StreamRewriter;
  readonly #emit = (bytes: Uint8Array): void => {
    this.push(bytes);
  };

  constructor(core: StreamRewriter, options: NodeStreamOptions = {}) {
    super(options);
    this.#core = core;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#core.push(chunk, this.#emit);
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.#core.end(this.#emit);
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  }
}

/**
 * `NatSession` for `node:stream`: pipe the client's socket through `commands` and the
 * server's through `replies`. Same behaviour, same options, same errors (`NatError`).
 *
 * @example
 * ```ts
 * import { NodeNatSession } from '@ftpwire/nat/node';
 * const nat = new NodeNatSession({ publicHost: '193.21.1.121' });
 * client.pipe(nat.commands).pipe(server);
 * server.pipe(nat.replies).pipe(client);
 * ```
 */
export class NodeNatSession {
  /** Client to server. */
  readonly commands: Transform;
  /** Server to client. */
  readonly replies: Transform;
  readonly #core: NatRewriter;

  /** Throws `NatError` `ERR_INVALID_OPTION` for options that cannot work. */
  constructor(options: NatOptions = {}, streamOptions: NodeStreamOptions = {}) {
    this.#core = new NatRewriter(options);
    this.commands = new RewriteTransform(this.#core.commands, streamOptions);
    this.replies = new RewriteTransform(this.#core.replies, streamOptions);
  }

  /** `clear` while the session reads the stream; `secure` after a 234 answered AUTH. */
  get state(): NatState {
    return this.#core.state;
  }

  /** Tells the session the stream is clear text again after CCC (see `NatRewriter.resumeClear`). */
  resumeClear(): void {
    this.#core.resumeClear();
  }
}

/**
 * `createReplyRewriteStream` for `node:stream`: rewrites well-formed single-line 227 replies
 * at reply boundaries in a server-to-client stream.
 *
 * @example
 * ```ts
 * server.pipe(createReplyRewriteTransform({ publicHost: '193.21.1.121' })).pipe(client);
 * ```
 */
export function createReplyRewriteTransform(
  options: NatOptions = {},
  streamOptions: NodeStreamOptions = {},
): Transform {
  return new RewriteTransform(new ReplyRewriter(options), streamOptions);
}
