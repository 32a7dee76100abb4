// The least an FTP proxy written in Node can do for plain EPSV sessions, as a bound for
// `proxy-session.ts`: pipe the control connection both ways, answer each 229 with a listener of
// its own, and pipe that listener's one connection to the server's data port. No parsing beyond
// the 229, no checks, no limits, no TLS: what it costs is what any Node relay pays in wake-ups
// and socket calls on this machine.
// Usage: node bench/control-relay-floor.mjs <upstream port>; prints the port it listens on.
import { connect, createServer } from 'node:net';

const HOST = '127.0.0.1';
const upstreamPort = Number(process.argv[2]);
const EPSV_PORT = /\|\|\|(\d+)\|/;

function relayData(serverPort, onListening) {
  const listener = createServer({ noDelay: true }, (client) => {
    listener.close();
    const server = connect({ host: HOST, port: serverPort, noDelay: true });
    client.on('error', () => server.destroy());
    server.on('error', () => client.destroy());
    client.pipe(server);
    server.pipe(client);
  });
  listener.listen(0, HOST, () => onListening(listener.address().port));
}

const proxy = createServer({ noDelay: true }, (client) => {
  const server = connect({ host: HOST, port: upstreamPort, noDelay: true });
  client.on('data', (bytes) => server.write(bytes));
  server.on('data', (bytes) => {
    // '229': the reply to EPSV, one per read on these sessions.
    if (bytes[0] === 0x32 && bytes[1] === 0x32 && bytes[2] === 0x39) {
      const port = Number(EPSV_PORT.exec(bytes.toString('latin1'))?.[1]);
      relayData(port, (own) => client.write(`229 Entering Extended Passive Mode (|||${own}|)\r\n`));
    } else client.write(bytes);
  });
  const end = () => {
    client.destroy();
    server.destroy();
  };
  for (const socket of [client, server]) {
    socket.on('close', end);
    socket.on('error', end);
  }
});
proxy.listen(0, HOST, () => console.log(proxy.address().port));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
