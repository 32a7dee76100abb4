import type { ProxyLogger } from './options.js';

/** `host:port`, with IPv6 hosts in brackets (RFC 3986 §3.2.2). */
export function formatEndpoint(host: string | undefined, port: number | undefined): string {
  const shown = host ?? '?';
  return `${shown.includes(':') ? `[${shown}]` : shown}:${port ?? '?'}`;
}

/** Logs the lines of one session, each prefixed with its number so interleaved sessions read apart. */
export class SessionLog {
  readonly #logger: ProxyLogger | undefined;
  readonly #prefix: string;

  constructor(logger: ProxyLogger | undefined, id: number) {
    this.#logger = logger;
    this.#prefix = `session ${id} `;
  }

  get enabled(): boolean {
    return this.#logger !== undefined;
  }

  line(text: string): void {
    this.#logger?.(this.#prefix + text);
  }
}

/** A logger for the CLI: one line per event on the stream, with an ISO 8601 UTC timestamp. */
export function createStreamLogger(write: (text: string) => void): ProxyLogger {
  return (line) => write(`${new Date().toISOString()} ${line}\n`);
}
