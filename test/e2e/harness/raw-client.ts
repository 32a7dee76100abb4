// A minimal FTP client over a raw socket, for what curl and basic-ftp cannot do on purpose:
// stop mid-transfer with a reset, never speak, drive active mode with TLS, pipeline commands.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';

export interface RawReply {
  readonly code: number;
  /** All lines, without CRLF. */
  readonly lines: string[];
}

export class RawFtp {
  socket: Socket;
  readonly #raw: Socket;
  #buffer = '';
  #replies: RawReply[] = [];
  #waiters: ((reply: RawReply) => void)[] = [];
  #multi: { code: number; lines: string[] } | undefined;
  closed: Promise<void>;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.#raw = socket;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    this.#listen(socket);
  }

  /**
   * `localAddress`: the loopback address to connect from (another client); `preface`: bytes to
   * send at once, before any reply (a PROXY protocol header).
   */
  static connect(
    host: string,
    port: number,
    localAddress?: string,
    preface?: Uint8Array,
  ): Promise<RawFtp> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, ...(localAddress ? { localAddress } : {}) });
      if (preface) socket.write(preface);
      socket.once('connect', () => resolve(new RawFtp(socket)));
      socket.once('error', reject);
    });
  }

  #listen(socket: Socket): void {
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => this.#push(text));
    socket.on('error', () => {});
  }

  #push(text: string): void {
    this.#buffer += text;
    for (let lf = this.#buffer.indexOf('\n'); lf >= 0; lf = this.#buffer.indexOf('\n')) {
      const line = this.#buffer.slice(0, lf).replace(/\r$/, '');
      this.#buffer = this.#buffer.slice(lf + 1);
      const code = Number(line.slice(0, 3));
      if (this.#multi) {
        this.#multi.lines.push(line);
        if (code === this.#multi.code && line[3] === ' ') {
          this.#deliver({ code, lines: this.#multi.lines });
          this.#multi = undefined;
        }
      } else if (line[3] === '-') {
        this.#multi = { code, lines: [line] };
      } else {
        this.#deliver({ code, lines: [line] });
      }
    }
  }

  #deliver(reply: RawReply): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(reply);
    else this.#replies.push(reply);
  }

  /** The next complete reply. */
  reply(): Promise<RawReply> {
    const queued = this.#replies.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      this.#waiters.push(resolve);
      this.closed.then(() => reject(new Error('the control connection closed')));
    });
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  async command(line: string): Promise<RawReply> {
    this.send(line);
    return this.reply();
  }

  /** USER anonymous, then PASS when asked (ftp-srv asks, vsftpd with no_anon_password does not). */
  async login(): Promise<void> {
    let reply = await this.command('USER anonymous');
    if (reply.code === 331) reply = await this.command('PASS test@');
    if (reply.code !== 230) throw new Error(`login failed: ${reply.lines.join(' | ')}`);
  }

  /** AUTH TLS and the handshake; PBSZ 0 and PROT P when `protect`. */
  async secure(protect = true): Promise<TLSSocket> {
    const reply = await this.command('AUTH TLS');
    if (reply.code !== 234) throw new Error(`AUTH TLS refused: ${reply.lines.join(' | ')}`);
    const raw = this.socket;
    raw.removeAllListeners('data');
    const tls = connectTls({ socket: raw, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      tls.once('secureConnect', () => resolve());
      tls.once('error', reject);
    });
    this.socket = tls;
    this.closed = new Promise((resolve) => tls.once('close', () => resolve()));
    this.#listen(tls);
    if (protect) {
      await this.command('PBSZ 0');
      const prot = await this.command('PROT P');
      if (prot.code !== 200) throw new Error(`PROT P refused: ${prot.lines.join(' | ')}`);
    }
    return tls;
  }

  /** PASV, and the address of its 227 reply. */
  async pasv(): Promise<{ host: string; port: number; reply: RawReply }> {
    const reply = await this.command('PASV');
    const match = /(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/.exec(reply.lines[0] ?? '');
    if (reply.code !== 227 || !match) throw new Error(`PASV failed: ${reply.lines.join(' | ')}`);
    const n = match.slice(1).map(Number);
    return { host: n.slice(0, 4).join('.'), port: n[4]! * 256 + n[5]!, reply };
  }

  /** A listener for active mode on 127.0.0.1 and the EPRT command naming it. */
  static activeListener(): Promise<{ server: Server; eprt: string }> {
    return new Promise((resolve) => {
      const server = createServer({ pauseOnConnect: true });
      server.listen({ host: '127.0.0.1', port: 0 }, () => {
        const { port } = server.address() as { port: number };
        resolve({ server, eprt: `EPRT |1|127.0.0.1|${port}|` });
      });
    });
  }

  /** Resets the control connection (RST, not FIN), under TLS if any. */
  reset(): void {
    this.#raw.resetAndDestroy();
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A data connection: `socket` to read and write (TLS or not), `raw` the TCP socket under it. */
export interface DataConnection {
  readonly socket: Socket;
  readonly raw: Socket;
  /** Resets the TCP connection (RST), as a client that crashes would. */
  reset(): void;
}

/** Opens a data connection to `host:port`, optionally TLS resuming `session`. */
export function openData(
  host: string,
  port: number,
  tls?: { session: Buffer | undefined },
  localAddress?: string,
): Promise<DataConnection> {
  return new Promise((resolve, reject) => {
    const raw = connect({ host, port, ...(localAddress ? { localAddress } : {}) });
    raw.once('error', reject);
    raw.once('connect', () => {
      const done = (socket: Socket) => resolve({ socket, raw, reset: () => raw.resetAndDestroy() });
      if (!tls) {
        done(raw);
        return;
      }
      const secure = connectTls({
        socket: raw,
        rejectUnauthorized: false,
        ...(tls.session ? { session: tls.session } : {}),
      });
      secure.once('secureConnect', () => done(secure));
      secure.once('error', reject);
    });
  });
}

/** Reads a socket to its end. */
export function readAll(socket: Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('end', () => resolve(Buffer.concat(chunks)));
    socket.once('error', reject);
    socket.resume();
  });
}
