import {
  type HostPort,
  isIPv4,
  isPrivateAddress,
  normalizeAddress,
  parseIPv4,
} from '@ftpwire/address';
import { DEFAULT_MAX_LINE_LENGTH } from '@ftpwire/lines';
import { NatError } from './errors.js';
import { ipv4Text } from './tuple.js';

/**
 * Private (as the server sees itself) to public host, as pyftpdlib's `masquerade_address_map`:
 * a `Map`, a record, or a function that returns `undefined` for hosts it does not map.
 *
 * @example
 * ```ts
 * import { type HostMap, ReplyRewriter } from '@ftpwire/nat';
 *
 * // Two servers behind one NAT, each with its own public address.
 * const hostMap: HostMap = { '10.0.1.121': '193.21.1.121', '10.0.1.122': '193.21.1.122' };
 * let sent = '';
 * new ReplyRewriter({ hostMap }).push(
 *   new TextEncoder().encode('227 Entering Passive Mode (10,0,1,122,117,51).\r\n'),
 *   (bytes) => (sent += new TextDecoder().decode(bytes)),
 * );
 * sent; // => '227 Entering Passive Mode (193,21,1,122,117,51).\r\n'
 * ```
 */
export type HostMap =
  | ReadonlyMap<string, string>
  | Readonly<Record<string, string>>
  | ((host: string) => string | undefined);

/**
 * A port forwarding that shifts a whole range: ports `privateStart` to
 * `privateStart + count - 1` are reachable from outside as `publicStart` onwards.
 * Ports outside the range are left as they are.
 *
 * @example
 * ```ts
 * import { type PortRange, ReplyRewriter } from '@ftpwire/nat';
 *
 * // The NAT forwards public ports 40000-40099 to the server's passive range 30000-30099.
 * const portMap: PortRange = { privateStart: 30000, publicStart: 40000, count: 100 };
 * let sent = '';
 * new ReplyRewriter({ publicHost: '193.21.1.121', portMap }).push(
 *   new TextEncoder().encode('227 Entering Passive Mode (10,0,1,121,117,51).\r\n'), // port 30003
 *   (bytes) => (sent += new TextDecoder().decode(bytes)),
 * );
 * sent; // => '227 Entering Passive Mode (193,21,1,121,156,67).\r\n'
 * ```
 */
export interface PortRange {
  /** The first port of the server's range, as the server advertises it. */
  readonly privateStart: number;
  /** The port `privateStart` is reachable at from outside. */
  readonly publicStart: number;
  /** How many ports the forwarding covers, at least 1. */
  readonly count: number;
}

/**
 * Port translation: a {@link PortRange}, or a function from the port (and host) a peer named
 * to the port to advertise instead (`undefined` keeps the port).
 *
 * @example
 * ```ts
 * import { type PortMap, ReplyRewriter } from '@ftpwire/nat';
 *
 * // Only the second server's ports are shifted; the other servers keep theirs.
 * const portMap: PortMap = (port, host) => (host === '10.0.1.122' ? port + 10000 : undefined);
 * let sent = '';
 * new ReplyRewriter({ publicHost: '193.21.1.121', portMap }).push(
 *   new TextEncoder().encode('227 Entering Passive Mode (10,0,1,122,117,51).\r\n'), // port 30003
 *   (bytes) => (sent += new TextDecoder().decode(bytes)),
 * );
 * sent; // => '227 Entering Passive Mode (193,21,1,121,156,67).\r\n'
 * ```
 */
export type PortMap = PortRange | ((port: number, host: string) => number | undefined);

/**
 * Whether the session reads the control stream (`clear`) or only passes it on (`secure`,
 * after AUTH TLS): once the stream is TLS, no address in it can be rewritten.
 *
 * @example
 * ```ts
 * import { NatRewriter, type NatState } from '@ftpwire/nat';
 *
 * const states: NatState[] = [];
 * const nat = new NatRewriter({ onStateChange: (event) => states.push(event.state) });
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * nat.replies.push(bytes('220 ready\r\n'), () => {});
 * nat.commands.push(bytes('AUTH TLS\r\n'), () => {});
 * nat.replies.push(bytes('234 Proceed with negotiation.\r\n'), () => {});
 * nat.state; // => 'secure'
 * // Told that CCC (RFC 2228) ended TLS on the control connection:
 * nat.resumeClear();
 * states; // => ['secure', 'clear']
 * ```
 */
