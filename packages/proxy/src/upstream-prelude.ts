import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { type Reply, ReplyParser } from '@ftpwire/reply';
import { connectTcp } from './data-channel.js';
import { ProxyError, quote } from './errors.js';
import type { UpstreamTlsMode } from './legs.js';
import type { Endpoint } from './options.js';
import { formatProxyHeader } from './proxy-protocol-format.js';
import type { UpstreamProxyProtocol } from './scale-options.js';
import { connectTls, type UpstreamTlsParameters } from './tls.js';

/**
 * Reads whole replies off a socket before a session core takes it over: the greeting of a health
 * probe, and the commands the proxy replays to a server chosen after the client's USER.
 */
class ReplyReader {
  readonly #socket: Socket;
  readonly #parser: ReplyParser;
  readonly #replies: Reply[] = [];
  #waiting: ((reply: Reply | Error) => void) | undefined;
  #failure: Error | undefined;
  readonly #onData = (chunk: Buffer): void => {
    try {
      this.#replies.push(...(this.#parser.push(chunk) ?? []));
    } catch (error) {
      this.#fail(error as Error);
      return;
    }
    this.#wake();
  };
  readonly #onEnd = (): void =>
    this.#fail(new ProxyError('ERR_PEER_CLOSED', 'the server closed the connection'));
  readonly #onError = (error: Error): void =>
    this.#fail(new ProxyError('ERR_PEER_CLOSED', error.message));

  constructor(socket: Socket, maxLineLength: number) {
    this.#socket = socket;
    this.#parser = new ReplyParser({ maxLineLength });
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('error', this.#onError);
    socket.resume();
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#wake();
  }

  #wake(): void {
    const waiting = this.#waiting;
    if (waiting === undefined) return;
    const next = this.#replies.shift() ?? this.#failure;
    if (next === undefined) return;
    this.#waiting = undefined;
    waiting(next);
  }

  /** The next final reply (preliminary ones are skipped), within `timeout` ms. */
  async final(timeout: number, what: string): Promise<Reply> {
    for (;;) {
      const reply = await new Promise<Reply>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.#waiting = undefined;
          reject(new ProxyError('ERR_CONNECT_TIMEOUT', `no reply to ${what} within ${timeout} ms`));
        }, timeout);
        this.#waiting = (next) => {
          clearTimeout(timer);
          if (next instanceof Error) reject(next);
          else resolve(next);
        };
        this.#wake();
      });
      if (reply.code >= 200) return reply;
    }
  }

  /** Stops reading; the socket is handed on. Nothing may have come beyond the replies read. */
  release(): Socket {
    const socket = this.#socket;
    socket.off('data', this.#onData);
    socket.off('end', this.#onEnd);
    socket.off('error', this.#onError);
    socket.pause();
    if (this.#replies.length > 0 || !this.#parser.idle) {
      throw new ProxyError('ERR_PROTOCOL', 'the server sent more than the replies asked for');
    }
    return socket;
  }
}

function expect(reply: Reply, code: number, what: string): void {
  if (reply.code !== code) {
    throw new ProxyError(
      'ERR_PROTOCOL',
      `the server answered ${what} with ${quote(reply.lines[0] ?? '', 60)}, expected ${code}`,
    );
  }
}

/** What a server needs before it is handed a client's held USER (see `PreLogin`). */
export interface UpstreamReplay {
  /** AUTH: `C` for TLS / TLS-C, `P` for SSL / TLS-P (data protected too). */
  readonly auth: 'C' | 'P' | undefined;
  /** PBSZ 0. */
  readonly pbsz: boolean;
  /** The PROT level (`C` or `P`), if any. */
  readonly prot: string | undefined;
  /**
   * PBSZ and PROT may be refused, the server's data connections then staying clear: they are
   * the proxy's own (`upstreamTls: 'on'`), not the client's, which it answered itself.
   */
  readonly lenient?: boolean;
}

/**
 * What the server is replayed of a client's start under `mode` (`upstreamTls`): the client's
 * own AUTH, PBSZ and PROT when the server's leg follows the client's; nothing when the server's
 * leg is plain; AUTH TLS, PBSZ 0 and PROT P of the proxy's own when it is always TLS, whatever
 * the client did (the client's were answered for its leg alone).
 */
export function replayForServer(client: UpstreamReplay, mode: UpstreamTlsMode): UpstreamReplay {
  switch (mode) {
    case 'match-client':
      return client;
    case 'off':
      return { auth: undefined, pbsz: false, prot: undefined };
    case 'on':
      return { auth: 'C', pbsz: true, prot: 'P', lenient: true };
  }
}

/** Whether data connections are protected after `replay` (PROT, or else AUTH SSL / TLS-P). */
export function protectsData(replay: Pick<UpstreamReplay, 'auth' | 'prot'>): boolean {
  return replay.prot === undefined ? replay.auth === 'P' : replay.prot === 'P';
}

/**
 * Takes a server's greeting and replays what the client did before its USER, so that the server
 * is where the client thinks the session is: AUTH TLS (then the server's TLS handshake), PBSZ 0,
 * PROT. Each must get its success reply (220, 234, 200, 200), or the session cannot go on
 * (`lenient`: PBSZ and PROT may fail). Resolves with the socket to relay on (the TLS one after
 * AUTH) and the PROT level the server accepted.
 */
export async function replayToUpstream(
  socket: Socket,
  replay: UpstreamReplay,
  options: {
    readonly timeout: number;
    readonly maxLineLength: number;
    readonly tls: (raw: Socket) => Promise<TLSSocket>;
  },
): Promise<{
  readonly socket: Socket;
  readonly prot: string | undefined;
  /** `lenient`: the code of the reply that refused PROT. */
  readonly protRefused: number | undefined;
}> {
  let reader = new ReplyReader(socket, options.maxLineLength);
  expect(await reader.final(options.timeout, 'the connection (greeting)'), 220, 'the connection');
  let current = socket;
  if (replay.auth) {
    current.write(replay.auth === 'P' ? 'AUTH SSL\r\n' : 'AUTH TLS\r\n');
    expect(await reader.final(options.timeout, 'AUTH'), 234, 'AUTH');
    current = await options.tls(reader.release());
    reader = new ReplyReader(current, options.maxLineLength);
  }
  /** The code of the reply to `line`: 200, or another when `lenient` lets it be. */
  const step = async (line: string, what: string): Promise<number> => {
    current.write(`${line}\r\n`);
    const reply = await reader.final(options.timeout, what);
    if (!replay.lenient || reply.code === 421) expect(reply, 200, what);
    return reply.code;
  };
  if (replay.pbsz) await step('PBSZ 0', 'PBSZ');
  let prot: string | undefined;
  let protRefused: number | undefined;
  if (replay.prot) {
    const code = await step(`PROT ${replay.prot}`, 'PROT');
    if (code === 200) prot = replay.prot;
    else protRefused = code;
  }
  return { socket: reader.release(), prot, protRefused };
}

/** What a health probe needs to know of the proxy's options. */
export interface ProbeOptions {
  readonly connectTimeout: number;
  readonly maxLineLength: number;
  readonly implicitTls: boolean;
  readonly upstreamTls: () => UpstreamTlsParameters;
  readonly proxyProtocol: UpstreamProxyProtocol | undefined;
}

/**
 * A health check: connects to `endpoint` and reads its greeting, as a session would (a PROXY
 * header of the proxy's own first, `LOCAL` or `UNKNOWN`, when the server expects one; TLS first
 * with implicit FTPS). Resolves on a 220; rejects otherwise. Then says QUIT and hangs up.
 */
export async function probeUpstream(endpoint: Endpoint, options: ProbeOptions): Promise<void> {
  let socket: Socket = await connectTcp(
    endpoint.host,
    endpoint.port,
    undefined,
    options.connectTimeout,
  );
  try {
    socket.on('error', () => {});
    if (options.proxyProtocol) {
      socket.write(formatProxyHeader({ version: options.proxyProtocol === 'v1' ? 1 : 2 }));
    }
    if (options.implicitTls) {
      socket = await connectTls(
        socket,
        { ...options.upstreamTls(), upstream: endpoint },
        options.connectTimeout,
      );
    }
    const reader = new ReplyReader(socket, options.maxLineLength);
    expect(await reader.final(options.connectTimeout, 'the connection'), 220, 'the connection');
    socket.end('QUIT\r\n');
  } finally {
    setTimeout(() => socket.destroy(), 1000).unref();
  }
}
