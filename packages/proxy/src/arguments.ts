import { isIP } from 'node:net';
import { withConfigFile } from './config-file.js';
import { ProxyError, quote } from './errors.js';
import type { LogFormat } from './log.js';
import { OPTION_ALIASES, optionsHelp, OPTION_SPEC_BY_NAME as SPECS } from './option-specs.js';
import type {
  ActiveMode,
  Endpoint,
  PassiveMode,
  PortRange,
  ProxyOptions,
  UpstreamTlsOptions,
} from './options.js';
import { checkPublicHost, MAX_TIMEOUT } from './options.js';

/**
 * Options as given on the command line: files are named, not yet read, so parsing stays
 * free of I/O and testable.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { type ProxyArguments, type ProxyOptions, parseProxyArguments } from '@ftpwire/proxy';
 *
 * // What the CLI does next: read the named PEM files into the options.
 * function toOptions(args: ProxyArguments): ProxyOptions {
 *   const { tlsCertFile, tlsKeyFile } = args;
 *   if (tlsCertFile === undefined || tlsKeyFile === undefined) return args.options;
 *   const tls = { cert: readFileSync(tlsCertFile), key: readFileSync(tlsKeyFile) };
 *   return { ...args.options, tls };
 * }
 * const parsed = parseProxyArguments(['--upstream', '127.0.0.1:2121', '--quiet']);
 * if (parsed.command !== 'run') throw new Error('expected options to run with');
 * toOptions(parsed).listen; // => { host: '127.0.0.1', port: 2100 }
 * parsed.quiet; // => true
 * ```
 */
export interface ProxyArguments {
  /** Everything but the TLS material, which `cli.ts` reads from the named files. */
  readonly options: Omit<ProxyOptions, 'tls' | 'upstreamTls' | 'log'> & {
    /**
     * `verify: false` with `--insecure-upstream`, `mode` from `--upstream-tls`; a CA file is
     * only named (`upstreamCaFile`).
     */
    readonly upstreamTls: Pick<UpstreamTlsOptions, 'verify' | 'mode'>;
  };
  /** `--tls-cert`: the PEM certificate shown to clients; set together with `tlsKeyFile`. */
  readonly tlsCertFile: string | undefined;
  /** `--tls-key`: the PEM key of `tlsCertFile`. */
  readonly tlsKeyFile: string | undefined;
  /** `--upstream-ca`: PEM certificates to trust for the server instead of Node's. */
  readonly upstreamCaFile: string | undefined;
  /** Log session lines only when they report an error (`--quiet`). */
  readonly quiet: boolean;
  /** `--log-format`: absent for `text`, the default. */
  readonly logFormat?: LogFormat;
}

/**
 * What the command line asks for: help, the version, or a proxy to run.
 *
 * @example
 * ```ts
 * import { type ParsedArguments, parseProxyArguments, USAGE } from '@ftpwire/proxy';
 *
 * function respond(parsed: ParsedArguments): string {
 *   switch (parsed.command) {
 *     case 'help':
 *       return USAGE;
 *     case 'version':
 *       return 'ftpwire-proxy 0.1.0\n';
 *     case 'run':
 *       return `relaying to ${parsed.options.upstream.host}`;
 *   }
 * }
 * respond(parseProxyArguments(['-h'])) === USAGE; // => true
 * respond(parseProxyArguments(['--upstream=10.0.1.121:21'])); // => 'relaying to 10.0.1.121'
 * ```
 */
export type ParsedArguments =
  | {
      /** `--help` or `-h`: print {@link USAGE}. */
      readonly command: 'help';
    }
  | {
      /** `--version`: print the version. */
      readonly command: 'version';
    }
  | ({
      /** Run a proxy with these options. */
      readonly command: 'run';
    } & ProxyArguments);

/**
 * The CLI's `--help` text: every option with its default, and an example command line.
 *
 * @example
 * ```ts
 * import { USAGE } from '@ftpwire/proxy';
 *
 * // A program embedding the CLI's argument parsing prints it for --help.
 * USAGE.split('\n')[0]; // => 'Usage: ftpwire-proxy --upstream HOST:PORT [options]'
 * USAGE.includes('--passive-ports MIN-MAX'); // => true
 * ```
 */
