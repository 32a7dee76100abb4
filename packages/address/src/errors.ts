/**
 * Stable codes of {@link AddressError}: match on these, never on messages. A server tells
 * apart the EPRT it cannot read (501) from the one it cannot serve (522).
 *
 * @example
 * ```ts
 * import {
 *   AddressError,
 *   type AddressErrorCode,
 *   decodeExtendedAddress,
 *   formatNetworkProtocolsReply,
 * } from '@ftpwire/address';
 *
 * function replyTo(code: AddressErrorCode): string {
 *   return code === 'ERR_UNSUPPORTED_NETWORK_PROTOCOL'
 *     ? formatNetworkProtocolsReply() // RFC 2428 §2: 522, with the protocols it speaks
 *     : '501 Syntax error in parameters or arguments.\r\n';
 * }
 * try {
 *   decodeExtendedAddress('|3|x|21|');
 * } catch (error) {
 *   if (!(error instanceof AddressError)) throw error;
 *   replyTo(error.code); // => '522 Network protocol not supported, use (1,2)\r\n'
 * }
 * ```
 */
export type AddressErrorCode =
  /** Text that is not a strict dotted-quad IPv4 address. */
  | 'ERR_INVALID_IPV4'
  /** Text that is not an IPv6 address (RFC 4291 §2.2), or one with a zone id where none may be. */
  | 'ERR_INVALID_IPV6'
  /** Text that is neither an IPv4 nor an IPv6 address, or a host of the wrong family. */
  | 'ERR_INVALID_HOST'
  /** A port that is not an integer from 1 to 65535 (given to an encoder or `choosePassiveHost`). */
  | 'ERR_INVALID_PORT'
  /** An `h1,h2,h3,h4,p1,p2` argument (PORT, RFC 959) that is malformed or out of range. */
  | 'ERR_INVALID_HOST_PORT'
  /** A 227 reply without a valid `h1,h2,h3,h4,p1,p2` in its text. */
  | 'ERR_INVALID_PASV_REPLY'
  /** A 229 reply without a valid `(<d><d><d><port><d>)` (RFC 2428 §3). */
  | 'ERR_INVALID_EPSV_REPLY'
  /** An EPRT `<d><af><d><addr><d><port><d>` argument (RFC 2428 §2) that is malformed. */
  | 'ERR_INVALID_EXTENDED_ADDRESS'
  /** An LPRT `af,hal,h1,...,pal,p1,p2` argument (RFC 1639 §2) that is malformed. */
  | 'ERR_INVALID_LONG_ADDRESS'
  /** A 228 reply without a valid long address in its text (RFC 1639 §3). */
  | 'ERR_INVALID_LPSV_REPLY'
  /** A 522 reply without a valid `(1,2)` network protocol list (RFC 2428 §2). */
  | 'ERR_INVALID_PROTOCOL_LIST'
  /**
   * A well-formed EPRT or LPRT address of a network protocol this package does not speak
   * (EPRT families other than 1 and 2, LPRT families other than 4 and 6). A server answers
   * it with 522 (RFC 2428) or 521 (RFC 1639), not 501.
   */
  | 'ERR_UNSUPPORTED_NETWORK_PROTOCOL'
  /** A reply whose code is not the one the parser reads (a 500 given to `parsePasvReply`). */
  | 'ERR_UNEXPECTED_REPLY_CODE'
  /** Reply text to format that would break the reply or its parsing (CR, LF, digits, ...). */
  | 'ERR_INVALID_TEXT'
  /** An EPRT delimiter outside ASCII 33-126 or one that can occur inside the address. */
  | 'ERR_INVALID_DELIMITER'
  /** A passive host policy name that does not exist. */
  | 'ERR_INVALID_POLICY'
  /** The `strict` policy found a 227 address that differs from the control connection's peer. */
  | 'ERR_PASSIVE_HOST_MISMATCH';

/**
 * The one error class of `@ftpwire/address`. Every decoder throws it, and only it, on
 * any input, with the offset of the offending character.
 *
 * @example
 * ```ts
 * import { AddressError, decodeHostPort } from '@ftpwire/address';
 *
 * try {
 *   decodeHostPort('10,0,0,300,4,1');
 * } catch (error) {
 *   if (!(error instanceof AddressError)) throw error;
 *   error.code; // => 'ERR_INVALID_HOST_PORT'
 *   error.offset; // => 7
 *   error.message; // => 'host byte h4 "300" is over 255'
 * }
 * ```
 */
export class AddressError extends Error {
  /** `'AddressError'`, so logs and `error.name` tell the packages' errors apart. */
  override readonly name = 'AddressError';
  /**
   * Errors are made by the codecs; a subclass or a test may make its own.
   *
   * @param code stable machine-readable code
   * @param message what was expected and what came
   * @param offset character offset in the decoded text where the offending part begins
   *   (for a reply object: in its lines joined with CRLF); 0 for encoder arguments
   */
  constructor(
    readonly code: AddressErrorCode,
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Quotes at most a few dozen characters of peer text for an error message, escaped. */
export function quote(text: string, start = 0, end: number = text.length): string {
  const from = Math.max(0, start);
  const limit = Math.min(end, text.length, from + 40);
  let out = '';
  for (let i = from; i < limit; i++) {
    const unit = text.charCodeAt(i);
    out +=
      unit >= 0x20 && unit < 0x7f && unit !== 0x22 && unit !== 0x5c
        ? text[i]
        : `\\u${unit.toString(16).padStart(4, '0')}`;
  }
  return `"${out}${Math.min(end, text.length) > limit ? '...' : ''}"`;
}
