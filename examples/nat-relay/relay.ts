// An FTP control-connection relay with a NAT rewrite in the path: what a NAT's FTP helper
// does, in user space. Clients connect here; every byte goes on to the server and back, except
// that a 227 answering a PASV gets `publicHost` in place of the server's inside address.
//
//   tsx relay.ts <server-host> <server-port> <public-host> [listen-port]
//
// Only the control connection passes through: the client opens the data connection to the
// public host itself, where a real NAT forwards the passive port range to the server. It
// listens on 127.0.0.1 only: open it to other hosts deliberately.
import { createConnection, createServer } from 'node:net';
import { pipeline } from 'node:stream';
import { NodeNatSession } from '@ftpwire/nat/node';

const [serverHost = '127.0.0.1', serverPort = '21', publicHost = '127.0.0.1', listenPort = '0'] =
  process.argv.slice(2);

const relay = createServer((client) => {
  const server = createConnection({ host: serverHost, port: Number(serverPort) });
  // One session per connection: it pairs each reply with the command it answers, so only a
  // 227 that answers a PASV is rewritten, never a 227 in a file name or a multi-line reply.
  const nat = new NodeNatSession({
    publicHost,
    onRewrite: ({ before, after }) => console.log(`rewrote "${before}" -> "${after}"`),
  });
  // pipeline ends both connections on any error (a reset, a NatError). A peer closing while
  // the other side still writes is how a session ends after QUIT, not worth a word.
  const report = (error: NodeJS.ErrnoException | null) => {
    if (error && error.code !== 'ERR_STREAM_PREMATURE_CLOSE') console.error(`relay: ${error}`);
  };
  pipeline(client, nat.commands, server, report);
  pipeline(server, nat.replies, client, report);
});

relay.listen(Number(listenPort), '127.0.0.1', () => {
  const { port } = relay.address() as { port: number };
  console.log(`listening on 127.0.0.1:${port}, relaying to ${serverHost}:${serverPort}`);
});
