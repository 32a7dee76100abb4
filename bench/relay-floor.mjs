// A do-nothing relay in a process of its own: the bound under ftpwire-proxy's plain data path.
// It forwards a control port and the server's whole passive range at the TCP level, reading no
// FTP at all (a client's EPSV 229 names the server's port, which it forwards to the same port of
// the server), and copies with the cheapest reading Node has: `onread` into a 1 MiB buffer that
// is reused whenever the kernel took the last write whole (a fresh one otherwise). No bounds, no
// timeouts, no TLS termination (PROT P passes through it end to end, so it bounds only plain).
//
//   node bench/relay-floor.mjs LISTEN_HOST CONTROL_PORT UPSTREAM_PORT PASSIVE_MIN PASSIVE_MAX
//
// Prints "ready" once every port listens.
import { connect, createServer } from 'node:net';

const [host, control, upstream, min, max] = process.argv.slice(2);
const READ = 1024 * 1024;
const ports = [[Number(control), Number(upstream)]];
for (let port = Number(min); port <= Number(max); port++) ports.push([port, port]);

/** Copies `from` (read by `onread`) to `to`; returns the socket's onread option. */
function copier(getFrom, getTo) {
  let buffer = Buffer.allocUnsafe(READ);
  let taken = false;
  return {
    buffer: () => {
      if (taken) {
        buffer = Buffer.allocUnsafe(READ);
        taken = false;
      }
      return buffer;
    },
    callback: (bytes, chunk) => {
      const to = getTo();
      const more = to.write(chunk.subarray(0, bytes));
      // A write the kernel did not take whole keeps this buffer: read into a new one.
      if (to.writableLength > 0) taken = true;
      if (!more) to.once('drain', () => getFrom().resume());
      return more;
    },
  };
}

function pipeStream(from, to) {
  from.on('data', (chunk) => {
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
}

let listening = 0;
for (const [port, target] of ports) {
  const server = createServer({ pauseOnConnect: true, noDelay: true }, (client) => {
    const server = connect({
      host: '127.0.0.1',
      port: target,
      noDelay: true,
      onread: copier(
        () => server,
        () => client,
      ),
    });
    pipeStream(client, server);
    for (const [a, b] of [
      [client, server],
      [server, client],
    ]) {
      a.on('end', () => b.end());
      a.on('error', () => b.destroy());
      a.on('close', () => b.destroy());
    }
    client.resume();
  });
  server.listen({ host, port }, () => {
    if (++listening === ports.length) console.log('ready');
  });
}
