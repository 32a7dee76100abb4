import { performance } from 'node:perf_hooks';
import {
  type Counter,
  type CounterChild,
  type Gauge,
  type Histogram,
  type HistogramChild,
  MetricsRegistry,
} from './metrics.js';
import type { SessionObserver } from './session-core.js';
import { TRANSFER_VERBS } from './verbs.js';

/** What the gauges read from the proxy at each scrape (state it keeps anyway). */
export interface ProxyGaugeSource {
  readonly sessions: number;
  readonly dataChannels: number;
  readonly passivePorts: number;
}

/** Which way bytes went, and whether TLS protected them. */
export type Direction = 'to_client' | 'to_server';
export type Protection = 'clear' | 'tls';

/** Byte counters resolved once per direction and protection, for the per-chunk paths. */
export type ByteCounters = Readonly<Record<Direction, Readonly<Record<Protection, CounterChild>>>>;

/**
 * Latency buckets in seconds: Prometheus' defaults with two below 5 ms, since a control reply on
 * a LAN or loopback takes well under a millisecond and the defaults would put them all in one.
 */
const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

/**
 * RFC 959 §4.1's command groups, transfers apart (what operators count most), plus the security
 * verbs of RFC 2228 and the extensions. A bounded set: the label never takes a peer's word.
 */
const VERB_CLASSES: ReadonlyMap<string, string> = new Map(
  [
    ['access', 'USER PASS ACCT CWD CDUP XCWD XCUP SMNT REIN QUIT'],
    ['transfer_parameters', 'PORT PASV TYPE STRU MODE EPRT EPSV LPRT LPSV'],
    ['transfer', [...TRANSFER_VERBS].join(' ')],
    [
      'service',
      'ALLO REST RNFR RNTO ABOR DELE RMD XRMD MKD XMKD PWD XPWD SITE SYST STAT HELP NOOP MLST SIZE MDTM',
    ],
    ['security', 'AUTH ADAT PROT PBSZ CCC MIC CONF ENC'],
    ['extension', 'FEAT OPTS LANG HOST CLNT MFMT MFCT MFF HASH XCRC XMD5 XSHA AVBL CSID DSIZ'],
  ].flatMap(([group, verbs]) => verbs!.split(' ').map((verb) => [verb, group!] as const)),
);

/** The class a command's verb is counted under: `other` for any verb outside the table. */
export function verbClass(verb: string | undefined): string {
  if (verb === undefined) return 'malformed';
  return VERB_CLASSES.get(verb) ?? 'other';
}

/**
 * Every metric the proxy exposes, on one registry. Families that other parts will report into
 * (refusals by reason, upstream health by upstream) take any label value their caller names.
 */
export class ProxyMetrics {
  readonly registry: MetricsRegistry = new MetricsRegistry();
  readonly sessionsTotal: CounterChild;
  /** `reason`: `max_sessions`, `max_per_ip`, `draining`; new causes add their own. */
  readonly sessionsRefused: Counter;
  /** `reason`: `ok` for an orderly end, else the `ProxyError` code that ended the session. */
  readonly sessionsClosed: Counter;
  /** `result`: `accepted` (230, 232) or `refused` (4xx, 5xx) to USER, PASS or ACCT. */
  readonly logins: Counter;
  readonly commands: Counter;
  readonly replies: Counter;
  /** `what`: `227`, `229` (passive replies), `PORT`, `EPRT` (active commands). */
  readonly rewrites: Counter;
  readonly withheld: Counter;
  readonly dataOpened: Counter;
  /** `reason`: see the README's table. */
  readonly dataFailed: Counter;
  readonly dataBytes: ByteCounters;
  readonly controlBytes: ByteCounters;
  /** `peer`: `client` or `server`; `channel`: `control` or `data`. */
  readonly tlsFailed: Counter;
  /** `upstream`: `host:port`. 1 after a greeting, 0 after a failed attempt. */
  readonly upstreamUp: Gauge;
  readonly upstreamFailures: Counter;
  readonly dataSetup: Histogram;
  readonly replyLatency: HistogramChild;
  readonly tlsReloads: Counter;
  /** When the certificate new sessions are shown expires, in Unix seconds; none without TLS. */
  certificateExpiry: number | undefined;
  readonly draining: Gauge;
  /** One observer for every session's core: it keeps no state of its own. */
  readonly observer: SessionObserver;

