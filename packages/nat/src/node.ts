/**
 * `@ftpwire/nat` for `node:stream`: the same sessions as `Transform` streams that run the
 * core directly, without Web Streams in between (which cost several microseconds a chunk).
 * Node only; the rest of `@ftpwire/nat` runs on any runtime.
 *
 * @module \@ftpwire/nat/node
 */
import { Transform, type TransformCallback, type TransformOptions } from 'node:stream';
// The core comes from the package's own entry, not from relative modules: built, this file then
// loads the same core (and the same NatError class) as `@ftpwire/nat` does, instead of a copy
// whose errors would fail `instanceof NatError` under CommonJS.
import {
  NatRewriter,
  type NatState,
  type NatStreamOptions,
  ReplyRewriter,
  type StreamRewriter,
} from '@ftpwire/nat';
import { Delivery } from './deliver.js';

/**
 * Stream options the adapters pass on to `node:stream` (not object mode: these are bytes),
 * such as `highWaterMark`, the bytes buffered before backpressure.
 *
 * @example
 * ```ts
 * import { Readable } from 'node:stream';
 * import { text } from 'node:stream/consumers';
 * import { createReplyRewriteTransform, type NodeStreamOptions } from '@ftpwire/nat/node';
 *
 * const streamOptions: NodeStreamOptions = { highWaterMark: 64 * 1024 };
 * const replies = createReplyRewriteTransform({ publicHost: '193.21.1.121' }, streamOptions);
 * replies.writableHighWaterMark; // => 65536
 * await text(Readable.from(['227 Entering Passive Mode (10,0,1,121,117,51).\r\n']).pipe(replies));
 * // => '227 Entering Passive Mode (193,21,1,121,117,51).\r\n'
 * ```
 */
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
 * import { Readable } from 'node:stream';
 * import { text } from 'node:stream/consumers';
 * import { NodeNatSession } from '@ftpwire/nat/node';
 *
 * const nat = new NodeNatSession({ publicHost: '193.21.1.121' });
 * // With sockets: client.pipe(nat.commands).pipe(server); server.pipe(nat.replies).pipe(client);
 * await text(Readable.from(['PASV\r\n']).pipe(nat.commands)); // => 'PASV\r\n'
 * const server = Readable.from([
 *   '220 ready\r\n',
 *   '227 Entering Passive Mode (10,0,1,121,117,51).\r\n',
 * ]);
 * await text(server.pipe(nat.replies));
 * // => '220 ready\r\n227 Entering Passive Mode (193,21,1,121,117,51).\r\n'
 * nat.state; // => 'clear'
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
 * import { Readable } from 'node:stream';
 * import { text } from 'node:stream/consumers';
 * import { createReplyRewriteTransform } from '@ftpwire/nat/node';
 *
 * // With sockets: server.pipe(createReplyRewriteTransform({ publicHost })).pipe(client);
 * const server = Readable.from(['227 Entering Passive Mode (10,0,1,121,117,51).\r\n']);
 * await text(server.pipe(createReplyRewriteTransform({ publicHost: '193.21.1.121' })));
 * // => '227 Entering Passive Mode (193,21,1,121,117,51).\r\n'
 * ```
 */
export function createReplyRewriteTransform(
  options: NatStreamOptions = {},
  streamOptions: NodeStreamOptions = {},
): Transform {
  return new RewriteTransform(new ReplyRewriter(options), options.coalesce, streamOptions);
}
