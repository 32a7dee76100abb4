/**
 * Every command-line option in one table: the parser reads names, values and repetition from
 * it, and `--help` is written from it, so the two cannot drift apart. Add an option here, then
 * give it a meaning in `arguments.ts`.
 */
export interface OptionSpec {
  /** The long name, `--name`. */
  readonly name: `--${string}`;
  /** What the value looks like in the help (`HOST:PORT`); absent for a flag. */
  readonly value?: string;
  /** May be given more than once, each adding a value. */
  readonly repeatable?: boolean;
  /** The help text: one or more lines, default included. */
  readonly help: string;
}

export const OPTION_SPECS: readonly OptionSpec[] = [
  {
    name: '--config',
    value: 'FILE',
    help: 'read options from a JSON file: keys are the long\nnames without --, e.g. {"upstream": "10.0.1.121:21",\n"allow-verb": ["SITE"], "quiet": true}; options on\nthe command line replace the file\'s',
  },
  {
    name: '--listen',
    value: 'HOST:PORT',
    help: 'where to listen for clients (default 127.0.0.1:2100;\nIPv6 as [::1]:2100; port 0 picks a free port)',
  },
  { name: '--upstream', value: 'HOST:PORT', help: 'the FTP server (required)' },
  {
    name: '--public-host',
    value: 'IPV4',
    help: 'unicast address advertised in 227 replies\n(default the listen host)',
  },
  {
    name: '--passive-ports',
    value: 'MIN-MAX',
    help: 'ports for relayed passive data connections, picked\nat random (default any free port)',
  },
  {
    name: '--passive-mode',
    value: 'MODE',
    help: 'relay (default): relay data connections through the\nproxy; rewrite: only rewrite the 227 host and leave\nthe port to a forwarded range',
  },
  { name: '--active-mode', value: 'MODE', help: 'relay (default) or refuse PORT/EPRT' },
  { name: '--tls-cert', value: 'FILE', help: 'PEM certificate presented to clients; with' },
  { name: '--tls-key', value: 'FILE', help: 'its PEM key, enables AUTH TLS (explicit FTPS)' },
  {
    name: '--implicit-tls',
    help: 'TLS from the first byte toward clients (port 990\nstyle), and toward the server with match-client',
  },
  {
    name: '--upstream-tls',
    value: 'MODE',
    help: "match-client (default): the server's leg follows the\nclient's; on: TLS to the server always (AUTH TLS,\nPBSZ 0, PROT P sent by the proxy); off: plain FTP\nto the server, FTPS for clients",
  },
  { name: '--upstream-ca', value: 'FILE', help: 'PEM certificates to trust for the server' },
  { name: '--insecure-upstream', help: "do not verify the server's certificate" },
  {
    name: '--upstream-data',
    value: 'POLICY',
    help: 'client (default): data connections to the server as\nthe client asked; passive: PORT/EPRT go as PASV/EPSV\n(the server never connects out); epsv: EPSV for all',
  },
  {
    name: '--allow-verb',
    value: 'VERB',
    repeatable: true,
    help: 'pass this verb to the server too (repeatable)',
  },
  {
    name: '--connect-timeout',
    value: 'SECS',
    help: 'connect, TLS handshake and greeting limit (default 10)',
  },
  {
    name: '--idle-timeout',
    value: 'SECS',
    help: 'close sessions without a command, reply or data\nmoving this long (default 300)',
  },
  {
    name: '--login-timeout',
    value: 'SECS',
    help: 'close sessions not logged in this long (default 60)',
  },
  {
    name: '--line-timeout',
    value: 'SECS',
    help: 'close sessions whose command line takes this long to\narrive (default 30)',
  },
  {
    name: '--data-timeout',
    value: 'SECS',
    help: 'drop a data port nobody connected to (default 60)',
  },
  {
    name: '--drain-timeout',
    value: 'SECS',
    help: 'on SIGTERM, let running transfers finish this long\nbefore closing the rest with 421 (default 30)',
  },
  { name: '--max-sessions', value: 'N', help: 'concurrent sessions (default 256)' },
  { name: '--max-per-ip', value: 'N', help: 'concurrent sessions from one address (default 8)' },
  { name: '--quiet', help: 'log session events only at level warn or error' },
  {
    name: '--log-format',
    value: 'FORMAT',
    help: 'text (default): one line per event; json: one JSON\nobject per line (time, level, session, client,\nupstream, event, message, fields)',
  },
  {
    name: '--metrics',
    value: 'HOST:PORT',
    help: 'serve Prometheus metrics on http://HOST:PORT/metrics\nand health on /healthz (default off)',
  },
  { name: '--help', help: 'show this help' },
  { name: '--version', help: 'show the version' },
];

/** The table by long name. */
export const OPTION_SPEC_BY_NAME: ReadonlyMap<string, OptionSpec> = new Map(
  OPTION_SPECS.map((spec) => [spec.name, spec]),
);

/** Short names for long ones. */
export const OPTION_ALIASES: ReadonlyMap<string, string> = new Map([['-h', '--help']]);

const COLUMN = 28;

/** The `Options:` section of `--help`, from the table. */
export function optionsHelp(specs: readonly OptionSpec[] = OPTION_SPECS): string {
  const lines: string[] = [];
  for (const spec of specs) {
    const alias = [...OPTION_ALIASES].find(([, long]) => long === spec.name)?.[0];
    const head = `  ${alias ? `${alias}, ` : ''}${spec.name}${spec.value ? ` ${spec.value}` : ''}`;
    const [first = '', ...rest] = spec.help.split('\n');
    lines.push(`${head.padEnd(COLUMN - 1)} ${first}`);
    for (const line of rest) lines.push(`${' '.repeat(COLUMN)}${line}`);
  }
  return lines.join('\n');
}