export type NatState = 'clear' | 'secure';

/**
 * `reply`: server to client; `command`: client to server.
 *
 * @example
 * ```ts
 * import { type NatDirection, NatRewriter } from '@ftpwire/nat';
 *
 * const rewrites: Record<NatDirection, number> = { reply: 0, command: 0 };
 * const nat = new NatRewriter({
 *   publicHost: '193.21.1.121',
 *   clientAddress: '192.168.1.20',
 *   clientPublicHost: '198.51.100.7',
 *   onRewrite: (event) => rewrites[event.direction]++,
 * });
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * nat.replies.push(bytes('220 ready\r\n'), () => {});
 * nat.commands.push(bytes('PORT 192,168,1,20,195,80\r\nPASV\r\n'), () => {});
 * nat.replies.push(bytes('200 PORT ok\r\n227 Passive (10,0,1,121,117,51)\r\n'), () => {});
 * rewrites; // => { reply: 1, command: 1 }
 * ```
 */
export type NatDirection = 'reply' | 'command';

/**
 * One line the session changed, for logs and audits.
 *
 * @example
 * ```ts
 * import { NatRewriter, type RewriteEvent } from '@ftpwire/nat';
 *
 * const events: RewriteEvent[] = [];
 * const nat = new NatRewriter({ publicHost: '193.21.1.121', onRewrite: (e) => events.push(e) });
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * nat.replies.push(bytes('220 ready\r\n'), () => {});
 * nat.commands.push(bytes('PASV\r\n'), () => {});
 * nat.replies.push(bytes('227 Entering Passive Mode (10,0,1,121,117,51).\r\n'), () => {});
 * events.map((e) => `${e.direction} @${e.offset}: ${e.original?.host} -> ${e.rewritten?.host}`);
 * // => ['reply @11: 10.0.1.121 -> 193.21.1.121']
 * events[0]?.after; // => '227 Entering Passive Mode (193,21,1,121,117,51).'
 * ```
 */
export interface RewriteEvent {
  /** Which stream the line was on. */
  readonly direction: NatDirection;
  /** The line as received, without its terminator. */
  readonly before: string;
  /** The line as sent on, without its terminator. */
  readonly after: string;
  /** Offset of the line's first byte in the direction's input stream. */
  readonly offset: number;
  /**
   * The data address the line named (for a 229 turned into a 227, the host is `''`: EPSV
   * names none). Absent for a PASV sent on as EPSV.
   */
  readonly original?: HostPort;
  /** The data address it names now. Absent for a PASV sent on as EPSV. */
  readonly rewritten?: HostPort;
}

/**
 * Why a line that names a data address was passed on unchanged.
 * - `unsolicited`: a 227 that answers no PASV (never rewritten: anyone can send one).
 * - `multi-line`: a PASV answered by a multi-line reply (RFC 959 §4.2 allows it; a rewrite there is ambiguous).
 * - `unparsable`: the address does not decode (the peer will refuse or fail on it too).
 * - `public-host`: the advertised host is public and `rewriteHosts` is `'private'`.
 * - `unmapped`: no host map entry and no `publicHost`, or no `clientPublicHost`.
 * - `foreign-host`: a PORT or EPRT naming a host other than `clientAddress` (an FTP bounce, RFC 2577) with `bounce: 'pass'`.
 * - `family-mismatch`: the public host cannot be written in this form (an IPv6 host in PORT).
 *
 * @example
 * ```ts
 * import { NatRewriter, type SkipReason } from '@ftpwire/nat';
 *
 * // Count why address lines went through untouched: a misconfiguration shows up here.
 * const reasons: SkipReason[] = [];
 * const nat = new NatRewriter({
 *   publicHost: '193.21.1.121',
 *   onSkip: (event) => reasons.push(event.reason),
 * });
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * nat.replies.push(bytes('220 ready\r\n'), () => {});
 * nat.commands.push(bytes('PASV\r\n'), () => {});
 * // The server already advertises a public address, which `rewriteHosts: 'private'` keeps.
 * nat.replies.push(bytes('227 Entering Passive Mode (193,21,1,9,117,51).\r\n'), () => {});
 * reasons; // => ['public-host']
 * ```
 */
export type SkipReason =
  | 'unsolicited'
  | 'multi-line'
  | 'unparsable'
  | 'public-host'
  | 'unmapped'
  | 'foreign-host'
  | 'family-mismatch';

