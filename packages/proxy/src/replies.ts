import { formatReply, type Reply } from '@ftpwire/reply';

const encoder = new TextEncoder();
const CRLF = Uint8Array.of(0x0d, 0x0a);

/** A reply the proxy writes itself, encoded once. */
export function ownReply(code: number, text: string): Uint8Array {
  return encoder.encode(formatReply(code, text));
}

/**
 * A reply of the server as the client gets it: its lines byte for byte (names in other
 * encodings than UTF-8 included), each ended with CRLF whatever ending the server used. The
 * proxy writes only replies it has parsed, so a client can never see a line it could frame
 * differently from the proxy.
 */
export function forwardedReply(reply: Reply): Uint8Array {
  return crlfLines(reply.rawLines);
}

/** Wire lines, each ended with CRLF, in one buffer. */
export function crlfLines(lines: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const line of lines) length += line.length + 2;
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const line of lines) {
    bytes.set(line, at);
    at += line.length;
    bytes.set(CRLF, at);
    at += 2;
  }
  return bytes;
}

/**
 * The replies the proxy answers with itself. Their texts never quote the client's line: the same
 * constant bytes serve every session, and nothing a peer sends is echoed to it.
 */
export const LOCAL = {
  syntax: ownReply(500, 'Syntax error: not a command line.'),
  badArgument: ownReply(501, 'Syntax error: the argument may not contain CR or NUL.'),
  unknownVerb: ownReply(502, 'Command not implemented by this proxy.'),
  longAddress: ownReply(502, 'LPRT and LPSV are not supported by this proxy; use EPSV.'),
  activeRefused: ownReply(502, 'Active mode is disabled on this proxy; use PASV or EPSV.'),
  rein: ownReply(502, 'REIN is not supported by this proxy.'),
  securityExchange: ownReply(502, 'This proxy protects the connection with TLS only.'),
  noTls: ownReply(502, 'AUTH is not available: this proxy has no TLS certificate.'),
  authMechanism: ownReply(504, 'AUTH mechanism not supported; use AUTH TLS.'),
  alreadySecure: ownReply(503, 'The control connection is already protected.'),
  ccc: ownReply(534, 'CCC is refused: this proxy keeps the control connection protected.'),
  unreadableAddress: ownReply(501, 'Cannot read the data address.'),
  privilegedPort: ownReply(501, 'The data address may not name a port below 1024.'),
  bounce: ownReply(501, "The data address may only name the client's own address."),
  passivePort: ownReply(425, 'Cannot open a passive data port.'),
  activePort: ownReply(425, 'Cannot open a data port toward the server.'),
  serverAddress: ownReply(425, "Cannot read the server's data address."),
  dataTls: ownReply(425, 'Cannot open the data connection: its TLS handshake failed.'),
  dataLost: ownReply(426, 'Connection closed; transfer aborted.'),
  unexpectedAddress: ownReply(
    502,
    'The server answered with a data address nobody asked for; the proxy withheld it.',
  ),
  serverLost: ownReply(421, 'Service not available, closing control connection.'),
  serverSilent: ownReply(421, 'Service not available: the FTP server did not greet.'),
  unreachable: ownReply(421, 'Service not available: the FTP server cannot be reached.'),
  protocol: ownReply(421, 'Closing: the control connection broke the protocol.'),
  idle: ownReply(421, 'Timeout: the session was idle too long.'),
  login: ownReply(421, 'Timeout: not logged in in time.'),
  slowLine: ownReply(421, 'Timeout: a command line took too long to arrive.'),
  tooMany: ownReply(421, 'Too many connections, try again later.'),
  tooManyFromYou: ownReply(421, 'Too many connections from your address, try again later.'),
  shutdown: ownReply(421, 'Service closing: the proxy is shutting down.'),
  // The client's leg when the proxy answers AUTH, PBSZ and PROT itself (upstreamTls on or off).
  authTls: ownReply(234, 'Proceed with negotiation.'),
  pbsz: ownReply(200, 'PBSZ=0'),
  pbszArgument: ownReply(501, 'PBSZ expects a decimal buffer size.'),
  protClear: ownReply(200, 'Protection level set to Clear.'),
  protPrivate: ownReply(200, 'Protection level set to Private.'),
  protLevel: ownReply(536, 'Protection level not supported; use C or P.'),
  protUnknown: ownReply(504, 'Unknown protection level; use C or P.'),
  securityFirst: ownReply(503, 'Use AUTH TLS first.'),
  upstreamTlsRefused: ownReply(421, 'Service not available: the FTP server refused TLS.'),
  // A client's PORT or EPRT that went to the server as PASV or EPSV (upstreamData passive, epsv).
  portAccepted: ownReply(200, 'PORT command successful.'),
  eprtAccepted: ownReply(200, 'EPRT command successful.'),
  dataClient: ownReply(425, 'Cannot open the data connection to the client.'),
} as const;

/** Every reply of {@link LOCAL}, to tell the proxy's own answers from forwarded ones. */
export const LOCAL_REPLIES: ReadonlySet<Uint8Array> = new Set(Object.values(LOCAL));

/** The code of a reply's wire bytes (three digits first, as every reply here begins). */
export function replyCode(bytes: Uint8Array): number {
  return (bytes[0]! - 0x30) * 100 + (bytes[1]! - 0x30) * 10 + (bytes[2]! - 0x30);
}
