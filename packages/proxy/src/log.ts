import type { ProxyLogger } from './options.js';

/** `host:port`, with IPv6 hosts in brackets (RFC 3986 §3.2.2). */
export function formatEndpoint(host: string | undefined, port: number | undefined): string {
  const shown = host ?? '?';
  return `${shown.includes(':') ? `[${shown}]` : shown}:${port ?? '?'}`;
}

/**
 * How much a log event matters: `info` for what a working proxy does, `warn` for what a peer or
 * a limit cut short (a session ended by an error, a refused connection), `error` for what the
 * operator must fix (a listener failing, a TLS reload that did not load).
 *
 * @example
 * ```ts
 * import { FtpProxy, type LogLevel } from '@ftpwire/proxy';
 *
 * // What --quiet keeps: the proxy's own events, and session events above info.
 * const keep = (level: LogLevel, session: number | undefined) =>
 *   session === undefined || level !== 'info';
 * const kept: string[] = [];
 * const proxy = new FtpProxy({
 *   listen: { host: '127.0.0.1', port: 0 },
 *   upstream: { host: '127.0.0.1', port: 2121 },
 *   log: (line, event) => {
 *     if (keep(event.level, event.session)) kept.push(line);
 *   },
 * });
 * await proxy.listen();
 * await proxy.close();
 * kept.at(-1); // => 'closed'
 * ```
 */
export type LogLevel = 'info' | 'warn' | 'error';

/**
 * A value in an event's `fields`: JSON scalars only, so every line stays flat and greppable.
 *
 * @example
 * ```ts
 * import type { LogValue, ProxyLogEvent } from '@ftpwire/proxy';
 *
 * // Fields as key=value pairs, for a logfmt shipper.
 * const logfmt = (fields: ProxyLogEvent['fields']) =>
 *   Object.entries(fields)
 *     .map(([key, value]: [string, LogValue]) => `${key}=${JSON.stringify(value)}`)
 *     .join(' ');
 * logfmt({ what: '227', to: '193.21.1.121:40001', tls: false, code: null });
 * // => 'what="227" to="193.21.1.121:40001" tls=false code=null'
 * ```
 */
export type LogValue = string | number | boolean | null;

/**
 * One event of the proxy's log, as a {@link ProxyLogger} receives it beside its text line. The
 * JSON lines of `--log-format json` are this object with a `time` first; see the package
 * README for every `event` name and its `fields`.
 *
 * @example
 * ```ts
 * import { FtpProxy, type ProxyLogEvent } from '@ftpwire/proxy';
 *
 * // Keep only the rewrites of passive replies, as structured records.
 * const rewrites: ProxyLogEvent[] = [];
 * const proxy = new FtpProxy({
 *   listen: { host: '127.0.0.1', port: 0 },
 *   upstream: { host: '127.0.0.1', port: 2121 },
 *   log: (_line, event) => {
 *     if (event.event === 'rewrite') rewrites.push(event);
 *   },
 * });
 * const events: string[] = [];
 * const watched = new FtpProxy({
 *   listen: { host: '127.0.0.1', port: 0 },
 *   upstream: { host: '127.0.0.1', port: 2121 },
 *   log: (_line, event) => events.push(event.event),
 * });
 * await watched.listen();
 * await watched.close();
 * // `descriptors`: the open-files limit and the sessions it leaves room for (a warning when short).
 * events; // => ['listening', 'descriptors', 'closed']
 * proxy.options.passiveMode; // => 'relay'
 * ```
 */
export interface ProxyLogEvent {
  /** How much it matters; see {@link LogLevel}. */
  readonly level: LogLevel;
  /** What happened, a stable name (`session_open`, `rewrite`, `session_close`, ...). */
  readonly event: string;
  /** The session's number, counted from 1; undefined for events of the proxy as a whole. */
  readonly session: number | undefined;
  /** The client's `host:port`; undefined when no client is involved. */
  readonly client: string | undefined;
  /** The server's `host:port` the session relays to; undefined outside sessions. */
  readonly upstream: string | undefined;
  /** The text line's words, without the session prefix or the time. */
  readonly message: string;
  /** The event's particulars, by name (see the README); `{}` when it has none. */
  readonly fields: Readonly<Record<string, LogValue>>;
}

/** What a log call says besides its text: the event's name, level and fields. */
export interface LogDetail {
  /** Default `note`: a line not yet given a name of its own. */
  readonly event?: string;
  /** Default `info`. */
  readonly level?: LogLevel;
  readonly fields?: Readonly<Record<string, LogValue>>;
}

