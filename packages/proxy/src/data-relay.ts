import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { ProxyError } from './errors.js';
import { MAX_READ, readerOf } from './socket-reader.js';

/**
 * Bytes a relay lets queue on the socket it writes before it stops reading the other one, for
 * sockets read through streams (TLS, accepted connections). A TLS write completes only after the
 * encrypted bytes are handed on, a turn of the event loop later, so a window of one socket
 * high-water mark (16 KiB for TLS) stopped and restarted reading after every record.
 */
const STREAM_WINDOW = MAX_READ;

/**
 * Longest the end of a download is held, once the server has ended its data connection, for the
 * transfer's final reply (see {@link DataRelay.settle}); then it is passed on as it came. A server
 * sends its 226 within a millisecond of closing the data connection (vsftpd closes, then writes
 * the 226; ftp-srv writes it when the end is flushed), so only a server that never answers waits
 * this long, and its client then gets the end as before the hold existed.
 */
export const SERVER_END_HOLD = 5000;

/**
 * How one relayed data connection ended: the proxy logs it per transfer
 * (`data passive done: ... bytes to client, ... to server`). The type is exported for code
 * that reports transfers the same way.
 *
 * @example
 * ```ts
 * import { type DataRelayResult, ProxyError } from '@ftpwire/proxy';
 *
 * function describe(result: DataRelayResult): string {
 *   const cut = result.error ? `, cut short: ${result.error.code}` : '';
 *   return `${result.toClient} bytes to client, ${result.toUpstream} to server${cut}`;
 * }
 * describe({ toClient: 1048576, toUpstream: 0, error: undefined });
 * // => '1048576 bytes to client, 0 to server'
 * describe({ toClient: 512, toUpstream: 0, error: new ProxyError('ERR_PEER_CLOSED', 'reset') });
 * // => '512 bytes to client, 0 to server, cut short: ERR_PEER_CLOSED'
 * ```
 */
export interface DataRelayResult {
  /** Bytes the client sent toward the server (uploads). */
  readonly toUpstream: number;
  /** Bytes the server sent toward the client (downloads, listings). */
  readonly toClient: number;
  /** Why the relay was cut short; undefined when both sides closed in order. */
  readonly error: ProxyError | undefined;
}

/** Counters a relay adds the bytes it moves to, each direction. */
export interface RelayCounters {
  readonly toUpstream: { value: number };
  readonly toClient: { value: number };
}

/** How a {@link DataRelay} is bounded and wired to its session. */
export interface DataRelayOptions {
  /** Closes a transfer that moves nothing for this long, in ms. */
  readonly idleTimeout: number;
  /** Bounds the wait for the first byte either way. Default `idleTimeout`. */
  readonly firstByteTimeout?: number;
  /**
   * Sends a TCP reset on both connections under the sockets (under TLS, the raw ones): an
   * aborted transfer reaches each peer as a reset, never as an orderly end it could take for a
   * complete file (ftp-srv, sent a FIN while it writes, can wait for ever). By default the
   * sockets given are reset.
   */
  readonly reset?: () => void;
  /** Added every chunk's length as it passes (the proxy's metrics). */
  readonly counters?: RelayCounters | undefined;
  /**
   * Hold the server's end until {@link DataRelay.settle} says how the transfer went, for at most
   * this many ms (then the end passes on, and `released` is told). Undefined: an end passes on
   * at once, as for a relay whose transfer has no final reply to wait for.
   */
  readonly endHold?: number | undefined;
  /** The server's end was held for `endHold` ms without a final reply, and then passed on. */
  readonly released?: () => void;
}

/**
 * Copies one data connection both ways between the client's and the server's socket (plain or
 * TLS), with backpressure: a side is read only as fast as the other side drains.
 *
 * FTP data connections carry one file one way and mark its end by closing (RFC 959 §3.3,
 * stream mode), so an orderly end on one side is passed on as an orderly end on the other: the
 * receiver must see every byte and then the end. A reset, an error or a close without an end
 * is an aborted transfer and is passed on as one: the partner is destroyed at once, so the
 * server reports `426` and frees its side.
 *
 * But a server's end alone does not say the file is whole: a server that dies mid-transfer has
 * its kernel close the data connection in order (a FIN), and the session hears of the death on
 * the control connection only afterwards. So with `endHold` the server's end waits for the
 * transfer's final reply ({@link DataRelay.settle}): a 2xx passes it on, anything else resets
 * the client's connection. The client's end (an upload's) is passed on at once: the server
 * needs it to finish and reply.
 *
 * Either socket may have ended or closed before the relay starts (a server that sends an empty
 * listing and closes while the client's TLS handshake is still under way): the relay reads
 * their state rather than waiting for events that have already fired.
 */
export class DataRelay {
  /** Resolves once both sockets are closed. */
  readonly done: Promise<DataRelayResult>;
  readonly #client: Socket;
  readonly #upstream: Socket;
  #toUpstream = 0;
  #toClient = 0;
  #error: ProxyError | undefined;
  #open = 2;
  #resolve!: (result: DataRelayResult) => void;

  readonly #reset: () => void;
  /** Switches to the idle timeout once the first byte has moved. */
  #moved: (() => void) | undefined;
  /** The transfer's final reply: true for a 2xx; undefined until it comes (or with no hold). */
  #complete: boolean | undefined;
  /** The server ended its data connection and the end waits for `settle` (or the hold's bound). */
  #held = false;
  #holdTimer: NodeJS.Timeout | undefined;
  readonly #endHold: number | undefined;
  readonly #released: (() => void) | undefined;

