import { Transform, type TransformCallback, type TransformOptions } from 'node:stream';
import { Delivery, type NatStreamOptions } from './deliver.js';
import type { StreamRewriter } from './line-rewriter.js';
import type { NatState } from './options.js';
import { NatRewriter, ReplyRewriter } from './session.js';

/** Stream options the adapters pass on to `node:stream` (not object mode: these are bytes). */
export type NodeStreamOptions = Omit<
  TransformOptions,
  'transform' | 'flush' | 'objectMode' | 'readableObjectMode' | 'writableObjectMode'
>;

/**
 * A `node:stream` Transform around one direction's core, without going through Web
 * Streams (which cost several microseconds a chunk). Each written chunk comes out as one
 * Buffer or Uint8Array (see `coalesce`): the chunk itself when nothing in it changed.
 */
class RewriteTransform extends Transform {
  readonly #delivery: Delivery;

  constructor(core: StreamRewriter, coalesce: boolean | undefined, options: NodeStreamOptions) {
    super(options);
    this.#delivery = new Delivery(core, (bytes) => this.push(bytes), coalesce);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#delivery.push(chunk);
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.#delivery.end();
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
  constructor(options: NatStreamOptions = {}, streamOptions: NodeStreamOptions = {}) {
    this.#core = new NatRewriter(options);
    this.commands = new RewriteTransform(this.#core.commands, options.coalesce, streamOptions);
    this.replies = new RewriteTransform(this.#core.replies, options.coalesce, streamOptions);
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
  options: NatStreamOptions = {},
  streamOptions: NodeStreamOptions = {},
): Transform {
  return new RewriteTransform(new ReplyRewriter(options), options.coalesce, streamOptions);
}
