/**
 * The addresses of FTP: IPv4 and IPv6 text (strict, RFC 5952 canonical output) and
 * classification, the data-address forms of PORT and 227 (RFC 959), EPRT and 229 (RFC 2428),
 * LPRT and 228 (RFC 1639), and the policies a client applies before dialling a passive
 * address. Every decoder throws `AddressError` on anything out of range; none masks or wraps.
 *
 * @module \@ftpwire/address
 */
export {
  type AddressKind,
  classifyAddress,
  isIPv4MappedAddress,
  isPrivateAddress,
  normalizeAddress,
  sameAddress,
} from './classify.js';
export { formatEpsvReply, parseEpsvReply } from './epsv.js';
export { AddressError, type AddressErrorCode } from './errors.js';
export {
  decodeExtendedAddress,
  type ExtendedAddress,
  encodeExtendedAddress,
} from './extended.js';
export { decodeHostPort, encodeHostPort, type HostPort } from './host-port.js';
export { formatIPv4, isIPv4, parseIPv4 } from './ipv4.js';
export { canonicalIPv6, formatIPv6, isIPv6, parseIPv6 } from './ipv6.js';
export {
  decodeLongAddress,
  encodeLongAddress,
  formatLpsvReply,
  type LongAddress,
  parseLpsvReply,
} from './long.js';
export { formatPasvReply, parsePasvReply } from './pasv.js';
export {
  choosePassiveHost,
  type PassiveHostChoice,
  type PassiveHostOptions,
  type PassiveHostPolicy,
} from './policy.js';
export { formatNetworkProtocolsReply, parseNetworkProtocolsReply } from './protocols.js';
export type { ReplyLike } from './reply-text.js';
