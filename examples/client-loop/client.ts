// A minimal FTP client loop in the style of basic-ftp, on node:net and three ftpwire codecs:
// replies are framed by @ftpwire/reply's streaming ReplyParser, commands are written by
// @ftpwire/command's formatCommand, and the passive data address is decoded and chosen by
// @ftpwire/address (parsePasvReply/parseEpsvReply, choosePassiveHost).
//
//   tsx client.ts ftp://127.0.0.1:2121/pub/file.bin   RETR: the file's bytes go to stdout
//   tsx client.ts ftp://127.0.0.1:2121/pub/           LIST: the listing goes to stdout
//   tsx client.ts ftp://user:secret@127.0.0.1:2121/file.bin
//
// The protocol dialogue is logged to stderr. Environment:
//   PASV_POLICY  ignore (default) | private-fallback | strict | trust  (see choosePassiveHost)
//   PASSIVE      pasv (default) | epsv
import { once } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import {
  choosePassiveHost,
  type HostPort,
  type PassiveHostPolicy,
  parseEpsvReply,
  parsePasvReply,
} from '@ftpwire/address';
import { formatCommand } from '@ftpwire/command';
import { type Reply, ReplyParser } from '@ftpwire/reply';

/** No reply or data for this long means the peer is gone (basic-ftp uses 30 s). */
const TIMEOUT_MS = 15_000;

const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * The control connection: bytes in, whole replies out, awaited one at a time in the order
 * they arrive (RFC 959 §4.2: every command gets its replies in order, so a queue is all the
 * bookkeeping a sequential client needs).
 */
