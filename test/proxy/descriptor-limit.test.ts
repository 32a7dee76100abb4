import { describe, expect, it } from 'vitest';
import {
  DESCRIPTORS_PER_IDLE_SESSION,
  DESCRIPTORS_PER_SESSION,
  descriptorBudget,
  parseOpenFilesLimit,
  readDescriptorBudget,
} from '../../packages/proxy/src/descriptor-limit.ts';
import { logDescriptorBudget } from '../../packages/proxy/src/descriptor-log.ts';
import type { ProxyLogEvent } from '../../packages/proxy/src/log.ts';
import { resolveProxyOptions } from '../../packages/proxy/src/options.ts';

// /proc/self/limits of a Debian 12 shell with `ulimit -Sn 1024 -Hn 4096` (kernel 6.x).
const LIMITS = `Limit                     Soft Limit           Hard Limit           Units     
Max cpu time              unlimited            unlimited            seconds   
Max file size             unlimited            unlimited            bytes     
Max processes             95873                95873                processes 
Max open files            1024                 4096                 files     
Max locked memory         8388608              8388608              bytes     
`;

describe('parseOpenFilesLimit', () => {
  it('reads the soft and hard open-files limits', () => {
    expect(parseOpenFilesLimit(LIMITS)).toEqual([1024, 4096]);
  });

  it('takes unlimited, or a text without the line, as unknown', () => {
    expect(
      parseOpenFilesLimit(
        LIMITS.replace('1024                 4096', 'unlimited            unlimited'),
      ),
    ).toEqual([undefined, undefined]);
    expect(parseOpenFilesLimit('Max processes 1 1 processes\n')).toEqual([undefined, undefined]);
    expect(parseOpenFilesLimit('')).toEqual([undefined, undefined]);
  });
});

describe('descriptorBudget', () => {
  it('counts the sessions the descriptors left over hold, transferring and idle', () => {
    expect(descriptorBudget(1024, 4096, 24)).toEqual({
      soft: 1024,
      hard: 4096,
      open: 24,
      sessions: Math.floor(1000 / DESCRIPTORS_PER_SESSION),
      idleSessions: Math.floor(1000 / DESCRIPTORS_PER_IDLE_SESSION),
    });
    expect(descriptorBudget(20, 20, 24)).toMatchObject({ sessions: 0, idleSessions: 0 });
    expect(descriptorBudget(undefined, undefined, 24)).toMatchObject({
      sessions: undefined,
      idleSessions: undefined,
    });
  });

  it('reads this process: Node has raised the soft limit to the hard one', () => {
    const budget = readDescriptorBudget();
    expect(budget.open).toBeGreaterThan(2);
    // An unlimited hard limit reads as unknown; Node then searches up to 2^20 for the soft one.
    if (budget.hard !== undefined) expect(budget.soft).toBe(budget.hard);
    else expect(budget.soft ?? 2 ** 20).toBeGreaterThanOrEqual(1024);
  });
});

describe('logDescriptorBudget', () => {
  const logged = (maxSessions: number) => {
    const records: ProxyLogEvent[] = [];
    logDescriptorBudget(
      resolveProxyOptions({
        listen: { host: '127.0.0.1', port: 0 },
        upstream: { host: '127.0.0.1', port: 21 },
        maxSessions,
        log: (_line, record) => records.push(record),
      }),
    );
    return records;
  };

  it('says how many sessions fit, and how to raise the limit when --max-sessions does not', () => {
    const budget = readDescriptorBudget();
    if (budget.sessions === undefined) return; // no /proc: the limit is reported unknown
    const [fits] = logged(1);
    expect(fits).toMatchObject({ event: 'descriptors', level: 'info' });
    expect(fits!.message).toContain(`room for ${budget.sessions} sessions transferring`);
    expect(fits!.message).not.toContain('raise');
    const [short] = logged(budget.sessions + 1);
    expect(short).toMatchObject({ event: 'descriptors', level: 'warn' });
    expect(short!.message).toContain(`fewer than --max-sessions ${budget.sessions + 1}`);
    expect(short!.message).toMatch(/LimitNOFILE=|prlimit/);
    expect(short!.fields).toMatchObject({ sessions: budget.sessions });
  });
});
