import type { Socket } from 'node:net';

/** What a {@link ControlSide} reports to its session. */
export interface ControlSideEvents {
  /** Bytes from the peer. */
  readonly data: (chunk: Buffer) => void;
  /** The peer ended, closed or broke its connection (`error` when it broke). */
  readonly gone: (error: Error | undefined) => void;
  /** What was written no longer exceeds the budget (after a write returned false). */
  readonly drained: () => void;
}

/**
 * One side of a session's control connection: the socket in use (the TCP socket, or after
 * AUTH the TLS socket over it), read only while nothing holds it back, and written with
 * backpressure: a write that fills the socket's buffer (its high-water mark, the proxy's
 * `bufferSize`) returns false, and `drained` follows once the peer has read it down.
 */
export class ControlSide {
  #socket: Socket;
  readonly #events: ControlSideEvents;
  readonly #holds = new Set<string>();
  /** Between `detach` and `replace`: the socket carries a TLS handshake, not clear text. */
  #wrapping = false;
  #waitingForDrain = false;
  readonly #onData = (chunk: Buffer): void => this.#events.data(chunk);
  readonly #onEnd = (): void => this.#events.gone(undefined);
  readonly #onError = (error: Error): void => this.#events.gone(error);
  readonly #onDrain = (): void => {
    if (!this.#waitingForDrain) return;
    this.#waitingForDrain = false;
    this.#events.drained();
  };

  constructor(socket: Socket, events: ControlSideEvents) {
    this.#socket = socket;
    this.#events = events;
    noDelay(socket);
  }

  get socket(): Socket {
    return this.#socket;
  }

  /** Starts reading the socket and watching for its end. */
  attach(): void {
    const socket = this.#socket;
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('error', this.#onError);
    socket.on('close', this.#onEnd);
    socket.on('drain', this.#onDrain);
    if (this.#holds.size === 0) socket.resume();
  }

  /**
   * Stops reading and hands the socket over to be wrapped in TLS: whatever it has buffered
   * stays buffered for the TLS layer. Writes are dropped until {@link replace}.
   */
  detach(): Socket {
    const socket = this.#socket;
    socket.off('data', this.#onData);
    socket.off('end', this.#onEnd);
    socket.off('error', this.#onError);
    socket.off('close', this.#onEnd);
    socket.off('drain', this.#onDrain);
    socket.pause();
    this.#wrapping = true;
    return socket;
  }

  /** Goes on with `socket` (the TLS socket over the old one), with the holds in force. */
  replace(socket: Socket): void {
    this.#socket = socket;
    this.#wrapping = false;
    noDelay(socket);
    this.attach();
    if (this.#waitingForDrain) {
      // The TLS socket starts empty: what filled the old one is the session's to resume.
      this.#waitingForDrain = false;
      queueMicrotask(() => this.#events.drained());
    }
  }

  /** Holds reading back for `reason`, or lifts that reason; reading resumes when none is left. */
  hold(reason: string, held: boolean): void {
    const before = this.#holds.size;
    if (held) this.#holds.add(reason);
    else this.#holds.delete(reason);
    if (this.#wrapping) return;
    if (before === 0 && this.#holds.size > 0) this.#socket.pause();
    else if (before > 0 && this.#holds.size === 0) this.#socket.resume();
  }

  /** Writes `bytes`; false when the socket's buffer is full (`drained` follows). */
  write(bytes: Uint8Array): boolean {
    const socket = this.#socket;
    // Mid-handshake the socket carries TLS records: clear text would corrupt them.
    if (this.#wrapping || socket.destroyed) return true;
    if (socket.write(bytes)) return true;
    this.#waitingForDrain = true;
    return false;
  }

  /** True while a write filled the buffer and the peer has not read it down yet. */
  get full(): boolean {
    return this.#waitingForDrain;
  }

  /** Batches the writes of `work` into as few packets as the socket allows. */
  batch(work: () => void): void {
    this.#socket.cork();
    try {
      work();
    } finally {
      this.#socket.uncork();
    }
  }
}

/**
 * Control replies are small and come in bursts (150, then 226 a moment later): with Nagle's
 * algorithm the second waits for the peer's delayed ACK, ~40 ms a file on Linux (issue 15).
 * The proxy batches its own writes with cork/uncork instead.
 */
function noDelay(socket: Socket): void {
  socket.setNoDelay(true);
}
