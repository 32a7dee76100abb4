import { readdirSync, readFileSync } from 'node:fs';

/**
 * File descriptors one session holds while it transfers: its two control connections, the two
 * connections of the transfer, and the listener of a PASV or PORT sent meanwhile (TLS adds none:
 * it runs over the same sockets).
 */
export const DESCRIPTORS_PER_SESSION = 5;
/** File descriptors of a logged-in session with no transfer: its two control connections. */
export const DESCRIPTORS_PER_IDLE_SESSION = 2;

/** The process's open-files limit and the sessions it leaves room for. */
export interface DescriptorBudget {
  /** RLIMIT_NOFILE's soft limit, the one that applies; undefined when unlimited or unknown. */
  readonly soft: number | undefined;
  /** Its hard limit: how far the soft limit could be raised without privileges. */
  readonly hard: number | undefined;
  /** Descriptors open when measured (the listener, stdio, the event loop's own). */
  readonly open: number;
  /** Sessions that fit with a transfer each; undefined when the limit is unknown. */
  readonly sessions: number | undefined;
  /** Logged-in sessions with no transfer that fit. */
  readonly idleSessions: number | undefined;
}

/**
 * Reads the `Max open files` line of a `/proc/PID/limits` text: `[soft, hard]`, undefined for
 * `unlimited` or a text without the line.
 */
export function parseOpenFilesLimit(
  limits: string,
): [soft: number | undefined, hard: number | undefined] {
  for (const line of limits.split('\n')) {
    if (!line.startsWith('Max open files')) continue;
    const [soft, hard] = line.slice('Max open files'.length).trim().split(/ +/, 2);
    const value = (text: string | undefined) =>
      text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
    return [value(soft), value(hard)];
  }
  return [undefined, undefined];
}

/** The sessions `soft` leaves room for, `open` descriptors being taken already. */
export function descriptorBudget(
  soft: number | undefined,
  hard: number | undefined,
  open: number,
): DescriptorBudget {
  const room = soft === undefined ? undefined : Math.max(0, soft - open);
  return {
    soft,
    hard,
    open,
    sessions: room === undefined ? undefined : Math.floor(room / DESCRIPTORS_PER_SESSION),
    idleSessions: room === undefined ? undefined : Math.floor(room / DESCRIPTORS_PER_IDLE_SESSION),
  };
}

/**
 * This process's budget, from /proc (Linux). Node has no `setrlimit`, and needs none here: at
 * start it raises the soft limit to the hard one itself (`PlatformInit` in src/node.cc), so the
 * soft limit read here is already as high as an unprivileged process can set it; only the hard
 * limit, raised before Node starts (`ulimit -Hn`, systemd's `LimitNOFILE=`, Docker's
 * `--ulimit nofile=`), gives more room. Elsewhere the limit is reported unknown.
 */
export function readDescriptorBudget(): DescriptorBudget {
  let limits = '';
  let open = 0;
  try {
    limits = readFileSync('/proc/self/limits', 'utf8');
    open = readdirSync('/proc/self/fd').length;
  } catch {
    return descriptorBudget(undefined, undefined, open);
  }
  const [soft, hard] = parseOpenFilesLimit(limits);
  return descriptorBudget(soft, hard, open);
}
