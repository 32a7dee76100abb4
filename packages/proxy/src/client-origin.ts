import type { HostPort } from '@ftpwire/address';

/**
 * Who a session's client is: the peer of its control connection, or, behind a load balancer
 * trusted to send a PROXY header, the client the header names. This address is the client's
 * everywhere the proxy uses one: data connection checks, active mode, `maxPerIp`, logs, metrics.
 */
export interface ClientOrigin {
  /** The client's address, normalized (`::ffff:a.b.c.d` as `a.b.c.d`). */
  readonly address: string;
  readonly port: number;
  /** Where the client connected to: the header's destination, or the socket's own end. */
  readonly destination: HostPort;
  /** The load balancer's address when a PROXY header named the client; undefined otherwise. */
  readonly via: string | undefined;
}
