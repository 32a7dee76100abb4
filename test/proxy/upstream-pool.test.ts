import { describe, expect, it, vi } from 'vitest';
import { stableHash, type Upstream, UpstreamPool } from '../../packages/proxy/src/upstream-pool.ts';

const endpoints = [1, 2, 3].map((n) => ({ host: `10.0.1.${n}`, port: 21 }));

function pool(
  balance: 'round-robin' | 'least-sessions' | 'by-user',
  probe = vi.fn(() => Promise.resolve()),
) {
  const changes: string[] = [];
  const made = new UpstreamPool(endpoints, balance, {
    probe,
    interval: 1000,
    changed: (upstream, healthy, reason) =>
      changes.push(`${upstream.name} ${healthy ? 'up' : `down ${reason}`}`),
  });
  return { pool: made, changes, probe };
}

const names = (list: readonly Upstream[]) => list.map((upstream) => upstream.name);

describe('UpstreamPool', () => {
  it('round-robin: each server first in turn, the others after it as fallbacks', () => {
    const { pool: p } = pool('round-robin');
    expect(names(p.candidates())).toEqual(['10.0.1.1:21', '10.0.1.2:21', '10.0.1.3:21']);
    expect(names(p.candidates())).toEqual(['10.0.1.2:21', '10.0.1.3:21', '10.0.1.1:21']);
    expect(names(p.candidates())[0]).toBe('10.0.1.3:21');
    expect(names(p.candidates())[0]).toBe('10.0.1.1:21');
  });

  it('least-sessions: the server with the fewest sessions open, the first on a tie', () => {
    const { pool: p } = pool('least-sessions');
    const [a, b] = p.upstreams;
    p.opened(a!);
    p.opened(a!);
    p.opened(b!);
    expect(names(p.candidates())).toEqual(['10.0.1.3:21', '10.0.1.2:21', '10.0.1.1:21']);
    p.closed(a!);
    p.closed(a!);
    expect(names(p.candidates())[0]).toBe('10.0.1.1:21');
  });

  it('by-user: a user always gets the same server; a server out moves only its own users', () => {
    const { pool: p } = pool('by-user');
    const users = Array.from({ length: 300 }, (_, i) => `user${i}`);
    const before = new Map(users.map((user) => [user, p.candidates(user)[0]!.name]));
    for (const user of users) expect(p.candidates(user)[0]!.name).toBe(before.get(user));
    // Spread over the three servers (rendezvous hashing with a mixed hash).
    const counts = new Map<string, number>();
    for (const name of before.values()) counts.set(name, (counts.get(name) ?? 0) + 1);
    for (const count of counts.values()) expect(count).toBeGreaterThan(60);
    p.failed(p.upstreams[1]!, 'ERR_CONNECT_FAILED');
    for (const user of users) {
      const now = p.candidates(user)[0]!.name;
      if (before.get(user) !== '10.0.1.2:21') expect(now).toBe(before.get(user));
      else expect(now).not.toBe('10.0.1.2:21');
    }
    p.close();
  });

  it('the hash is a fixed function: the same on every instance and run', () => {
    expect(stableHash('')).toBe(stableHash(''));
    expect([stableHash('10.0.1.1:21\nalice'), stableHash('10.0.1.2:21\nalice')]).toEqual([
      stableHash('10.0.1.1:21\nalice'),
      stableHash('10.0.1.2:21\nalice'),
    ]);
    expect(stableHash('a')).not.toBe(stableHash('b'));
  });

  it('a failed server is out until a probe gets its greeting; no server, no candidate', async () => {
    vi.useFakeTimers();
    try {
      let greets = false;
      const probe = vi.fn(() =>
        greets ? Promise.resolve() : Promise.reject(new Error('refused')),
      );
      const { pool: p, changes } = pool('round-robin', probe);
      for (const upstream of p.upstreams) p.failed(upstream, 'ERR_CONNECT_FAILED');
      p.failed(p.upstreams[0]!, 'ERR_CONNECT_TIMEOUT');
      expect(p.candidates()).toEqual([]);
      expect(changes).toEqual([
        '10.0.1.1:21 down ERR_CONNECT_FAILED',
        '10.0.1.2:21 down ERR_CONNECT_FAILED',
        '10.0.1.3:21 down ERR_CONNECT_FAILED',
      ]);
      await vi.advanceTimersByTimeAsync(1000);
      expect(probe).toHaveBeenCalledTimes(3);
      expect(p.candidates()).toEqual([]);
      greets = true;
      await vi.advanceTimersByTimeAsync(1000);
      expect(probe).toHaveBeenCalledTimes(6);
      expect(names(p.candidates()).sort()).toEqual(['10.0.1.1:21', '10.0.1.2:21', '10.0.1.3:21']);
      expect(changes.slice(3)).toEqual(['10.0.1.1:21 up', '10.0.1.2:21 up', '10.0.1.3:21 up']);
      // Healthy servers are not probed.
      await vi.advanceTimersByTimeAsync(5000);
      expect(probe).toHaveBeenCalledTimes(6);
      p.failed(p.upstreams[2]!, 'ERR_CONNECT_FAILED');
      p.close();
      await vi.advanceTimersByTimeAsync(5000);
      expect(probe).toHaveBeenCalledTimes(6);
    } finally {
      vi.useRealTimers();
    }
  });
});
