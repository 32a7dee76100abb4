import {
  DESCRIPTORS_PER_IDLE_SESSION,
  DESCRIPTORS_PER_SESSION,
  readDescriptorBudget,
} from './descriptor-limit.js';
import { proxyEvent } from './log.js';
import type { ResolvedProxyOptions } from './options.js';

/**
 * Says at start how many sessions the open-files limit leaves room for (event `descriptors`),
 * as a warning when `maxSessions` sessions transferring at once would not fit: past the limit,
 * accepting a client or dialling a server fails with EMFILE.
 */
export function logDescriptorBudget(options: ResolvedProxyOptions): void {
  const budget = readDescriptorBudget();
  const short = budget.sessions !== undefined && budget.sessions < options.maxSessions;
  const limit =
    budget.soft === undefined
      ? 'open files: limit unknown'
      : `open files: limit ${budget.soft} (hard ${budget.hard ?? 'unlimited'}), ${budget.open} open`;
  const room =
    budget.sessions === undefined
      ? ''
      : `: room for ${budget.sessions} sessions transferring or ${budget.idleSessions} idle`;
  // Node raises the soft limit to the hard one at start; an embedder may have kept it lower.
  const raise =
    budget.soft !== undefined && budget.hard !== undefined && budget.soft < budget.hard
      ? `raise the soft limit (prlimit --pid ${process.pid} --nofile=${budget.hard})`
      : 'raise the hard limit before start (ulimit -n, systemd LimitNOFILE=, docker --ulimit nofile=)';
  proxyEvent(
    options.log,
    `${limit}${room} (${DESCRIPTORS_PER_SESSION} and ${DESCRIPTORS_PER_IDLE_SESSION} descriptors each)${
      short ? `, fewer than --max-sessions ${options.maxSessions}: ${raise}` : ''
    }`,
    {
      event: 'descriptors',
      level: short ? 'warn' : 'info',
      fields: {
        soft_limit: budget.soft ?? null,
        hard_limit: budget.hard ?? null,
        open: budget.open,
        sessions: budget.sessions ?? null,
        idle_sessions: budget.idleSessions ?? null,
        max_sessions: options.maxSessions,
      },
    },
  );
}
