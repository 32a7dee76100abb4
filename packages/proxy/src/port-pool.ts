import { randomInt } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { ProxyError } from './errors.js';
import type { PortRange } from './options.js';

/** Random draws over the whole range before listing the free ports (a nearly full range). */
const RANDOM_DRAWS = 16;

/** A listening socket taken from a {@link PortPool}; give it back with `release()`. */
export interface PooledListener {
  readonly server: Server;
  readonly port: number;
  /** Stops listening and returns the port to the pool. Safe to call more than once. */
  release(): void;
}

/**
 * The ports of a passive range, handed out as listening sockets. Each is picked at random among
 * the free ones, as vsftpd picks them: a client that could guess the next port could connect to
 * it before its owner and take the transfer (the proxy accepts only the owner's address, so this
 * matters between clients behind one address). A port that another process holds is skipped.
 * Without a range, the system picks any free port.
 */
export class PortPool {
  readonly #range: PortRange | undefined;
  readonly #highWaterMark: number | undefined;
  readonly #inUse = new Set<number>();
  readonly #random: (limit: number) => number;

  /**
   * `highWaterMark`: buffering of the accepted sockets, each direction (Node's default if
   * absent). `random(limit)` returns an integer in [0, limit): `crypto.randomInt` unless a test
   * gives its own.
   */
  constructor(
    range: PortRange | undefined,
    highWaterMark?: number,
    random: (limit: number) => number = randomInt,
  ) {
    this.#range = range;
    this.#highWaterMark = highWaterMark;
    this.#random = random;
  }

  /** Ports currently handed out. */
  get size(): number {
    return this.#inUse.size;
  }

  /**
   * Listens on `host` on a free port of the range. `onConnection` receives every accepted
   * socket, paused; `onError` errors of the listening socket after it listens. Rejects with `ERR_PORT_POOL_EXHAUSTED` when no port of the range can be bound.
   */
  async listen(
    host: string,
    onConnection: (socket: Socket) => void,
    onError: (error: Error) => void,
  ): Promise<PooledListener> {
    const range = this.#range;
    if (range === undefined) return this.#bind(host, 0, onConnection, onError);
    // Uniform among the free ports: draws from the whole range, a used port drawn again (uniform
    // over what is left); when the range is nearly full, a draw from the list of free ones.
    const count = range.max - range.min + 1;
    const tried = new Set<number>();
    const attempt = async (port: number): Promise<PooledListener | undefined> => {
      tried.add(port);
      this.#inUse.add(port);
      try {
        return await this.#bind(host, port, onConnection, onError);
      } catch (error) {
        this.#inUse.delete(port);
        const code = (error as NodeJS.ErrnoException).code;
        // Another process holds it: try others.
        if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
        return undefined;
      }
    };
    for (let draw = 0; draw < RANDOM_DRAWS; draw++) {
      const port = range.min + this.#random(count);
      if (this.#inUse.has(port) || tried.has(port)) continue;
      const listener = await attempt(port);
      if (listener) return listener;
    }
    const free: number[] = [];
    for (let port = range.min; port <= range.max; port++) {
      if (!this.#inUse.has(port) && !tried.has(port)) free.push(port);
    }
    while (free.length > 0) {
      const index = this.#random(free.length);
      const port = free[index]!;
      free[index] = free[free.length - 1]!;
      free.pop();
      const listener = await attempt(port);
      if (listener) return listener;
    }
    throw new ProxyError(
      'ERR_PORT_POOL_EXHAUSTED',
      `no free port in the passive range ${range.min}-${range.max} (${this.#inUse.size} in use by this proxy)`,
    );
  }

  #bind(
    host: string,
    port: number,
    onConnection: (socket: Socket) => void,
    onError: (error: Error) => void,
  ): Promise<PooledListener> {
    return new Promise((resolve, reject) => {
      const server = createServer(
        {
          pauseOnConnect: true,
          ...(this.#highWaterMark === undefined ? {} : { highWaterMark: this.#highWaterMark }),
        },
        onConnection,
      );
      const fail = (error: Error) => {
        server.close();
        reject(error);
      };
      server.once('error', fail);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', fail);
        // Accept errors (EMFILE) arrive here; without a listener they would end the process.
        server.on('error', onError);
        const bound = (server.address() as { port: number }).port;
        if (port === 0) this.#inUse.add(bound);
        let released = false;
        resolve({
          server,
          port: bound,
          release: () => {
            if (released) return;
            released = true;
            server.close();
            this.#inUse.delete(bound);
          },
        });
      });
    });
  }
}
