import { AddressError, quote } from './errors.js';
import { expectChar, isDigit, readDecimal, scan } from './numbers.js';
import { checkReplyCode, checkReplyText, type ReplyLike, replyTextOf } from './reply-text.js';

const OPEN = 0x28;
const CLOSE = 0x29;
const COMMA = 0x2c;
const CODE = 'ERR_INVALID_PROTOCOL_LIST';

/**
 * Where the list opened by the `(` at `text[i]` has its first number: `(1,2)` (RFC 2428 §2)
 * or pyftpdlib's `(use 1)` ("use" in any ASCII case, one space); -1 when this `(` opens none.
 */
function listStart(text: string, i: number): number {
  if (isDigit(text.charCodeAt(i + 1))) return i + 1;
  const isUse =
    (text.charCodeAt(i + 1) | 0x20) === 0x75 &&
    (text.charCodeAt(i + 2) | 0x20) === 0x73 &&
    (text.charCodeAt(i + 3) | 0x20) === 0x65 &&
    text.charCodeAt(i + 4) === 0x20 &&
    isDigit(text.charCodeAt(i + 5));
  return isUse ? i + 5 : -1;
}

/**
 * Reads the network protocols a server offers in its 522 reply to an EPRT (or EPSV) it does
 * not support: RFC 2428 §2, `522 Network protocol not supported, use (1,2)`, or pyftpdlib's
 * `522 Network protocol not supported (use 1).` The first `(` followed by a digit, or by `use `
 * and a digit, opens the list; each entry must be a number 1-65535 (IANA address
 * family numbers: 1 is IPv4, 2 is IPv6), separated by commas, closed by `)`. Anything else
 * throws `ERR_INVALID_PROTOCOL_LIST`; another code than 522 throws
 * `ERR_UNEXPECTED_REPLY_CODE`.
 *
 * @example
 * ```ts
 * import { parseNetworkProtocolsReply } from '@ftpwire/address';
 *
 * parseNetworkProtocolsReply('522 Network protocol not supported, use (1,2)'); // => [1, 2]
 * // An IPv4-only server: the client retries with PORT instead of EPRT.
 * parseNetworkProtocolsReply('522 Network protocol not supported, use (1)'); // => [1]
 * // pyftpdlib's wording, from an IPv6-only server:
 * parseNetworkProtocolsReply('522 Network protocol not supported (use 2).'); // => [2]
 * ```
 */
export function parseNetworkProtocolsReply(reply: string | ReplyLike): number[] {
  const text = replyTextOf(reply, 522);
  checkReplyCode(text, 522, CODE);
  const start = 3;
  const end = text.length;
  let first = -1;
  for (let i = start; i + 1 < end && first < 0; i++) {
    if (text.charCodeAt(i) === OPEN) first = listStart(text, i);
  }
  if (first < 0) {
    throw new AddressError(
      CODE,
      `expected a protocol list such as (1,2) in the 522 reply, got ${quote(text, 0, end)}`,
      start,
    );
  }
  const protocols: number[] = [];
  let i = first;
  for (;;) {
    const protocol = readDecimal(text, i, end, CODE, 'a network protocol number', 65535);
    if (protocol === 0) {
      throw new AddressError(CODE, 'network protocol 0 is reserved', i);
    }
    protocols.push(protocol);
    i = scan.end;
    if (i < end && text.charCodeAt(i) === COMMA) {
      i++;
      continue;
    }
    expectChar(text, i, end, CLOSE, CODE, 'to close the protocol list');
    return protocols;
  }
}

/**
 * Formats the 522 reply of RFC 2428 §2 with the network protocols the server supports,
 * `522 <text> (1,2)` with CRLF.
 *
 * @param protocols network protocol numbers 1-65535; default `[1, 2]` (IPv4 and IPv6)
 * @param text the message before the list; default `Network protocol not supported, use`
 * @example
 * ```ts
 * import { formatNetworkProtocolsReply } from '@ftpwire/address';
 *
 * formatNetworkProtocolsReply(); // => '522 Network protocol not supported, use (1,2)\r\n'
 * formatNetworkProtocolsReply([1]); // => '522 Network protocol not supported, use (1)\r\n'
 * ```
 */
export function formatNetworkProtocolsReply(
  protocols: readonly number[] = [1, 2],
  text = 'Network protocol not supported, use',
): string {
  if (protocols.length === 0) {
    throw new AddressError(CODE, 'a 522 reply lists at least one network protocol', 0);
  }
  for (const protocol of protocols) {
    if (!Number.isInteger(protocol) || protocol < 1 || protocol > 65535) {
      throw new AddressError(CODE, `a network protocol number is 1-65535, got ${protocol}`, 0);
    }
  }
  checkReplyText(text, '()', 'clients take the first "(" as the start of the list');
  return `522 ${text} (${protocols.join(',')})\r\n`;
}