const NO_FIELDS: Readonly<Record<string, LogValue>> = Object.freeze({});

/** An event of the proxy as a whole (not of one session). */
export function proxyEvent(
  logger: ProxyLogger | undefined,
  message: string,
  detail: LogDetail,
  client?: string,
): void {
  if (logger === undefined) return;
  logger(message, {
    level: detail.level ?? 'info',
    event: detail.event ?? 'note',
    session: undefined,
    client,
    upstream: undefined,
    message,
    fields: detail.fields ?? NO_FIELDS,
  });
}

/** Logs the lines of one session, each prefixed with its number so interleaved sessions read apart. */
export class SessionLog {
  readonly #logger: ProxyLogger | undefined;
  readonly #prefix: string;
  readonly #id: number;
  readonly #client: string | undefined;
  #upstream: string | undefined;

  constructor(logger: ProxyLogger | undefined, id: number, client?: string, upstream?: string) {
    this.#logger = logger;
    this.#prefix = `session ${id} `;
    this.#id = id;
    this.#client = client;
    this.#upstream = upstream;
  }

  get enabled(): boolean {
    return this.#logger !== undefined;
  }

  /** The server this session relays to, once chosen. */
  set upstream(endpoint: string) {
    this.#upstream = endpoint;
  }

  line(text: string, detail?: LogDetail): void {
    if (this.#logger === undefined) return;
    this.#logger(this.#prefix + text, {
      level: detail?.level ?? 'info',
      event: detail?.event ?? 'note',
      session: this.#id,
      client: this.#client,
      upstream: this.#upstream,
      message: text,
      fields: detail?.fields ?? NO_FIELDS,
    });
  }
}

/**
 * The CLI's log formats: `text` is one line per event with an ISO 8601 UTC time first (for
 * people); `json` is one JSON object per line with the same time (for log shippers).
 *
 * @example
 * ```ts
 * import { createStreamLogger, type LogFormat } from '@ftpwire/proxy';
 *
 * const format: LogFormat = 'json';
 * const written: string[] = [];
 * createStreamLogger((text) => written.push(text), format)('closed', {
 *   level: 'info',
 *   event: 'closed',
 *   session: undefined,
 *   client: undefined,
 *   upstream: undefined,
 *   message: 'closed',
 *   fields: {},
 * });
 * Object.keys(JSON.parse(written[0]!));
 * // => ['time', 'level', 'session', 'client', 'upstream', 'event', 'message', 'fields']
 * ```
 */
export type LogFormat = 'text' | 'json';

/**
 * A logger for the CLI: one line per event on the stream, with an ISO 8601 UTC timestamp. In
 * `json`, each line is an object with the keys `time`, `level`, `session`, `client`,
 * `upstream`, `event`, `message` and `fields`, always all of them, in that order (`null` where
 * a value does not apply).
 *
 * @example
 * ```ts
 * import { createStreamLogger, type ProxyLogEvent } from '@ftpwire/proxy';
 *
 * // The CLI's: createStreamLogger((text) => process.stderr.write(text), format).
 * const text: string[] = [];
 * const json: string[] = [];
 * const event: ProxyLogEvent = {
 *   level: 'info',
 *   event: 'session_open',
 *   session: 1,
 *   client: '198.51.100.7:50000',
 *   upstream: '10.0.1.121:21',
 *   message: 'open from 198.51.100.7:50000',
 *   fields: {},
 * };
 * createStreamLogger((line) => text.push(line))('session 1 open from 198.51.100.7:50000', event);
 * /^\d{4}-\d\d-\d\dT[\d:.]+Z session 1 open from 198\.51\.100\.7:50000\n$/.test(text[0]!);
 * // => true
 * createStreamLogger((line) => json.push(line), 'json')('session 1 open ...', event);
 * JSON.parse(json[0]!).client; // => '198.51.100.7:50000'
 * ```
 */
export function createStreamLogger(
  write: (text: string) => void,
  format: LogFormat = 'text',
): ProxyLogger {
  if (format === 'text') return (line) => write(`${new Date().toISOString()} ${line}\n`);
  return (_line, event) => {
    // Keys in a fixed order, all present: a schema a shipper can map once.
    const record = {
      time: new Date().toISOString(),
      level: event.level,
      session: event.session ?? null,
      client: event.client ?? null,
      upstream: event.upstream ?? null,
      event: event.event,
      message: event.message,
      fields: event.fields,
    };
    write(`${JSON.stringify(record)}\n`);
  };
}
