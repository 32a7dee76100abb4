import { createServer, type Server, type Socket } from 'node:net';
import { ProxyError } from './errors.js';
import type { PortRange } from './options.js';

/** A listening socket taken from a {@link PortPool}; give it back with `release()`. */
export interface PooledListener {
  readonly server: Server;
  readonly port: number;
  /** Stops listening and returns the port to the pool. Safe to call more than once. */
  release(): void;
}

/**
 * The ports of a passive range, handed out as listening sockets. Ports are taken in rotation,
 * so a port just released is the last to be reused (a late connection for an old transfer
 * then finds nothing rather than a stranger's transfer). A port that another process holds
 * is skipped. Without a range, the system picks any free port.
 */
export class PortPool {
  readonly #range: PortRange | undefined;
  readonly #highWaterMark: number | undefined;
  readonly #inUse = new Set<number>();
  #next: number;

  /** `highWaterMark`: buffering of the accepted sockets, each direction (Node's default if absent). */
  constructor(range: PortRange | undefined, highWaterMark?: number) {
    this.#range = range;
    this.#highWaterMark = highWaterMark;
    this.#next = range?.min ?? 0;
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
    const count = range.max - range.min + 1;
    for (let tried = 0; tried < count; tried++) {
      const port = this.#next;
      this.#next = port === range.max ? range.min : port + 1;
      if (this.#inUse.has(port)) continue;
      this.#inUse.add(port);
      try {
        return await this.#bind(host, port, onConnection, onError);
      } catch (error) {
        this.#inUse.delete(port);
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
      }
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
