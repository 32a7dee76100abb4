import type { HostPort } from '@ftpwire/address';

/**
 * A data channel as the session core sees it. The session's I/O side owns the listener and the
 * sockets behind it; the core only decides when it is used, armed or dropped.
 */
export interface ChannelHandle {
  /** The port the proxy listens on for the data connection. */
  readonly port: number;
  /** Active mode: the address the server is told to connect to (the proxy's listener). */
  readonly address: HostPort;
  /** False once closed: superseded, refused, timed out or done. */
  readonly open: boolean;
  /**
   * Set when the data connection failed on the client's side (its TLS handshake under PROT P):
   * the transfer's reply must not tell the client it succeeded.
   */
  readonly clientFailure: string | undefined;
  /** With `clientFailure`: the proxy could not even connect to the client's port (active mode). */
  readonly clientUnreachable?: boolean;
  /** Passive mode (and `active-passive`): the server's data port, read from its 227 or 229. */
  setTarget(port: number): void;
  /** Starts the wait for the data connection (bounded by `dataTimeout`). */
  arm(): void;
  /** A transfer command using this channel went to the server. */
  commandSent(): void;
  /** The server answered that command with a preliminary reply (150, 125). */
  preliminaryReply(): void;
  /**
   * The server's final reply to that command: a 2xx lets the end of the data connection pass on
   * as complete; anything else aborts it (a reset).
   */
  finalReply(code: number): void;
  close(): void;
}

/**
 * What the core asks the I/O side to open: a listener for the client (`passive`), a listener
 * for the server (`active`), or none (`active-passive`: the client listens, and so does the
 * server after the PASV or EPSV the proxy sent in place of its PORT or EPRT; the proxy connects
 * to both when the transfer command has gone to the server).
 */
export type ChannelRequest =
  | { readonly mode: 'passive' }
  | {
      readonly mode: 'active' | 'active-passive';
      /** The port the client listens on, at its own address. */
      readonly clientPort: number;
    };
