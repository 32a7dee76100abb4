import { addressText, isPrivateKind, kindOf, parseAddress } from './classify.js';
import { AddressError } from './errors.js';
import { checkPort, type HostPort } from './host-port.js';

/**
 * How a client picks the host to dial after a 227 reply (see {@link choosePassiveHost}).
 *
 * - `ignore` (the default, and the right choice for almost every client): dial the control
 *   connection's peer and use only the reply's port, as curl (since CVE-2020-8284) and
 *   CPython's ftplib (since CVE-2021-4189) do by default. It works through any NAT and
 *   with FTPS, where no NAT helper can rewrite the reply, and a hostile server cannot make
 *   the client connect to a third host (port scanning, SSRF). It fails only with servers
 *   that really serve data from another host, which is rare outside FXP.
 * - `private-fallback`: dial the reply's host unless it is private (RFC 1918, shared
 *   `100.64/10`, link-local, unique-local, loopback) or unspecified while the control peer
 *   is not; then dial the peer. What FileZilla and basic-ftp do: it repairs a server
 *   behind NAT that advertises its inside address, yet follows servers that send data from
 *   another public host. It still lets a server point the client at any public address.
 * - `strict`: dial the reply's host only when it is the control peer, else throw
 *   `ERR_PASSIVE_HOST_MISMATCH`. Stops FTP bounce like `ignore`, but makes a misconfigured
 *   server (`pasv_address`, `MasqueradeAddress`) visible instead of working around it: for
 *   tests, audits and monitoring.
 * - `trust`: dial what the reply says. Only for site-to-site transfers (FXP) or servers on
 *   a network you control, whose data host is deliberately another machine.
 *
 * @example
 * ```ts
 * import { choosePassiveHost, type PassiveHostPolicy } from '@ftpwire/address';
 *
 * // A server behind NAT advertises its inside address; the client reached it at 193.21.1.121.
 * const reply = { host: '10.0.1.121', port: 3846 };
 * const policies: PassiveHostPolicy[] = ['ignore', 'private-fallback', 'trust'];
 * policies.map((policy) => choosePassiveHost({ reply, controlPeer: '193.21.1.121', policy }).host);
 * // => ['193.21.1.121', '193.21.1.121', '10.0.1.121']
 * ```
 */
export type PassiveHostPolicy = 'trust' | 'ignore' | 'private-fallback' | 'strict';

/**
 * What {@link choosePassiveHost} decides from: the parsed 227 address, the socket's peer,
 * and the policy.
 *
 * @example
 * ```ts
 * import { choosePassiveHost, type PassiveHostOptions, parsePasvReply } from '@ftpwire/address';
 *
 * const options: PassiveHostOptions = {
 *   reply: parsePasvReply('227 Entering Passive Mode (127,0,0,2,117,51).'),
 *   controlPeer: '::ffff:127.0.0.1', // socket.remoteAddress of a dual-stack socket
 *   policy: 'strict',
 * };
 * choosePassiveHost(options); // throws AddressError ERR_PASSIVE_HOST_MISMATCH
 * ```
 */
export interface PassiveHostOptions {
  /** The address from the 227 reply ({@link parsePasvReply}). */
  readonly reply: HostPort;
  /**
   * The control connection's peer address as the socket reports it (`socket.remoteAddress`):
   * IPv4, IPv6 with an optional zone id, or IPv4-mapped IPv6 from a dual-stack socket.
   */
  readonly controlPeer: string;
  /** The policy to apply. Default `ignore`, the safe choice (see {@link PassiveHostPolicy}). */
  readonly policy?: PassiveHostPolicy;
}

/**
 * The address to dial, and where its host came from: `source` lets a client log or count
 * the servers whose 227 address it had to replace.
 *
 * @example
 * ```ts
 * import { choosePassiveHost, type PassiveHostChoice } from '@ftpwire/address';
 *
 * const choice: PassiveHostChoice = choosePassiveHost({
 *   reply: { host: '10.0.1.121', port: 3846 },
 *   controlPeer: '193.21.1.121',
 *   policy: 'private-fallback',
 * });
 * choice; // => { host: '193.21.1.121', port: 3846, source: 'control-peer' }
 * ```
 */
export interface PassiveHostChoice extends HostPort {
  /** `reply` when the 227 host is dialled, `control-peer` when it was replaced. */
  readonly source: 'reply' | 'control-peer';
}

/**
 * Decides which host a client dials for a passive data connection, under a named
 * {@link PassiveHostPolicy}; the port is always the reply's, and a port outside 1-65535 throws
 * `ERR_INVALID_PORT` whatever the policy (port 0 is never a data port). Hosts come out
 * normalized (an IPv4-mapped peer as its IPv4 address, IPv6 in RFC 5952 form, zone id kept).
 *
 * @example
 * ```ts
 * import { choosePassiveHost, parsePasvReply } from '@ftpwire/address';
 *
 * const reply = parsePasvReply('227 Entering Passive Mode (10,0,1,121,15,6).');
 * // The default policy, 'ignore', dials the control connection's peer:
 * choosePassiveHost({ reply, controlPeer: '193.21.1.121' });
 * // => { host: '193.21.1.121', port: 3846, source: 'control-peer' }
 * // 'private-fallback' too, since the reply is private and the peer is not:
 * choosePassiveHost({ reply, controlPeer: '193.21.1.121', policy: 'private-fallback' }).host;
 * // => '193.21.1.121'
 * choosePassiveHost({ reply, controlPeer: '193.21.1.121', policy: 'strict' });
 * // throws AddressError ERR_PASSIVE_HOST_MISMATCH
 * ```
 */
export function choosePassiveHost(options: PassiveHostOptions): PassiveHostChoice {
  const { reply, controlPeer } = options;
  const policy = options.policy ?? 'ignore';
  checkPort(reply.port);
  const replyAddress = parseAddress(reply.host);
  const peerAddress = parseAddress(controlPeer);
  const fromReply: PassiveHostChoice = {
    host: addressText(replyAddress),
    port: reply.port,
    source: 'reply',
  };
  const fromPeer: PassiveHostChoice = {
    host: addressText(peerAddress),
    port: reply.port,
    source: 'control-peer',
  };
  switch (policy) {
    case 'trust':
      return fromReply;
    case 'ignore':
      return fromPeer;
    case 'private-fallback': {
      const replyKind = kindOf(replyAddress);
      const hidden = isPrivateKind(replyKind) || replyKind === 'unspecified';
      const peerKind = kindOf(peerAddress);
      const peerHidden = isPrivateKind(peerKind) || peerKind === 'unspecified';
      return hidden && !peerHidden ? fromPeer : fromReply;
    }
    case 'strict': {
      if (fromReply.host !== fromPeer.host) {
        throw new AddressError(
          'ERR_PASSIVE_HOST_MISMATCH',
          `the 227 reply names ${fromReply.host}, the control connection is to ${fromPeer.host}`,
          0,
        );
      }
      return fromReply;
    }
    default:
      throw new AddressError(
        'ERR_INVALID_POLICY',
        `expected a passive host policy trust, ignore, private-fallback or strict, got ${String(policy)}`,
        0,
      );
  }
}
