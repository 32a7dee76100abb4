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

/**
 * A logger for the CLI: one line per event on the stream, with an ISO 8601 UTC timestamp.
 *
 * @example
 * ```ts
 * import { createStreamLogger } from '@ftpwire/proxy';
 *
 * // The CLI's: createStreamLogger((text) => process.stderr.write(text)).
 * const written: string[] = [];
 * const log = createStreamLogger((text) => written.push(text));
 * log('session 1 connected from 198.51.100.7:50000');
 * /^\d{4}-\d\d-\d\dT[\d:.]+Z session 1 connected from 198\.51\.100\.7:50000\n$/.test(written[0]!);
 * // => true
 * ```
 */
export function createStreamLogger(write: (text: string) => void): ProxyLogger {
  return (line) => write(`${new Date().toISOString()} ${line}\n`);
}