/**
 * A line that names a data address and was passed on unchanged, and why.
 *
 * @example
 * ```ts
 * import { NatRewriter, type SkipEvent } from '@ftpwire/nat';
 *
 * const skipped: SkipEvent[] = [];
 * const nat = new NatRewriter({ publicHost: '193.21.1.121', onSkip: (e) => skipped.push(e) });
 * // A 227 before any PASV answers nothing: anyone could have sent it, so it is left alone.
 * nat.replies.push(new TextEncoder().encode('227 Passive (10,0,1,121,117,51)\r\n'), () => {});
 * skipped; // => [{ direction: 'reply', reason: 'unsolicited', offset: 0 }]
 * ```
 */
export interface SkipEvent {
  /** Which stream the line was on. */
  readonly direction: NatDirection;
  /** Why it was not rewritten. */
  readonly reason: SkipReason;
  /**
   * The line without its terminator, for lines the session read whole (all reasons but
   * `unsolicited` and `multi-line`, whose lines pass without being held).
   */
  readonly line?: string;
  /** Offset of the line's first byte in the direction's input stream. */
  readonly offset: number;
}

/**
 * The session switched between reading the stream and passing it on.
 *
 * @example
 * ```ts
 * import { NatRewriter, type StateChangeEvent } from '@ftpwire/nat';
 *
 * const changes: StateChangeEvent[] = [];
 * const nat = new NatRewriter({ onStateChange: (event) => changes.push(event) });
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * nat.replies.push(bytes('220 ready\r\n'), () => {});
 * nat.commands.push(bytes('AUTH TLS\r\n'), () => {});
 * nat.replies.push(bytes('234 Proceed with negotiation.\r\n'), () => {});
 * changes; // => [{ state: 'secure', offset: 11 }]
 * ```
 */
export interface StateChangeEvent {
  /** The state the session is in from now on. */
  readonly state: NatState;
  /**
   * Offset in the server-to-client stream: of the 234 reply that made the stream secure, or
   * of the next byte when `resumeClear()` was called.
   */
  readonly offset: number;
}

/**
 * What a session rewrites, and how it reports. Every field is optional and checked when the
 * session is made (`NatError` `ERR_INVALID_OPTION`); with none, the session rewrites
 * nothing and only tracks the stream.
 *
 * @example
 * ```ts
 * import { NatRewriter, type NatOptions } from '@ftpwire/nat';
 *
 * // In front of a server at 10.0.1.121 whose passive ports 30000-30099 are forwarded as
 * // 40000-40099; the client is at 198.51.100.7 and may not aim PORT at anyone else.
 * const options: NatOptions = {
 *   publicHost: '193.21.1.121',
 *   portMap: { privateStart: 30000, publicStart: 40000, count: 100 },
 *   clientAddress: '198.51.100.7',
 *   bounce: 'refuse',
 *   maxLineLength: 1024,
 * };
 * const nat = new NatRewriter(options);
 * let sent = '';
 * const send = (bytes: Uint8Array) => (sent += new TextDecoder().decode(bytes));
 * nat.replies.push(new TextEncoder().encode('220 ready\r\n'), send);
 * nat.commands.push(new TextEncoder().encode('EPSV\r\nPASV\r\n'), () => {});
 * nat.replies.push(new TextEncoder().encode('229 Extended (|||30004|)\r\n'), send);
 * nat.replies.push(new TextEncoder().encode('227 Passive (10,0,1,121,117,52)\r\n'), send);
 * sent; // => '220 ready\r\n229 Extended (|||30004|)\r\n227 Passive (193,21,1,121,156,68)\r\n'
 * nat.commands.push(new TextEncoder().encode('PORT 203,0,113,9,195,80\r\n'), () => {});
 * // throws NatError ERR_BOUNCE_REFUSED
 * ```
 */