  constructor(client: Socket, upstream: Socket, options: DataRelayOptions) {
    this.#client = client;
    this.#upstream = upstream;
    this.#reset =
      options.reset ??
      (() => {
        resetSocket(client);
        resetSocket(upstream);
      });
    this.#endHold = options.endHold;
    this.#released = options.released;
    this.done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    const idleTimeout = options.idleTimeout;
    // Until the first byte moves the shorter wait applies: a data connection that is opened
    // and never used must not hold its sockets for the whole idle timeout.
    let limit = Math.min(options.firstByteTimeout ?? idleTimeout, idleTimeout);
    const onTimeout = () =>
      this.close(
        new ProxyError('ERR_IDLE_TIMEOUT', `the data connection moved nothing for ${limit} ms`),
      );
    for (const socket of [client, upstream]) {
      socket.setNoDelay(true);
      socket.setTimeout(limit);
      socket.on('timeout', onTimeout);
    }
    this.#moved = () => {
      this.#moved = undefined;
      limit = idleTimeout;
      for (const socket of [client, upstream]) socket.setTimeout(idleTimeout);
    };
    // Per chunk: two additions to numbers, no lookup and no allocation.
    const toUpstream = options.counters?.toUpstream ?? { value: 0 };
    const toClient = options.counters?.toClient ?? { value: 0 };
    this.#wire(
      client,
      upstream,
      'client',
      () => endWhenFlushed(upstream),
      (n) => {
        this.#toUpstream += n;
        toUpstream.value += n;
      },
    );
    this.#wire(upstream, client, 'server', this.#serverEnded, (n) => {
      this.#toClient += n;
      toClient.value += n;
    });
  }

  /**
   * The transfer's final reply came: `complete` for a 2xx (RFC 959 §4.2: the action succeeded),
   * false for a 4xx or 5xx. A complete transfer's end passes on to the client as soon as the
   * server has ended (at once if it already has); a failed one is aborted, so the client cannot
   * take what it got for the whole file.
   */
  settle(complete: boolean): void {
    if (this.#complete !== undefined) return;
    this.#complete = complete;
    clearTimeout(this.#holdTimer);
    if (!complete) {
      this.close(
        new ProxyError('ERR_PEER_CLOSED', 'the server answered the transfer with a failure'),
      );
    } else if (this.#held) {
      this.#held = false;
      endWhenFlushed(this.#client);
    }
  }

  readonly #serverEnded = (): void => {
    if (this.#endHold === undefined || this.#complete === true) {
      endWhenFlushed(this.#client);
      return;
    }
    if (this.#held || this.#complete === false) return;
    this.#held = true;
    this.#holdTimer = setTimeout(() => {
      if (!this.#held) return;
      this.#held = false;
      this.#released?.();
      endWhenFlushed(this.#client);
    }, this.#endHold);
  };

  #wire(
    from: Socket,
    to: Socket,
    name: string,
    ended: () => void,
    count: (bytes: number) => void,
  ): void {
    let closed = false;
    const onClose = () => {
      if (closed) return;
      closed = true;
      // A close before the end of the stream is an abort (a reset, or a destroy on our side).
      if (!from.readableEnded) {
        this.close(
          this.#error ??
            new ProxyError(
              'ERR_PEER_CLOSED',
              `the ${name} closed the data connection before its end`,
            ),
        );
      }
      if (--this.#open === 0) {
        this.#resolve({
          toUpstream: this.#toUpstream,
          toClient: this.#toClient,
          error: this.#error,
        });
      }
    };
    const reader = readerOf(from);
    // At or above the high-water mark write() returns false, so 'drain' comes when the queue empties.
    const window = Math.max(STREAM_WINDOW, to.writableHighWaterMark);
    if (reader === undefined) {
      from.on('data', (chunk: Buffer) => {
        this.#moved?.();
        count(chunk.length);
        to.write(chunk);
        if (to.writableLength >= window) {
          from.pause();
          to.once('drain', () => from.resume());
        }
      });
    }
    from.on('error', (error: Error) => {
      this.close(
        new ProxyError('ERR_PEER_CLOSED', `the ${name} data connection failed: ${error.message}`),
      );
    });
    from.once('end', ended);
    from.once('close', onClose);
    // Already over before the relay began: its events will not come again.
    if (from.readableEnded) ended();
    if (from.destroyed) queueMicrotask(onClose);
    else if (reader === undefined) from.resume();
    else {
      reader.pipe(to, (bytes) => {
        this.#moved?.();
        count(bytes);
      });
    }
  }

  /** Aborts the transfer: both connections are reset and their sockets destroyed. */
  close(error?: ProxyError): void {
    clearTimeout(this.#holdTimer);
    this.#held = false;
    if (error !== undefined && this.#error === undefined && this.#open > 0) this.#error = error;
    if (this.#open > 0) this.#reset();
    this.#client.destroy();
    this.#upstream.destroy();
  }
}

/** Resets a TCP connection (RST); a TLS socket is destroyed, its raw socket is the one to reset. */
export function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket instanceof TLSSocket || socket.connecting) socket.destroy();
  else socket.resetAndDestroy();
}

/**
 * Ends `socket` in order once what was written to it is sent. A TLS socket whose handshake has
 * only just finished is given a turn first: Node sends a TLS 1.3 server's session tickets after
 * the handshake, and a shutdown begun before them goes out as a bare FIN without `close_notify`,
 * which clients that check it (CPython's `unwrap()`) report as an error.
 */
function endWhenFlushed(socket: Socket): void {
  if (socket.destroyed || socket.writableEnded) return;
  if (socket instanceof TLSSocket) setImmediate(() => socket.end());
  else socket.end();
}