export const USAGE: string = `Usage: ftpwire-proxy --upstream HOST:PORT [options]

An FTP/FTPS gateway: relays clients to an FTP server, rewrites the passive
address (227) to --public-host on the clear control stream, relays data
connections, and terminates TLS when given a certificate. Every command is
parsed and re-formatted before the server sees it; commands the proxy does
not know are answered 502 unless --allow-verb lets them through.

Options:
${optionsHelp()}

Timeouts are at most 2147483 seconds (what Node's timers can count).

Logs: one event per session event and per rewrite on stderr, each with an
ISO 8601 UTC time: a line of text, or with --log-format json a JSON object
with the keys time, level, session, client, upstream, event, message, fields.

Signals: SIGTERM drains: the proxy stops accepting, lets running transfers
finish for up to --drain-timeout, ends each session with 421 and exits once
all are closed. SIGINT ends every session with 421 at once. A second signal
exits at once with 1. SIGHUP re-reads --tls-cert, --tls-key and --upstream-ca
for new sessions; running ones keep theirs, and a file that does not load is
logged and the previous material kept.
Exit status: 0 after SIGINT or SIGTERM, 1 when it cannot listen or fails,
2 for a bad option or file.

Example:
  ftpwire-proxy --listen 127.0.0.3:2100 --upstream 127.0.0.1:2121 \\
    --public-host 127.0.0.3 --passive-ports 40000-40099 \\
    --tls-cert proxy.crt --tls-key proxy.key
`;

/**
 * Options as read off the command line before any value is checked: each option's values (one
 * unless repeatable; `''` for a flag) with the index of the argument it came from, for errors.
 */
export type RawArguments = ReadonlyMap<string, readonly { value: string; index: number }[]>;

function invalid(message: string, index: number): ProxyError {
  return new ProxyError('ERR_INVALID_OPTION', message, index);
}

/** Decimal digits only, so "1e3", " 21", "0x15" and "21.0" are all refused. */
function parseDecimal(text: string): number | undefined {
  if (text.length === 0 || text.length > 9) return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  return Number(text);
}

function parsePort(text: string, name: string, index: number, allowZero: boolean): number {
  const port = parseDecimal(text);
  if (port === undefined || port > 65535 || port < (allowZero ? 0 : 1)) {
    throw invalid(`${name} expects a port ${allowZero ? 0 : 1}-65535, got ${quote(text)}`, index);
  }
  return port;
}

/** `HOST:PORT`, `[IPV6]:PORT`. */
export function parseEndpoint(text: string, name: string, index = -1, allowZero = false): Endpoint {
  let host: string;
  let portText: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0 || text.charCodeAt(close + 1) !== 0x3a) {
      throw invalid(`${name} expects [IPV6]:PORT, got ${quote(text)}`, index);
    }
    host = text.slice(1, close);
    portText = text.slice(close + 2);
    if (isIP(host) !== 6)
      throw invalid(`${name} expects an IPv6 address in [], got ${quote(host)}`, index);
  } else {
    const colon = text.lastIndexOf(':');
    if (colon <= 0) throw invalid(`${name} expects HOST:PORT, got ${quote(text)}`, index);
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (host.includes(':')) {
      throw invalid(
        `${name} expects an IPv6 host in brackets ([::1]:21), got ${quote(text)}`,
        index,
      );
    }
  }
  return { host, port: parsePort(portText, name, index, allowZero) };
}

/** `MIN-MAX`, or a single port. */
export function parsePortRange(text: string, name: string, index = -1): PortRange {
  const dash = text.indexOf('-');
  const min = parsePort(dash < 0 ? text : text.slice(0, dash), name, index, false);
  const max = dash < 0 ? min : parsePort(text.slice(dash + 1), name, index, false);
  if (min > max)
    throw invalid(`${name} expects MIN-MAX with MIN <= MAX, got ${quote(text)}`, index);
  return { min, max };
}