  constructor(source: () => ProxyGaugeSource) {
    const r = this.registry;
    r.gauge('ftpwire_proxy_sessions_open', 'Sessions with a socket or listener open.', [], (g) =>
      g.labels().set(source().sessions),
    );
    this.sessionsTotal = r
      .counter('ftpwire_proxy_sessions_total', 'Sessions accepted since the proxy started.')
      .labels();
    this.sessionsRefused = r.counter(
      'ftpwire_proxy_sessions_refused_total',
      'Connections refused before a session began, by reason.',
      ['reason'],
    );
    this.sessionsClosed = r.counter(
      'ftpwire_proxy_sessions_closed_total',
      'Sessions ended, by reason: ok, or the error code that ended them.',
      ['reason'],
    );
    this.logins = r.counter(
      'ftpwire_proxy_logins_total',
      'Final replies to USER, PASS and ACCT: accepted (230, 232) or refused (4xx, 5xx).',
      ['result'],
    );
    this.commands = r.counter(
      'ftpwire_proxy_commands_total',
      'Client commands by verb class, forwarded to the server or answered by the proxy.',
      ['class', 'outcome'],
    );
    this.replies = r.counter(
      'ftpwire_proxy_replies_total',
      "Replies by class: received from the server, or the proxy's own.",
      ['source', 'class'],
    );
    this.rewrites = r.counter(
      'ftpwire_proxy_address_rewrites_total',
      'Data addresses rewritten: 227 and 229 replies, PORT and EPRT commands.',
      ['what'],
    );
    this.withheld = r.counter(
      'ftpwire_proxy_replies_withheld_total',
      'Server replies carrying a data address nobody asked for, withheld from the client.',
      ['code'],
    );
    this.dataOpened = r.counter(
      'ftpwire_proxy_data_connections_opened_total',
      'Data connections relayed (both sides connected, TLS done).',
      ['mode'],
    );
    this.dataFailed = r.counter(
      'ftpwire_proxy_data_connections_failed_total',
      'Data connections that failed or were refused, by reason.',
      ['mode', 'reason'],
    );
    const bytes = (family: Counter): ByteCounters => ({
      to_client: {
        clear: family.labels('to_client', 'clear'),
        tls: family.labels('to_client', 'tls'),
      },
      to_server: {
        clear: family.labels('to_server', 'clear'),
        tls: family.labels('to_server', 'tls'),
      },
    });
    this.dataBytes = bytes(
      r.counter(
        'ftpwire_proxy_data_bytes_total',
        'Bytes relayed on data connections, by direction and protection.',
        ['direction', 'protection'],
      ),
    );
    this.controlBytes = bytes(
      r.counter(
        'ftpwire_proxy_control_bytes_total',
        'Bytes received on control connections, by direction and protection.',
        ['direction', 'protection'],
      ),
    );
    this.tlsFailed = r.counter(
      'ftpwire_proxy_tls_handshakes_failed_total',
      'TLS handshakes that failed, by peer and connection.',
      ['peer', 'channel'],
    );
    this.upstreamUp = r.gauge(
      'ftpwire_proxy_upstream_up',
      'Whether the last attempt to reach the upstream got its greeting (1) or failed (0).',
      ['upstream'],
    );
    this.upstreamFailures = r.counter(
      'ftpwire_proxy_upstream_failures_total',
      'Attempts to reach an upstream that failed, by upstream and error code.',
      ['upstream', 'reason'],
    );
    this.dataSetup = r.histogram(
      'ftpwire_proxy_data_connection_setup_seconds',
      "From a data connection's arrival to its relay: the dial and any TLS handshakes.",
      LATENCY_BUCKETS,
      ['mode'],
    );
    this.replyLatency = r
      .histogram(
        'ftpwire_proxy_reply_latency_seconds',
        'From a command forwarded to the first reply of the server to it.',
        LATENCY_BUCKETS,
      )
      .labels();
    this.tlsReloads = r.counter(
      'ftpwire_proxy_tls_reloads_total',
      'Reloads of the TLS certificate, key and upstream CA, by result.',
      ['result'],
    );
    r.gauge(
      'ftpwire_proxy_tls_certificate_expiry_timestamp_seconds',
      'When the certificate shown to new sessions expires (Unix time).',
      [],
      (g) => {
        if (this.certificateExpiry !== undefined) g.labels().set(this.certificateExpiry);
      },
    );
    this.draining = r.gauge(
      'ftpwire_proxy_draining',
      'Whether the proxy is draining: no new sessions, running transfers finishing.',
    );
    r.gauge('ftpwire_proxy_data_channels_open', 'Data channels waiting or relaying.', [], (g) =>
      g.labels().set(source().dataChannels),
    );
    r.gauge('ftpwire_proxy_passive_ports_in_use', 'Ports of the passive range in use.', [], (g) =>
      g.labels().set(source().passivePorts),
    );
    this.observer = this.#observer();
  }

  #observer(): SessionObserver {
    // Children resolved up front: commands and replies are counted without building a key.
    const commands = new Map<string, { forwarded: CounterChild; answered: CounterChild }>();
    const classes = [...new Set([...VERB_CLASSES.values(), 'other', 'malformed'])];
    for (const name of classes) {
      commands.set(name, {
        forwarded: this.commands.labels(name, 'forwarded'),
        answered: this.commands.labels(name, 'answered'),
      });
    }
    const replies = (source: string) =>
      ['1xx', '2xx', '3xx', '4xx', '5xx'].map((name) => this.replies.labels(source, name));
    const fromServer = replies('server');
    const fromProxy = replies('proxy');
    const accepted = this.logins.labels('accepted');
    const refused = this.logins.labels('refused');
    const latency = this.replyLatency;
    return {
      command: (verb, outcome) => {
        commands.get(verbClass(verb))![outcome].inc();
      },
      reply: (code, source) => {
        (source === 'server' ? fromServer : fromProxy)[Math.floor(code / 100) - 1]?.inc();
      },
      rewrite: (what) => this.rewrites.labels(what).inc(),
      withheld: (code) => this.withheld.labels(String(code)).inc(),
      login: (ok) => (ok ? accepted : refused).inc(),
      now: () => performance.now(),
      replyLatency: (ms) => latency.observe(ms / 1000),
    };
  }

  /** Marks the upstream reachable or not (a session's connect and greeting, a health check). */
  upstream(endpoint: string, up: boolean, reason?: string): void {
    this.upstreamUp.labels(endpoint).set(up ? 1 : 0);
    if (!up) this.upstreamFailures.labels(endpoint, reason ?? 'unknown').inc();
  }
}
