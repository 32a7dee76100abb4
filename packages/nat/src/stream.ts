import { Delivery, type NatStreamOptions } from './deliver.js';
import type { StreamRewriter } from './line-rewriter.js';
import type { NatState } from './options.js';
import { NatRewriter, ReplyRewriter } from './session.js';

function transformer(
  core: StreamRewriter,
  coalesce: boolean | undefined,
): Transformer<Uint8Array, Uint8Array> {
  let delivery: Delivery;
  return {
    start(controller) {
      delivery = new Delivery(core, (bytes) => controller.enqueue(bytes), coalesce);
    },
    transform(chunk) {
      delivery.push(chunk);
    },
    flush() {
      delivery.end();
    },
  };
}

/**
 * A NAT, firewall or proxy's view of one FTP control connection: pipe the client's bytes
 * through `commands` and the server's through `replies`. A 227 reply is rewritten only when
 * it answers a PASV seen on `commands` and is a single-line reply at a reply boundary;
 * PORT and EPRT are rewritten only when they name the client itself. Everything else passes
 * byte for byte, without waiting for a line end unless the line may need rewriting.
 * After AUTH TLS succeeds the session passes everything on unread (`state` is `secure`).
 *
 * @example
 * ```ts
 * import { NatSession } from '@ftpwire/nat';
 *
 * const log: string[] = [];
 * const nat = new NatSession({
 *   publicHost: '193.21.1.121',
 *   onRewrite: (e) => log.push(`${e.direction} ${e.original?.host} -> ${e.rewritten?.host}`),
 * });
 * // A gateway pipes each side's bytes through its direction:
 * //   clientReadable.pipeThrough(nat.commands).pipeTo(serverWritable);
 * //   serverReadable.pipeThrough(nat.replies).pipeTo(clientWritable);
 * const client = new Blob(['PASV\r\n']).stream();
 * const server = new Blob(['220 ready\r\n', '227 Entering Passive Mode (10,0,1,121,117,51).\r\n']);
 * await new Response(client.pipeThrough(nat.commands)).text(); // => 'PASV\r\n'
 * await new Response(server.stream().pipeThrough(nat.replies)).text();
 * // => '220 ready\r\n227 Entering Passive Mode (193,21,1,121,117,51).\r\n'
 * log; // => ['reply 10.0.1.121 -> 193.21.1.121']
 * ```
 */
export class NatSession {
  /** Client to server. */
  readonly commands: TransformStream<Uint8Array, Uint8Array>;
  /** Server to client. */
  readonly replies: TransformStream<Uint8Array, Uint8Array>;
  readonly #core: NatRewriter;

  /** Throws `NatError` `ERR_INVALID_OPTION` for options that cannot work. */
  constructor(options: NatStreamOptions = {}) {
    this.#core = new NatRewriter(options);
    this.commands = new TransformStream(transformer(this.#core.commands, options.coalesce));
    this.replies = new TransformStream(transformer(this.#core.replies, options.coalesce));
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
 * The one-direction rewrite stream returned by {@link createReplyRewriteStream}; the class
 * gives it a type to name, and its `state` and `resumeClear()`.
 *
 * @example
 * ```ts
 * import { ReplyRewriteStream } from '@ftpwire/nat';
 *
 * const replies = new ReplyRewriteStream({ publicHost: '193.21.1.121' });
 * const server = new Blob(['234 AUTH TLS ok.\r\n']).stream();
 * await new Response(server.pipeThrough(replies)).text(); // => '234 AUTH TLS ok.\r\n'
 * // After a 234 the stream is TLS: it is passed on unread.
 * replies.state; // => 'secure'
 * ```
 */
export class ReplyRewriteStream extends TransformStream<Uint8Array, Uint8Array> {
  readonly #core: ReplyRewriter;

  /** Throws `NatError` `ERR_INVALID_OPTION` for options that cannot work. */
  constructor(options: NatStreamOptions = {}) {
    const core = new ReplyRewriter(options);
    super(transformer(core, options.coalesce));
    this.#core = core;
  }

  /** `clear` while the stream is read; `secure` after a 234 reply. */
  get state(): NatState {
    return this.#core.state;
  }

  /** The stream is clear text again after CCC. */
  resumeClear(): void {
    this.#core.resumeClear();
  }
}

/**
 * A server-to-client transform that rewrites well-formed single-line 227 replies at reply
 * boundaries, for users who see only replies (see `ReplyRewriter` for what it cannot know).
 *
 * @example
 * ```ts
 * import { createReplyRewriteStream } from '@ftpwire/nat';
 *
 * // In a gateway: serverReadable.pipeThrough(createReplyRewriteStream(...)).pipeTo(clientWritable)
 * const server = new Blob(['227 Entering Passive Mode (10,0,1,121,117,51).\r\n']).stream();
 * const rewritten = server.pipeThrough(createReplyRewriteStream({ publicHost: '193.21.1.121' }));
 * await new Response(rewritten).text();
 * // => '227 Entering Passive Mode (193,21,1,121,117,51).\r\n'
 * ```
 */
export function createReplyRewriteStream(options: NatStreamOptions = {}): ReplyRewriteStream {
  return new ReplyRewriteStream(options);
}