class ControlConnection {
  readonly #socket: Socket;
  readonly #replies: Reply[] = [];
  #waiting: { resolve: (reply: Reply) => void; reject: (error: Error) => void } | undefined;
  #failure: Error | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    // The parser does the framing RFC 959 §4.2 asks for: a multi-line reply ends only at a
    // line starting with the same code and a space, whatever digits the lines between begin
    // with. It copes with any chunking, so TCP segment boundaries do not matter.
    const parser = new ReplyParser({
      onReply: (reply) => {
        log(reply.lines.map((line) => `< ${line}`).join('\n'));
        if (this.#waiting) {
          this.#waiting.resolve(reply);
          this.#waiting = undefined;
        } else {
          this.#replies.push(reply);
        }
      },
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        parser.push(chunk);
      } catch (error) {
        // A ReplyError (a malformed line, a line past 8 KiB): once the framing is lost no later
        // reply can be matched to its command, so the connection is given up.
        this.#fail(error as Error);
      }
    });
    socket.on('end', () => {
      try {
        parser.end();
        this.#fail(new Error('the server closed the control connection'));
      } catch (error) {
        this.#fail(error as Error);
      }
    });
    socket.on('error', (error) => this.#fail(error));
    socket.setTimeout(TIMEOUT_MS, () => this.#fail(new Error('no reply from the server')));
  }

  static async connect(host: string, port: number): Promise<ControlConnection> {
    const socket = createConnection({ host, port });
    await once(socket, 'connect');
    return new ControlConnection(socket);
  }

  /**
   * The peer's address as the socket sees it: where the passive policy dials by default,
   * since it is the one address this client knows reaches the server.
   */
  get peer(): string {
    return this.#socket.remoteAddress!;
  }

  /** The next reply, preliminary (1yz) or final. */
  next(): Promise<Reply> {
    const queued = this.#replies.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  /** Sends one command line (from formatCommand) and returns its first reply. */
  send(line: string): Promise<Reply> {
    log(`> ${line.startsWith('PASS ') ? 'PASS ****' : line.slice(0, -2)}`);
    this.#socket.write(line);
    return this.next();
  }

  close(): void {
    this.#socket.destroy();
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#waiting?.reject(this.#failure);
    this.#waiting = undefined;
    this.#socket.destroy();
  }
}

/** Throws unless the reply's code starts with one of `classes` (1 preliminary, 2 completion, ...). */
function expectClass(reply: Reply, what: string, ...classes: number[]): Reply {
  if (!classes.includes(Math.floor(reply.code / 100))) {
    throw new Error(`${what} failed: ${reply.lines.join(' / ')}`);
  }
  return reply;
}

/** Asks for a passive data port and decides which address to dial for it. */
async function passiveAddress(
  control: ControlConnection,
  mode: string,
  policy: PassiveHostPolicy,
): Promise<HostPort> {
  if (mode === 'epsv') {
    // RFC 2428 §3: a 229 carries only the port; the host is the control connection's peer.
    const reply = expectClass(await control.send(formatCommand('EPSV')), 'EPSV', 2);
    return { host: control.peer, port: parseEpsvReply(reply) };
  }
  const reply = expectClass(await control.send(formatCommand('PASV')), 'PASV', 2);
  const advertised = parsePasvReply(reply);
  // A server behind NAT advertises its inside address, and a hostile one can name any host
  // (FTP bounce, CVE-2020-8284): the default policy dials the control peer with the reply's port.
  const chosen = choosePassiveHost({ reply: advertised, controlPeer: control.peer, policy });
  log(
    `* 227 names ${advertised.host}:${advertised.port}; policy ${policy} dials ` +
      `${chosen.host}:${chosen.port} (${chosen.source})`,
  );
  return chosen;
}

async function main(): Promise<void> {
  const url = new URL(process.argv[2] ?? '');
  if (url.protocol !== 'ftp:')
    throw new Error('usage: client.ts ftp://[user[:pass]@]host[:port]/path');
  const policy = (process.env['PASV_POLICY'] ?? 'ignore') as PassiveHostPolicy;
  const mode = process.env['PASSIVE'] ?? 'pasv';
  // RFC 1738 §3.2.2: the URL path is relative to the login directory.
  const path = decodeURIComponent(url.pathname.slice(1));
  const verb = path === '' || path.endsWith('/') ? 'LIST' : 'RETR';
  // formatCommand refuses CR, LF and NUL in an argument: a name taken from a URL or a listing
  // cannot smuggle in a second command (the injection curl and ftplib had to fix). Formatting
  // the transfer command first refuses such a name before any connection is made.
  const transfer = formatCommand(verb, path);

  const control = await ControlConnection.connect(
    url.hostname.replace(/^\[|\]$/g, ''),
    Number(url.port || 21),
  );
  let data: Socket | undefined;
  try {
    // RFC 959 §5.4: a 120 ("ready in nnn minutes") may precede the 220 greeting.
    let greeting = await control.next();
    while (greeting.code === 120) greeting = await control.next();
    expectClass(greeting, 'connecting', 2);

    // 331 asks for a password; a server may also log the user in at once with 230.
    const user = decodeURIComponent(url.username) || 'anonymous';
    let login = expectClass(await control.send(formatCommand('USER', user)), 'USER', 2, 3);
    if (login.code === 331) {
      const password = decodeURIComponent(url.password) || 'anonymous@';
      login = expectClass(await control.send(formatCommand('PASS', password)), 'PASS', 2);
    }
    expectClass(login, 'login', 2);
    // Image type: the bytes as stored, so a binary file arrives unchanged (RFC 959 §3.1.1.3).
    expectClass(await control.send(formatCommand('TYPE', 'I')), 'TYPE I', 2);

    const address = await passiveAddress(control, mode, policy);
    // Dial before sending RETR/LIST, as basic-ftp does: the server accepts on its passive
    // port, and a data connection that cannot be opened fails here, before the transfer starts.
    data = createConnection(address);
    await once(data, 'connect');
    const socket = data;
    socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new Error('data connection stalled')));
    socket.pipe(process.stdout, { end: false });
    const received = once(socket, 'end');
    // Awaited below; this only keeps a failure before then from being reported as unhandled.
    received.catch(() => {});

    // 1yz (150 or 125) says the transfer starts; anything else is the answer (550: no such file).
    expectClass(await control.send(transfer), verb, 1);
    // The final 226 and the end of the data may come in either order; both are needed.
    const [finished] = await Promise.all([control.next(), received]);
    expectClass(finished, verb, 2);

    expectClass(await control.send(formatCommand('QUIT')), 'QUIT', 2);
  } finally {
    data?.destroy();
    control.close();
  }
}

main().catch((error: unknown) => {
  log(`client-loop: ${error instanceof Error ? `${error.name}: ${error.message}` : error}`);
  process.exitCode = 1;
});