function parseSeconds(text: string, name: string, index: number): number {
  // Digits with at most one point: no exponent, sign or spaces.
  const point = text.indexOf('.');
  const whole = parseDecimal(point < 0 ? text : text.slice(0, point));
  const fraction = point < 0 ? 0 : parseDecimal(text.slice(point + 1));
  if (whole === undefined || fraction === undefined) {
    throw invalid(`${name} expects a number of seconds, got ${quote(text)}`, index);
  }
  const ms = Math.round(Number(text) * 1000);
  if (ms < 1) throw invalid(`${name} must be above 0, got ${quote(text)}`, index);
  if (ms > MAX_TIMEOUT) {
    // Node would clamp the timer to 1 ms and end every session at once.
    throw invalid(
      `${name} must be at most ${Math.floor(MAX_TIMEOUT / 1000)} seconds, got ${quote(text)}`,
      index,
    );
  }
  return ms;
}

function parseChoice<T extends string>(
  text: string,
  name: string,
  index: number,
  choices: readonly T[],
): T {
  const found = choices.find((choice) => choice === text);
  if (found === undefined) {
    throw invalid(`${name} expects ${choices.join(' or ')}, got ${quote(text)}`, index);
  }
  return found;
}

/**
 * Reads `ftpwire-proxy`'s command line (`process.argv.slice(2)`). Throws `ERR_INVALID_OPTION`
 * with the index of the offending argument as `offset`. Values are checked as far as the
 * command line can tell (ports, addresses, a `--public-host` when listening on all
 * interfaces); files are only named, and `FtpProxy` checks the rest.
 *
 * With `--config FILE`, `readConfig(FILE)` gives the file's text: a JSON object whose keys are
 * the long option names without `--` (`{"upstream": "10.0.1.121:21", "allow-verb": ["SITE"],
 * "quiet": true}`). Options on the command line replace the file's. An error about a value
 * from the file names the file and the key, with `offset` -1.
 *
 * @example
 * ```ts
 * import { parseProxyArguments } from '@ftpwire/proxy';
 *
 * const parsed = parseProxyArguments([
 *   '--listen', '0.0.0.0:2100',
 *   '--upstream', '10.0.1.121:21',
 *   '--public-host', '193.21.1.121',
 *   '--passive-ports', '40000-40099',
 * ]);
 * if (parsed.command !== 'run') throw new Error('expected options to run with');
 * parsed.options.upstream; // => { host: '10.0.1.121', port: 21 }
 * parsed.options.passivePorts; // => { min: 40000, max: 40099 }
 * parseProxyArguments(['--help']); // => { command: 'help' }
 * // A port is required; the offset is the index of the offending argument.
 * parseProxyArguments(['--upstream', 'ftp.example.com']);
 * // throws ProxyError ERR_INVALID_OPTION at offset 1
 *
 * // A config file (the CLI reads it with readFileSync); the command line wins.
 * const files: Record<string, string> = {
 *   'proxy.json': '{"upstream": "10.0.1.121:21", "passive-ports": "40000-40099", "quiet": true}',
 * };
 * const configured = parseProxyArguments(
 *   ['--config', 'proxy.json', '--passive-ports', '50000-50009'],
 *   (path) => files[path]!,
 * );
 * if (configured.command !== 'run') throw new Error('expected options to run with');
 * configured.options.passivePorts; // => { min: 50000, max: 50009 }
 * configured.quiet; // => true
 * parseProxyArguments(['--config', 'proxy.json'], () => '{"upstream": "10.0.1.121:21", "bogus": 1}');
 * // throws ProxyError ERR_INVALID_OPTION
 * ```
 */
export function parseProxyArguments(
  argv: readonly string[],
  readConfig?: (path: string) => string,
): ParsedArguments {
  const { values, explain } = withConfigFile(readArguments(argv), readConfig);
  try {
    return interpretArguments(values);
  } catch (error) {
    throw error instanceof ProxyError ? explain(error) : error;
  }
}

