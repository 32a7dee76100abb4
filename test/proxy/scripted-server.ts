// An upstream the test drives line by line: it sees exactly what the proxy sends the server,
// and answers whatever the test says.
import { createServer, type Server, type Socket } from 'node:net';

export class ScriptedPeer {
  readonly socket: Socket;
  #buffer = '';
  #lines: string[] = [];
  #waiters: ((line: string | undefined) => void)[] = [];
  #ended = false;

  constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      this.#buffer += text;
      for (let lf = this.#buffer.indexOf('\n'); lf >= 0; lf = this.#buffer.indexOf('\n')) {
        const line = this.#buffer.slice(0, lf + 1);
        this.#buffer = this.#buffer.slice(lf + 1);
        const waiter = this.#waiters.shift();
        if (waiter) waiter(line);
        else this.#lines.push(line);
      }
    });
    socket.on('error', () => {});
    socket.once('close', () => {
      this.#ended = true;
      for (const waiter of this.#waiters.splice(0)) waiter(undefined);
    });
  }

  /** The next line the server receives, with its terminator; undefined once the connection closed. */
  next(): Promise<string | undefined> {
    const line = this.#lines.shift();
    if (line !== undefined || this.#ended) return Promise.resolve(line);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  send(text: string): void {
    this.socket.write(text);
  }
}

export interface ScriptedServer {
  readonly port: number;
  /** The next connection the proxy opens to the server. */
  accept(): Promise<ScriptedPeer>;
  stop(): Promise<void>;
}

export async function startScriptedServer(greeting = '220 scripted\r\n'): Promise<ScriptedServer> {
  const peers: ScriptedPeer[] = [];
  const waiters: ((peer: ScriptedPeer) => void)[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const peer = new ScriptedPeer(socket);
    if (greeting) socket.write(greeting);
    const waiter = waiters.shift();
    if (waiter) waiter(peer);
    else peers.push(peer);
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return {
    port: (server.address() as { port: number }).port,
    accept: () => {
      const peer = peers.shift();
      return peer ? Promise.resolve(peer) : new Promise((resolve) => waiters.push(resolve));
    },
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