export interface NatOptions {
  /**
   * The IPv4 address to advertise in 227 replies instead of the server's (the NAT's public
   * address). Default none: only `hostMap` entries are rewritten.
   */
  readonly publicHost?: string;
  /**
   * Per-host translation, consulted before `publicHost`: a map or record from the address
   * the server advertises to the address to advertise, or a function (`undefined`: no entry).
   * Entries apply whatever `rewriteHosts` says. Default none.
   */
  readonly hostMap?: HostMap;
  /** Port translation for 227 replies (port forwarding to another range). Default none. */
  readonly portMap?: PortMap;
  /**
   * Which advertised hosts `publicHost` replaces: `'private'` (default) only addresses no peer
   * across the internet can reach (RFC 1918, shared `100.64/10`, link-local, loopback,
   * `0.0.0.0`), so a server that already advertises a public address is left alone; `'all'`
   * every one.
   */
  readonly rewriteHosts?: 'private' | 'all';
  /**
   * Answer a client's PASV by sending the server EPSV and replying with a 227 built from
   * `publicHost` and the EPSV port: for servers that advertise an unusable address and
   * clients that only do PASV. Needs `publicHost` and a server that implements EPSV
   * (RFC 2428); a server's refusal reaches the client as the answer to its PASV. Default false.
   */
  readonly pasvViaEpsv?: boolean;
  /**
   * The client's address as the NAT sees it (the source of the control connection, usually
   * private). A PORT or EPRT naming another host is an FTP bounce (RFC 2577). Default none:
   * no PORT or EPRT is rewritten.
   */
  readonly clientAddress?: string;
  /**
   * For active mode behind a client-side NAT: the client's public address, put into PORT
   * and EPRT commands that name `clientAddress`. Needs `clientAddress`. Default none.
   */
  readonly clientPublicHost?: string;
  /** Port translation for PORT and EPRT commands that are rewritten. Default none. */
  readonly clientPortMap?: PortMap;
  /**
   * What to do with a PORT or EPRT naming a host other than `clientAddress`: `'pass'`
   * (default) it unchanged and report it to `onSkip`, as Linux's FTP helper does, or
   * `'refuse'` it with `ERR_BOUNCE_REFUSED`.
   */
  readonly bounce?: 'pass' | 'refuse';
  /**
   * Longest line the session holds to read whole, in bytes, terminator excluded. Default
   * 8192, as CPython's ftplib. Lines that need no reading are never held, whatever their length.
   */
  readonly maxLineLength?: number;
  /**
   * Most commands awaiting a reply. Default 4096: far above what pipelining clients send
   * ahead, yet bounds what a client that never reads replies can make the session keep.
   */
  readonly maxPendingCommands?: number;
  /**
   * Also end a multi-line reply at a line that starts with another code and a space, as curl
   * and Apache commons-net read replies (`ReplyParserOptions.lenientClose` of
   * `@ftpwire/reply`): glFTPd answers a STOR with `553-` lines and then `150 Opening …`, and
   * read strictly that reply never ends, so no later 227 would be rewritten. Default false
   * (RFC 959 §4.2).
   */
  readonly lenientClose?: boolean;
  /** Called for every line changed, before it is sent on. */
  readonly onRewrite?: (event: RewriteEvent) => void;
  /** Called for every line naming a data address that is passed on unchanged. */
  readonly onSkip?: (event: SkipEvent) => void;
  /** Called when the session starts or stops reading the stream (AUTH TLS, `resumeClear()`). */
  readonly onStateChange?: (event: StateChangeEvent) => void;
}

function invalid(message: string, cause?: unknown): NatError {
  return new NatError('ERR_INVALID_OPTION', message, 0, cause ? { cause } : undefined);
}

function checkAddress(name: string, value: string): string {
  try {
    return normalizeAddress(value);
  } catch (error) {
    throw invalid(`${name} must be an IPv4 or IPv6 address, got ${JSON.stringify(value)}`, error);
  }
}

function checkIPv4(name: string, value: string): string {
  const host = checkAddress(name, value);
  try {
    parseIPv4(host);
  } catch (error) {
    throw invalid(`${name} must be an IPv4 address (227 carries only IPv4), got ${value}`, error);
  }
  return host;
}

function checkPositive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw invalid(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}

type ResolvedPortMap = (port: number, host: string) => number;

function resolvePortMap(name: string, map: PortMap | undefined): ResolvedPortMap | undefined {
  if (map === undefined) return undefined;
  if (typeof map === 'function') {
    // The result is checked where the offset of the line is known.
    return (port, host) => map(port, host) ?? port;
  }
  const { privateStart, publicStart, count } = map;
  if (
    !isPort(privateStart) ||
    !isPort(publicStart) ||
    !Number.isInteger(count) ||
    count < 1 ||
    privateStart + count > 65536 ||
    publicStart + count > 65536
  ) {
    throw invalid(`${name} must be a range of ports 1-65535, got ${JSON.stringify(map)}`);
  }
  return (port) =>
    port >= privateStart && port < privateStart + count ? publicStart + port - privateStart : port;
}

