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
  /** Passive mode: the server's data port, read from its 227 or 229. */
  setTarget(port: number): void;
  /** Starts the wait for the data connection (bounded by `dataTimeout`). */
  arm(): void;
  /** A transfer command using this channel went to the server. */
  commandSent(): void;
  /** The server answered that command with a preliminary reply (150, 125). */
  preliminaryReply(): void;
  close(): void;
}

/** What the core asks the I/O side to open. */
export type ChannelRequest =
  | { readonly mode: 'passive' }
  | {
      readonly mode: 'active';
      /** The port the client listens on, at its own address. */
      readonly clientPort: number;
    };
