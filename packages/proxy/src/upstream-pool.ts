import { formatEndpoint } from './log.js';
import type { Endpoint } from './options.js';
import type { BalanceMode } from './scale-options.js';

/** One upstream server as the pool tracks it. */
export interface Upstream {
  readonly endpoint: Endpoint;
  /** `host:port`, the server's name in logs and metrics. */
  readonly name: string;
  /** Sessions of this proxy open with it now. */
  readonly sessions: number;
  /** False from a refused or timed-out attempt until a probe gets its greeting again. */
  readonly healthy: boolean;
}

interface Entry extends Upstream {
  sessions: number;
  healthy: boolean;
  probing: NodeJS.Timeout | undefined;
}

/** What the pool needs from outside: the probe's I/O, and where to report. */
export interface UpstreamPoolHooks {
  /** Connects to `endpoint` and reads its greeting: resolves on a 220, rejects otherwise. */
  readonly probe: (endpoint: Endpoint) => Promise<void>;
  /** Milliseconds between probes of a server taken out. */
  readonly interval: number;
  /** A server went out (`reason` why) or came back. */
  readonly changed: (upstream: Upstream, healthy: boolean, reason: string | undefined) => void;
}

/**
 * 32-bit FNV-1a over the UTF-16 code units of `text`, then murmur3's finalizer to spread the
 * bits: a fixed function, so that every proxy instance, before and after a restart, gives a
 * user the same server (a seeded hash would not).
 */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * The upstream servers of a proxy, their health, and the choice of one for a new session. A
 * server that refuses a connection or times out is taken out and probed every `interval` ms in
 * the background (a connection and its 220) until it greets again; sessions already running on
 * it are never moved. The choice never waits: it is made among the servers healthy now.
 */
export class UpstreamPool {
  readonly #entries: Entry[];
  readonly #balance: BalanceMode;
  readonly #hooks: UpstreamPoolHooks;
  #next = 0;
  #closed = false;

  constructor(endpoints: readonly Endpoint[], balance: BalanceMode, hooks: UpstreamPoolHooks) {
    this.#entries = endpoints.map((endpoint) => ({
      endpoint,
      name: formatEndpoint(endpoint.host, endpoint.port),
      sessions: 0,
      healthy: true,
      probing: undefined,
    }));
    this.#balance = balance;
    this.#hooks = hooks;
  }

  /** Every server, healthy or not, in the order given. */
  get upstreams(): readonly Upstream[] {
    return this.#entries;
  }

  /** Whether the session must give the USER name before a server is chosen. */
  get needsUser(): boolean {
    return this.#balance === 'by-user';
  }

  /**
   * The healthy servers in the order a new session should try them: the first is the choice,
   * the rest are where to go if it fails to connect. Empty when none is healthy. `user` is the
   * USER name for `by-user` (rendezvous hashing: the user's server is the one with the highest
   * hash of name and user, so taking a server out moves only its own users).
   */
  candidates(user?: string): Upstream[] {
    const healthy = this.#entries.filter((entry) => entry.healthy);
    if (healthy.length <= 1) return healthy;
    switch (this.#balance) {
      case 'least-sessions':
        // Stable sort: the order given breaks ties.
        return healthy.sort((a, b) => a.sessions - b.sessions);
      case 'by-user': {
        const score = new Map(
          healthy.map((entry) => [entry, stableHash(`${entry.name}\n${user ?? ''}`)]),
        );
        return healthy.sort((a, b) => score.get(b)! - score.get(a)!);
      }
      default: {
        const start = this.#next++ % healthy.length;
        return [...healthy.slice(start), ...healthy.slice(0, start)];
      }
    }
  }

  /** A session opened with `upstream` (counted for `least-sessions`). */
  opened(upstream: Upstream): void {
    (upstream as Entry).sessions++;
  }

  /** That session ended. */
  closed(upstream: Upstream): void {
    (upstream as Entry).sessions--;
  }

  /** An attempt to reach `upstream` failed: it is out until a probe gets a greeting. */
  failed(upstream: Upstream, reason: string): void {
    const entry = upstream as Entry;
    if (!entry.healthy || this.#closed) return;
    entry.healthy = false;
    this.#hooks.changed(entry, false, reason);
    this.#schedule(entry);
  }

  /** Stops probing; servers keep the health they had. */
  close(): void {
    this.#closed = true;
    for (const entry of this.#entries) clearTimeout(entry.probing);
  }

  #schedule(entry: Entry): void {
    entry.probing = setTimeout(() => {
      entry.probing = undefined;
      if (this.#closed) return;
      this.#hooks.probe(entry.endpoint).then(
        () => {
          if (this.#closed) return;
          entry.healthy = true;
          this.#hooks.changed(entry, true, undefined);
        },
        () => {
          if (!this.#closed) this.#schedule(entry);
        },
      );
    }, this.#hooks.interval);
    // A probe timer alone must not keep the process alive.
    entry.probing.unref();
  }
}