/** A host map as the session uses it: a table of targets by IPv4 value, or the user's function. */
type ResolvedHostMap = ReadonlyMap<number, PassiveTarget> | ((host: string) => string | undefined);

function resolveHostMap(map: HostMap | undefined): ResolvedHostMap | undefined {
  if (map === undefined) return undefined;
  if (typeof map === 'function') return map;
  const entries: Iterable<readonly [string, string]> =
    map instanceof Map ? map.entries() : Object.entries(map);
  const table = new Map<number, PassiveTarget>();
  for (const [from, to] of entries) {
    const key = checkAddress('hostMap key', from);
    const target = passiveTarget(checkIPv4(`hostMap[${from}]`, to), 0);
    // A 227 carries only IPv4: entries for other hosts can never apply.
    if (isIPv4(key)) table.set(passiveTarget(key, 0).value, target);
  }
  return table;
}

/** What a session or reply stream needs from its options, checked once. */
export class ResolvedOptions {
  readonly maxLineLength: number;
  readonly maxPendingCommands: number;
  readonly pasvViaEpsv: boolean;
  readonly lenientClose: boolean;
  readonly refuseBounce: boolean;
  readonly onRewrite: ((event: RewriteEvent) => void) | undefined;
  readonly onSkip: ((event: SkipEvent) => void) | undefined;
  readonly onStateChange: ((event: StateChangeEvent) => void) | undefined;
  readonly #publicHost: string | undefined;
  readonly #publicTarget: PassiveTarget | undefined;
  readonly #allHosts: boolean;
  readonly #hostMap: ResolvedHostMap | undefined;
  /** Remembered `passiveHost` answers, unless the host map is a function. */
  readonly #passiveCache: Map<number, PassiveTarget | SkipReason> | undefined;
  readonly #portMap: ResolvedPortMap | undefined;
  readonly #clientAddress: string | undefined;
  readonly #clientPublicHost: string | undefined;
  readonly #clientPortMap: ResolvedPortMap | undefined;

  constructor(options: NatOptions) {
    this.maxLineLength = checkPositive(
      'maxLineLength',
      options.maxLineLength,
      DEFAULT_MAX_LINE_LENGTH,
    );
    this.maxPendingCommands = checkPositive('maxPendingCommands', options.maxPendingCommands, 4096);
    this.#publicHost =
      options.publicHost === undefined ? undefined : checkIPv4('publicHost', options.publicHost);
    this.#publicTarget =
      this.#publicHost === undefined ? undefined : passiveTarget(this.#publicHost, 0);
    this.#hostMap = resolveHostMap(options.hostMap);
    this.#passiveCache = typeof options.hostMap === 'function' ? undefined : new Map();
    this.#portMap = resolvePortMap('portMap', options.portMap);
    const scope = options.rewriteHosts ?? 'private';
    if (scope !== 'private' && scope !== 'all') {
      throw invalid(`rewriteHosts must be 'private' or 'all', got ${JSON.stringify(scope)}`);
    }
    this.#allHosts = scope === 'all';
    this.pasvViaEpsv = options.pasvViaEpsv ?? false;
    this.lenientClose = options.lenientClose ?? false;
    if (this.pasvViaEpsv && this.#publicHost === undefined) {
      throw invalid('pasvViaEpsv needs publicHost: an EPSV reply carries no host');
    }
    this.#clientAddress =
      options.clientAddress === undefined
        ? undefined
        : checkAddress('clientAddress', options.clientAddress);
    this.#clientPublicHost =
      options.clientPublicHost === undefined
        ? undefined
        : checkAddress('clientPublicHost', options.clientPublicHost);
    if (this.#clientPublicHost !== undefined && this.#clientAddress === undefined) {
      throw invalid(
        'clientPublicHost needs clientAddress: only commands naming the client itself are rewritten',
      );
    }
    this.#clientPortMap = resolvePortMap('clientPortMap', options.clientPortMap);
    const bounce = options.bounce ?? 'pass';
    if (bounce !== 'pass' && bounce !== 'refuse') {
      throw invalid(`bounce must be 'pass' or 'refuse', got ${JSON.stringify(bounce)}`);
    }
    this.refuseBounce = bounce === 'refuse';
    this.onRewrite = options.onRewrite;
    this.onSkip = options.onSkip;
    this.onStateChange = options.onStateChange;
  }

