import { connect, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PortPool } from '../../packages/proxy/src/port-pool.ts';
import { freePortRange } from '../e2e/harness/ports.js';

const HOST = '127.0.0.3';
const ignore = () => {};

describe('PortPool', () => {
  it('hands out the ports of its range in rotation and takes them back', async () => {
    const range = await freePortRange(3, [HOST]);
    const pool = new PortPool(range);
    const a = await pool.listen(HOST, ignore, ignore);
    const b = await pool.listen(HOST, ignore, ignore);
    expect([a.port, b.port]).toEqual([range.min, range.min + 1]);
    expect(pool.size).toBe(2);
    a.release();
    a.release();
    expect(pool.size).toBe(1);
    // The port just released is the last to come back.
    const c = await pool.listen(HOST, ignore, ignore);
    const d = await pool.listen(HOST, ignore, ignore);
    expect([c.port, d.port]).toEqual([range.max, range.min]);
    for (const listener of [b, c, d]) listener.release();
    expect(pool.size).toBe(0);
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
