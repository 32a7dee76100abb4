import { connect, type NetConnectOpts, type Socket } from 'node:net';

/**
 * First read of a dialled data connection. A listing or a small file fits; a large transfer grows
 * the buffer ({@link GROWTH} times per full read) up to {@link MAX_READ}.
 */
const FIRST_READ = 16 * 1024;
const GROWTH = 4;
/**
 * Largest read of a dialled data connection, and so the most it holds per buffer. Each read is
 * one callback and one write: a 64 KiB read (what Node reads into its own buffers) cost the relay
 * 0.97 s of CPU per GB on loopback, 1 MiB 0.71 s (bench/README.md, "The data path").
 */
export const MAX_READ = 1024 * 1024;

/** One read buffer; busy while a write of it has not reached the kernel. */
interface Slot {
  buffer: Buffer;
  /** The write that last took this buffer: it is free once that many writes have completed. */
  busyUntil: number;
}

/**
 * Copies what a socket receives to another socket below Node's streams: the socket is created
 * with `onread`, so libuv reads into buffers of the reader's own, reused from read to read, and
 * each read is written on at once (no `Buffer` allocated per read, no `'data'` event, no readable
 * queue). Two buffers take turns: a write that the kernel did not take at once keeps its buffer
 * until it completes, and reading goes on into the other; with both waiting, reading stops
 * (backpressure) until the older write completes. A direction holds at most two buffers of at
 * most {@link MAX_READ} bytes, and none is allocated while nothing moves.
 */
export class SocketReader {
  #socket: Socket | undefined;
  /** Where the handle reads next: libuv takes the buffer the generator returns after each read. */
  #current: Slot = { buffer: Buffer.allocUnsafe(FIRST_READ), busyUntil: 0 };
  #other: Slot | undefined;
  /** The size reads have grown to. */
  #size = FIRST_READ;
  #to: Socket | undefined;
  #count: (bytes: number) => void = () => {};
  /** Bytes read before `pipe` (none while the socket is paused, as it is until then). */
  #early: Buffer[] | undefined;
  #written = 0;
  #completed = 0;
  #waiting = false;

  /** The `onread` option of the socket, set by {@link connectForRelay}. */
  readonly onread = {
    buffer: (): Buffer => this.#current.buffer,
    callback: (bytes: number, buffer: Uint8Array): boolean => this.#read(bytes, buffer as Buffer),
  };

  /** Binds the reader to its socket, once created with {@link SocketReader.onread}. */
  attach(socket: Socket): void {
    this.#socket = socket;
  }

  /**
   * From now on every byte read is written to `to` (in order, with backpressure), `count` told
   * each read's length. Reading starts (the socket is resumed).
   */
  pipe(to: Socket, count: (bytes: number) => void): void {
    this.#to = to;
    this.#count = count;
    const early = this.#early;
    this.#early = undefined;
    if (early !== undefined) {
      for (const chunk of early) {
        count(chunk.length);
        to.write(chunk);
      }
    }
    this.#socket?.resume();
  }

  #read(bytes: number, buffer: Buffer): boolean {
    const to = this.#to;
    if (to === undefined) {
      this.#early ??= [];
      this.#early.push(Buffer.from(buffer.subarray(0, bytes)));
      return false;
    }
    this.#count(bytes);
    const slot = this.#current;
    const full = bytes === buffer.length && this.#size < MAX_READ;
    if (full) this.#size = Math.min(this.#size * GROWTH, MAX_READ);
    to.write(buffer.subarray(0, bytes), this.#afterWrite);
    this.#written++;
    // A write the kernel took whole completes synchronously (Writable counts it off before
    // write() returns): the buffer is free for the next read.
    if (to.writableLength === 0) {
      if (full) slot.buffer = Buffer.allocUnsafe(this.#size);
      return true;
    }
    slot.busyUntil = this.#written;
    const other = this.#other ?? { buffer: Buffer.allocUnsafe(this.#size), busyUntil: 0 };
    this.#other = slot;
    this.#current = other;
    if (other.busyUntil <= this.#completed) {
      if (other.buffer.length < this.#size) other.buffer = Buffer.allocUnsafe(this.#size);
      return true;
    }
    // Both buffers wait for their writes: stop reading until the older one (where the handle
    // reads next) completes.
    this.#waiting = true;
    return false;
  }

  readonly #afterWrite = (): void => {
    this.#completed++;
    if (this.#waiting && this.#current.busyUntil <= this.#completed) {
      this.#waiting = false;
      this.#socket?.resume();
    }
  };
}

const readers = new WeakMap<Socket, SocketReader>();

/**
 * `net.connect` for a data connection the proxy dials: reads go through a {@link SocketReader}
 * once a relay pipes the socket (until then it is paused and reads nothing). Wrapped in TLS, the
 * socket is read by TLS instead and the reader stays unused.
 */
export function connectForRelay(options: NetConnectOpts): Socket {
  const reader = new SocketReader();
  const socket = connect({ ...options, onread: reader.onread });
  reader.attach(socket);
  readers.set(socket, reader);
  return socket;
}

/** The reader of a socket made by {@link connectForRelay}, or undefined for any other socket. */
export function readerOf(socket: Socket): SocketReader | undefined {
  return readers.get(socket);
}
