import type { Socket } from 'node:net';
import { ProxyError } from './errors.js';
import { PROXY_V2_SIGNATURE, type ProxyHeader, ProxyHeaderParser } from './proxy-protocol.js';

const V1_START = Uint8Array.from('PROXY ', (char) => char.charCodeAt(0));

/**
 * Reads the PROXY header a trusted peer must send first on `socket` (paused, nothing read yet).
 * Resolves with the header once whole, the bytes that came after it put back on the socket for
 * whoever reads next (a TLS handshake included: Node's TLSSocket takes what its socket holds);
 * the socket is paused again. Rejects with `ERR_PROXY_HEADER` when the bytes cannot be a header,
 * the peer closes first, or `timeout` ms pass (§2: "the receiver may apply a short timeout").
 */
export function readProxyHeader(socket: Socket, timeout: number): Promise<ProxyHeader> {
  const parser = new ProxyHeaderParser();
  return new Promise<ProxyHeader>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new ProxyError('ERR_PROXY_HEADER', `no PROXY header within ${timeout} ms`)),
      timeout,
    );
    const onData = (chunk: Buffer) => {
      let done: ReturnType<ProxyHeaderParser['push']>;
      try {
        done = parser.push(chunk);
      } catch (error) {
        fail(error as ProxyError);
        return;
      }
      if (done === undefined) return;
      cleanup();
      socket.pause();
      if (done.rest.length > 0) socket.unshift(Buffer.from(done.rest));
      resolve(done.header);
    };
    const onEnd = () =>
      fail(
        new ProxyError(
          'ERR_PROXY_HEADER',
          `the connection ended after ${parser.buffered} bytes, before a whole PROXY header`,
          parser.buffered,
        ),
      );
    const fail = (error: ProxyError) => {
      cleanup();
      socket.pause();
      reject(error);
    };
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.resume();
  });
}

/** Whether `bytes` agree with `signature` as far as both go. */
function agrees(bytes: Uint8Array, signature: Uint8Array): boolean {
  const n = Math.min(bytes.length, signature.length);
  for (let i = 0; i < n; i++) if (bytes[i] !== signature[i]) return false;
  return true;
}

/**
 * Watches the first bytes of a connection from a peer that is not trusted to send a PROXY header
 * (§5: "accepting the header only from a number of known sources"): bytes that begin one, `PROXY `
 * or the version 2 signature, end the connection instead of reaching the FTP parser, so that a
 * client cannot pass itself off as another. No FTP command begins either way: a client's first
 * bytes decide at once; they are held only while they could still begin a header (12 bytes at
 * most).
 */
export class UntrustedStart {
  #held: Uint8Array | undefined = new Uint8Array(0);

  /** Bytes from the peer: what may go on to the FTP parser, undefined while undecided. */
  push(chunk: Uint8Array): Uint8Array | undefined {
    const held = this.#held;
    if (held === undefined) return chunk;
    const bytes = held.length === 0 ? chunk : concat(held, chunk);
    const v1 = agrees(bytes, V1_START);
    const v2 = agrees(bytes, PROXY_V2_SIGNATURE);
    if (
      (v1 && bytes.length >= V1_START.length) ||
      (v2 && bytes.length >= PROXY_V2_SIGNATURE.length)
    ) {
      this.#held = undefined;
      throw new ProxyError(
        'ERR_PROXY_HEADER',
        'a PROXY header from a peer not trusted to send one',
        0,
      );
    }
    if (v1 || v2) {
      this.#held = bytes;
      return undefined;
    }
    this.#held = undefined;
    return bytes;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
