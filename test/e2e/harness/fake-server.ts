// A scripted FTP server for faults real servers do not commit on request. It advertises
// 127.0.0.2 like the others. The user name picks the behaviour:
// - anonymous: a plain server (RETR bytes-<n> sends n bytes, STOR counts what it gets);
// - crash-upload: STOR reads 512 KiB, then resets the data and control connections;
// - long-line: answers USER with a 100 MiB line (no line end for 100 MiB);
// - stall-upload: STOR never reads the data connection.
// - crash-download: RETR sends 64 KiB, then waits for `crash()`, then dies as a process does:
//   its kernel ends the data connection in order (a FIN: nothing was left unread), and once the
//   proxy has read that end, resets the control connection.
// With a certificate it also takes AUTH TLS (control connection only).
import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, type SecureContext, TLSSocket } from 'node:tls';
import { freePort } from './ports.js';

export interface FakeServer {
  readonly port: number;
  /** Bytes the last STOR received before its end or crash. */
  readonly stored: number[];
  /** Lets a `crash-download` RETR that has sent its bytes die (see above). */
  crash(): void;
  stop(): Promise<void>;
}

const LONG_LINE = 100 * 1024 * 1024;

function writeWithBackpressure(socket: Socket, chunk: Buffer, times: number): Promise<void> {
  return new Promise((resolve) => {
    let left = times;
    const pump = () => {
      while (left > 0) {
        if (socket.destroyed) return resolve();
        left--;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
      resolve();
    };
    socket.once('close', () => resolve());
    pump();
  });
}

function session(
  socket: Socket,
  stored: number[],
  sockets: Set<Socket>,
  context: SecureContext | undefined,
  crashed: () => Promise<void>,
): void {
  let control = socket;
  let user = '';
  let data: Server | undefined;
  let dataSocket: Promise<Socket> | undefined;
  const reply = (text: string) => {
    if (!control.destroyed) control.write(`${text}\r\n`);
  };
  control.on('error', () => {});
  reply('220 fake server for ftpwire tests');
  let buffer = '';
  const onData = async (text: string) => {
    buffer += text;
    for (let lf = buffer.indexOf('\n'); lf >= 0; lf = buffer.indexOf('\n')) {
      const line = buffer.slice(0, lf).replace(/\r$/, '');
      buffer = buffer.slice(lf + 1);
      const [verb = '', ...rest] = line.split(' ');
      const argument = rest.join(' ');
      switch (verb.toUpperCase()) {
        case 'USER':
          user = argument;
          if (user === 'long-line') {
            control.write('230-');
            await writeWithBackpressure(
              control,
              Buffer.alloc(1024 * 1024, 0x61),
              LONG_LINE / (1024 * 1024),
            );
            reply('\r\n230 logged in after a long line');
          } else {
            reply('230 logged in');
          }
          break;
        case 'PASS':
          reply('230 logged in');
          break;
        case 'PWD':
          reply('257 "/"');
          break;
        case 'TYPE':
          reply('200 ok');
          break;
        case 'SIZE':
          // Not 550: curl takes a 550 to SIZE as "no such file".
          reply('502 no SIZE here');
          break;
        case 'PASV':
        case 'EPSV': {
          data?.close();
          data = createServer();
          const server = data;
          dataSocket = new Promise((resolve) =>
            server.once('connection', (socket: Socket) => {
              sockets.add(socket);
              socket.on('error', () => {});
              socket.once('close', () => sockets.delete(socket));
              server.close();
              resolve(socket);
            }),
          );
          await new Promise<void>((resolve) =>
            server.listen({ host: '127.0.0.1', port: 0 }, resolve),
          );
          const { port } = server.address() as { port: number };
          reply(
            verb.toUpperCase() === 'PASV'
              ? `227 Entering Passive Mode (127,0,0,2,${port >> 8},${port & 255}).`
              : `229 Entering Extended Passive Mode (|||${port}|)`,
          );
          break;
        }
        case 'RETR': {
          const size = Number(/^bytes-(\d+)$/.exec(argument)?.[1] ?? -1);
          if (size < 0 || !dataSocket) {
            reply('550 no such file');
            break;
          }
          reply('150 sending');
          const socket = await dataSocket;
          if (user === 'crash-download') {
            await writeWithBackpressure(socket, Buffer.alloc(65536, 0x42), 1);
            await crashed();
            // The proxy ends its side once it has read ours: only then does the control go.
            const read = new Promise((resolve) => socket.once('end', resolve));
            socket.resume();
            socket.end();
            await read;
            control.resetAndDestroy();
            break;
          }
          await writeWithBackpressure(socket, Buffer.alloc(65536, 0x42), Math.floor(size / 65536));
          socket.end(Buffer.alloc(size % 65536, 0x42), () => reply('226 done'));
          break;
        }
        case 'STOR': {
          if (!dataSocket) {
            reply('425 no data connection');
            break;
          }
          reply('150 receiving');
          const socket = await dataSocket;
          // A server that stops reading: the sender must be held back, not buffered for.
          if (user === 'stall-upload') break;
          let received = 0;
          socket.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (user === 'crash-upload' && received >= 512 * 1024) {
              stored.push(received);
              socket.resetAndDestroy();
              control.resetAndDestroy();
            }
          });
          socket.once('end', () => {
            stored.push(received);
            reply('226 stored');
          });
          break;
        }
        case 'AUTH':
          if (!context || argument.toUpperCase() !== 'TLS') {
            reply('504 AUTH TLS only');
            break;
          }
          reply('234 go ahead');
          control.removeAllListeners('data');
          control = new TLSSocket(control, { isServer: true, secureContext: context });
          control.on('error', () => {});
          control.setEncoding('latin1');
          control.on('data', onData);
          break;
        case 'QUIT':
          reply('221 bye');
          control.end();
          break;
        default:
          reply('502 not implemented');
      }
    }
  };
  control.setEncoding('latin1');
  control.on('data', onData);
  socket.once('close', () => data?.close());
}

export async function startFakeServer(tls?: { cert: Buffer; key: Buffer }): Promise<FakeServer> {
  const context = tls ? createSecureContext(tls) : undefined;
  const port = await freePort();
  const stored: number[] = [];
  const sockets = new Set<Socket>();
  let crash!: () => void;
  let crashing = new Promise<void>((resolve) => {
    crash = resolve;
  });
  // Each crash() lets one waiting RETR die; the next waits for the next call.
  const crashed = async () => {
    await crashing;
    crashing = new Promise<void>((resolve) => {
      crash = resolve;
    });
  };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    session(socket, stored, sockets, context, crashed);
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port }, resolve));
  return {
    port,
    stored,
    crash: () => crash(),
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