/** Splits the command line into options by the table, refusing unknown ones and repeats. */
export function readArguments(argv: readonly string[]): RawArguments {
  const values = new Map<string, { value: string; index: number }[]>();
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i]!;
    const equals = argument.startsWith('--') ? argument.indexOf('=') : -1;
    const written = equals < 0 ? argument : argument.slice(0, equals);
    const name = OPTION_ALIASES.get(written) ?? written;
    const spec = SPECS.get(name);
    if (spec === undefined) {
      throw invalid(
        argument.startsWith('-')
          ? `unknown option ${quote(written)}`
          : `unexpected argument ${quote(argument)}`,
        i,
      );
    }
    if (values.has(name) && !spec.repeatable) throw invalid(`${name} given twice`, i);
    let value = '';
    if (spec.value === undefined) {
      if (equals >= 0) throw invalid(`${name} takes no value, got ${quote(argument)}`, i);
    } else if (equals >= 0) {
      value = argument.slice(equals + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw invalid(`${name} needs a value`, i);
      value = next;
      i++;
    }
    values.set(name, [...(values.get(name) ?? []), { value, index: i }]);
  }
  return values;
}

/** Gives the raw options their meaning: checks every value and fills in the defaults. */
export function interpretArguments(values: RawArguments): ParsedArguments {
  const flags = new Set([...values.keys()].filter((name) => SPECS.get(name)?.value === undefined));
  if (flags.has('--help')) return { command: 'help' };
  if (flags.has('--version')) return { command: 'version' };

  const get = (name: string) => values.get(name)?.[0];
  const upstreamArgument = get('--upstream');
  if (upstreamArgument === undefined) throw invalid('--upstream HOST:PORT is required', -1);
  const listenArgument = get('--listen');
  const listen = listenArgument
    ? parseEndpoint(listenArgument.value, '--listen', listenArgument.index, true)
    : { host: '127.0.0.1', port: 2100 };
  if (isIP(listen.host) === 0) {
    throw invalid(
      `--listen expects an IP address, got ${quote(listen.host)}`,
      listenArgument?.index ?? -1,
    );
  }
  const upstream = parseEndpoint(upstreamArgument.value, '--upstream', upstreamArgument.index);

  const publicHostArgument = get('--public-host');
  if (publicHostArgument) {
    try {
      checkPublicHost(publicHostArgument.value, '--public-host');
    } catch (error) {
      throw invalid(
        `${(error as Error).message}${isIP(publicHostArgument.value) === 4 ? '' : ' (227 replies carry only IPv4)'}`,
        publicHostArgument.index,
      );
    }
  }
  if (!publicHostArgument && (isIP(listen.host) !== 4 || listen.host === '0.0.0.0')) {
    throw invalid(`--public-host is needed when listening on ${listen.host}`, -1);
  }
  const passiveModeArgument = get('--passive-mode');
  const passiveMode: PassiveMode = passiveModeArgument
    ? parseChoice(passiveModeArgument.value, '--passive-mode', passiveModeArgument.index, [
        'relay',
        'rewrite',
      ])
    : 'relay';
  const passivePortsArgument = get('--passive-ports');
  if (passivePortsArgument && passiveMode !== 'relay') {
    throw invalid(
      '--passive-ports applies to --passive-mode relay only (with rewrite the server keeps its ports)',
      passivePortsArgument.index,
    );
  }
  const activeModeArgument = get('--active-mode');
  const activeMode: ActiveMode = activeModeArgument
    ? parseChoice(activeModeArgument.value, '--active-mode', activeModeArgument.index, [
        'relay',
        'refuse',
      ])
    : 'relay';

  const cert = get('--tls-cert');
  const key = get('--tls-key');
  if ((cert === undefined) !== (key === undefined)) {
    throw invalid('--tls-cert and --tls-key go together', (cert ?? key)?.index ?? -1);
  }
  const implicitTls = flags.has('--implicit-tls');
  if (implicitTls && cert === undefined)
    throw invalid('--implicit-tls needs --tls-cert and --tls-key', -1);
  const ca = get('--upstream-ca');
  const insecure = flags.has('--insecure-upstream');
  if (insecure && ca)
    throw invalid('--upstream-ca and --insecure-upstream contradict each other', ca.index);
  const upstreamTlsArgument = get('--upstream-tls');
  const upstreamTlsMode = upstreamTlsArgument
    ? parseChoice(upstreamTlsArgument.value, '--upstream-tls', upstreamTlsArgument.index, [
        'match-client',
        'on',
        'off',
      ])
    : undefined;
  if (upstreamTlsMode === 'off' && (ca || insecure)) {
    // A certificate the proxy never checks: the operator meant something else.
    throw invalid(
      `--upstream-tls off speaks no TLS to the server: ${ca ? '--upstream-ca' : '--insecure-upstream'} has no meaning`,
      upstreamTlsArgument!.index,
    );
  }
  const upstreamDataArgument = get('--upstream-data');
  const upstreamData = upstreamDataArgument
    ? parseChoice(upstreamDataArgument.value, '--upstream-data', upstreamDataArgument.index, [
        'client',
        'passive',
        'epsv',
      ])
    : undefined;

  const seconds = (name: string) => {
    const argument = get(name);
    return argument ? parseSeconds(argument.value, name, argument.index) : undefined;
  };
  const count = (name: string) => {
    const argument = get(name);
    if (argument === undefined) return undefined;
    const value = parseDecimal(argument.value);
    if (value === undefined || value < 1) {
      throw invalid(
        `${name} expects a positive integer, got ${quote(argument.value)}`,
        argument.index,
      );
    }
    return value;
  };
  const allowVerbs = (values.get('--allow-verb') ?? []).map(({ value, index }) => {
    // @ftpwire/command parses alphabetic verbs only (RFC 959 §5.3): no other could ever match.
    if (!/^[A-Za-z]{1,16}$/.test(value)) {
      throw invalid(`--allow-verb expects a verb of 1-16 letters, got ${quote(value)}`, index);
    }
    return value.toUpperCase();
  });
  const numbers = {
    connectTimeout: seconds('--connect-timeout'),
    idleTimeout: seconds('--idle-timeout'),
    loginTimeout: seconds('--login-timeout'),
    lineTimeout: seconds('--line-timeout'),
    dataTimeout: seconds('--data-timeout'),
    maxSessions: count('--max-sessions'),
    maxPerIp: count('--max-per-ip'),
    drainTimeout: seconds('--drain-timeout'),
  };
  const given = Object.fromEntries(
    Object.entries(numbers).filter(([, value]) => value !== undefined),
  ) as Partial<Record<keyof typeof numbers, number>>;

  if (values.has('--config')) {
    throw invalid('--config is read by parseProxyArguments, not interpretArguments', -1);
  }
  const metricsArgument = get('--metrics');
  const metrics = metricsArgument
    ? parseEndpoint(metricsArgument.value, '--metrics', metricsArgument.index, true)
    : undefined;
  if (metrics && isIP(metrics.host) === 0) {
    throw invalid(
      `--metrics expects an IP address, got ${quote(metrics.host)}`,
      metricsArgument!.index,
    );
  }
  const logFormatArgument = get('--log-format');
  const logFormat = logFormatArgument
    ? parseChoice(logFormatArgument.value, '--log-format', logFormatArgument.index, [
        'text',
        'json',
      ] as const)
    : 'text';

  return {
    command: 'run',
    options: {
      listen,
      upstream,
      ...(metrics ? { metrics } : {}),
      ...(publicHostArgument ? { publicHost: publicHostArgument.value } : {}),
      passiveMode,
      ...(passivePortsArgument
        ? {
            passivePorts: parsePortRange(
              passivePortsArgument.value,
              '--passive-ports',
              passivePortsArgument.index,
            ),
          }
        : {}),
      activeMode,
      ...(upstreamData ? { upstreamData } : {}),
      implicitTls,
      upstreamTls: { verify: !insecure, ...(upstreamTlsMode ? { mode: upstreamTlsMode } : {}) },
      ...given,
      ...(allowVerbs.length > 0 ? { allowVerbs } : {}),
    },
    tlsCertFile: cert?.value,
    tlsKeyFile: key?.value,
    upstreamCaFile: ca?.value,
    quiet: flags.has('--quiet'),
    ...(logFormat === 'text' ? {} : { logFormat }),
  };
}
