import { connect, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PortPool } from '../../packages/proxy/src/port-pool.ts';
import { freePortRange } from '../e2e/harness/ports.js';

const HOST = '127.0.0.3';
const ignore = () => {};

describe('PortPool', () => {
  it('draws each port at random among the free ones, never one in use, and takes them back', async () => {
    const range = await freePortRange(3, [HOST]);
    // A scripted random source: the draws the pool asks for, and the limits it asks them in.
    const limits: number[] = [];
    const draws = [1, 1, 0, 2];
    const pool = new PortPool(range, undefined, (limit) => {
      limits.push(limit);
      return draws.shift() ?? 0;
    });
    const a = await pool.listen(HOST, ignore, ignore);
    // The second draw names the port in use again: it is drawn anew, never handed out twice.
    const b = await pool.listen(HOST, ignore, ignore);
    expect([a.port, b.port]).toEqual([range.min + 1, range.min]);
    expect(limits).toEqual([3, 3, 3]);
    expect(pool.size).toBe(2);
    a.release();
    a.release();
    expect(pool.size).toBe(1);
    const c = await pool.listen(HOST, ignore, ignore);
    expect(c.port).toBe(range.max);
    for (const listener of [b, c]) listener.release();
    expect(pool.size).toBe(0);
  });

  it('spreads its picks over the whole range (vsftpd picks passive ports at random too)', async () => {
    const range = await freePortRange(8, [HOST]);
    const pool = new PortPool(range);
    const counts = new Map<number, number>();
    let previous = -1;
    let repeats = 0;
    for (let i = 0; i < 400; i++) {
      const listener = await pool.listen(HOST, ignore, ignore);
      counts.set(listener.port, (counts.get(listener.port) ?? 0) + 1);
      if (listener.port === previous) repeats++;
      previous = listener.port;
      listener.release();
    }
    // 50 expected per port; in rotation each would be exactly 50 and no port would repeat.
    expect(counts.size).toBe(8);
    for (const count of counts.values()) expect(count).toBeGreaterThan(15);
    expect(repeats).toBeGreaterThan(10);
  });

  it('finds the last free port of a nearly full range', async () => {
    const range = await freePortRange(40, [HOST]);
    const pool = new PortPool(range);
    const held = [];
    for (let i = 0; i < 40; i++) held.push(await pool.listen(HOST, ignore, ignore));
    expect(new Set(held.map((listener) => listener.port)).size).toBe(40);
    await expect(pool.listen(HOST, ignore, ignore)).rejects.toMatchObject({
      code: 'ERR_PORT_POOL_EXHAUSTED',
    });
    const freed = held[17]!;
    freed.release();
    const last = await pool.listen(HOST, ignore, ignore);
    expect(last.port).toBe(freed.port);
    for (const listener of held) listener.release();
    last.release();
  });

  it('skips a port another process holds, and says when none is left', async () => {
    const range = await freePortRange(2, [HOST]);
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen({ host: HOST, port: range.min }, resolve));
    const pool = new PortPool(range);
    const only = await pool.listen(HOST, ignore, ignore);
    expect(only.port).toBe(range.max);
    await expect(pool.listen(HOST, ignore, ignore)).rejects.toMatchObject({
      name: 'ProxyError',
      code: 'ERR_PORT_POOL_EXHAUSTED',
    });
    only.release();
    squatter.close();
  });

  it('without a range, listens on a port the system picks; connections arrive paused', async () => {
    const pool = new PortPool(undefined);
    const accepted = new Promise<boolean>((resolve) => {
      void pool
        .listen(
          HOST,
          (socket) => {
            resolve(socket.isPaused());
            socket.destroy();
          },
          ignore,
        )
        .then((listener) => {
          expect(listener.port).toBeGreaterThan(0);
          const client = connect({ host: HOST, port: listener.port });
          client.on('error', ignore);
          client.once('close', () => listener.release());
        });
    });
    expect(await accepted).toBe(true);
  });
});
