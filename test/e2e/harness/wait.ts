import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

/** Polls `condition` until it holds or `timeout` ms pass; then throws with `what`. */
export async function waitFor(
  condition: () => boolean,
  what: string,
  timeout = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Connects to `host:port` every `interval` ms until it accepts; rejects at once when `child`
 * (the server started to listen there) exits, and after `timeout` ms. `name` names it in errors.
 */
export function waitForListening(
  name: string,
  host: string,
  port: number,
  child: ChildProcess,
  timeout: number,
  interval = 30,
): Promise<void> {
  const deadline = Date.now() + timeout;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) {
        reject(new Error(`${name} exited with ${child.exitCode}`));
        return;
      }
      const socket = connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`${name} did not listen on ${host}:${port}`));
        else setTimeout(attempt, interval);
      });
    };
    attempt();
  });
}