  /**
   * The host a 227 should advertise instead of the IPv4 host `advertised` (an unsigned 32-bit
   * value), or why it stays. Answers from `publicHost` and host map tables are remembered per
   * host (a server advertises the same few); a host map function is asked every time.
   */
  passiveHost(advertised: number, offset: number): PassiveTarget | SkipReason {
    const cached = this.#passiveCache?.get(advertised);
    if (cached !== undefined) return cached;
    const map = this.#hostMap;
    let target: PassiveTarget | SkipReason | undefined;
    if (typeof map === 'function') {
      const mapped = map(ipv4Text(advertised));
      if (mapped !== undefined) target = passiveTarget(mapped, offset);
    } else {
      target = map?.get(advertised);
    }
    if (target === undefined) {
      if (this.#publicTarget === undefined) target = 'unmapped';
      else if (!this.#allHosts && !isHidden(ipv4Text(advertised))) target = 'public-host';
      else target = this.#publicTarget;
    }
    if (this.#passiveCache) {
      // Bounded: a server that advertises endless hosts costs lookups, not memory.
      if (this.#passiveCache.size >= 256) this.#passiveCache.clear();
      this.#passiveCache.set(advertised, target);
    }
    return target;
  }

  /** The port a 227 should advertise instead of `port` (`portMap`). */
  passivePort(port: number, advertised: number, offset: number): number {
    if (this.#portMap === undefined) return port;
    const mapped = this.#portMap(port, ipv4Text(advertised));
    if (!isPort(mapped)) {
      throw new NatError(
        'ERR_INVALID_MAPPING',
        `portMap gave ${mapped} for port ${port}, not a port 1-65535`,
        offset,
      );
    }
    return mapped;
  }

  /** The address a 227 built from an EPSV port advertises. */
  mapEpsvPort(port: number, offset: number): HostPort {
    const host = this.#publicHost!;
    const mapped = this.#portMap ? this.#portMap(port, host) : port;
    if (!isPort(mapped)) {
      throw new NatError(
        'ERR_INVALID_MAPPING',
        `portMap gave ${mapped} for port ${port}, not a port 1-65535`,
        offset,
      );
    }
    return { host, port: mapped };
  }

  /**
   * What a PORT or EPRT naming `original` should name instead: a host port; `'foreign-host'`
   * for a bounce; undefined when there is nothing to do (no `clientAddress`, or no
   * `clientPublicHost` for a command naming the client).
   */
  mapActive(original: HostPort, offset: number): HostPort | SkipReason | undefined {
    if (this.#clientAddress === undefined) return undefined;
    if (normalizeAddress(original.host) !== this.#clientAddress) return 'foreign-host';
    if (this.#clientPublicHost === undefined) return undefined;
    const port = this.#clientPortMap
      ? this.#clientPortMap(original.port, original.host)
      : original.port;
    if (!isPort(port)) {
      throw new NatError(
        'ERR_INVALID_MAPPING',
        `clientPortMap gave ${port} for port ${original.port}, not a port 1-65535`,
        offset,
      );
    }
    return { host: this.#clientPublicHost, port };
  }
}

/**
 * IPv4 addresses a NAT hides, or `0.0.0.0` ("wherever you reached me", what a server bound
 * to all interfaces may advertise): never useful across the internet.
 */
function isHidden(host: string): boolean {
  return host === '0.0.0.0' || isPrivateAddress(host);
}

/** What a 227 advertises instead: the host, its value and its `h1,h2,h3,h4` bytes. */
export interface PassiveTarget {
  readonly host: string;
  readonly value: number;
  readonly tuple: Uint8Array;
}

function passiveTarget(host: string, offset: number): PassiveTarget {
  let numbers: Uint8Array;
  try {
    // What a 227 can carry: an IPv4 host, or an IPv4-mapped IPv6 one as its IPv4 address.
    numbers = parseIPv4(normalizeAddress(host));
  } catch (error) {
    throw new NatError(
      'ERR_INVALID_MAPPING',
      `a 227 reply carries an IPv4 host, the host map gave ${JSON.stringify(host)}`,
      offset,
      { cause: error },
    );
  }
  const text = numbers.join(',');
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return {
    host: numbers.join('.'),
    value: ((numbers[0]! << 24) | (numbers[1]! << 16) | (numbers[2]! << 8) | numbers[3]!) >>> 0,
    tuple: bytes,
  };
}
