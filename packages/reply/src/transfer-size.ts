import type { Reply } from './reply.js';
import { replyLinesOf } from './reply-lines.js';
import { checkByteCount, readByteCount } from './size.js';

const ZERO = 0x30;
const SPACE = 0x20;
const OPEN = 0x28;

function isDigit(unit: number): boolean {
  return unit >= ZERO && unit <= 0x39;
}

/** True when `line[at, at + 6)` is ` bytes`, letters in any ASCII case (ftplib's re.IGNORECASE). */
function isBytesWord(line: string, at: number): boolean {
  if (at < 0 || line.charCodeAt(at) !== SPACE) return false;
  // "bytes" with the 0x20 bit set: ASCII letters only, so no other character folds onto them.
  const word = [0x62, 0x79, 0x74, 0x65, 0x73];
  for (let k = 0; k < 5; k++) {
    const unit = line.charCodeAt(at + 1 + k);
    if ((unit | 0x20) !== word[k]) return false;
  }
  return true;
}

/**
 * Reads the transfer size some servers put in the 150 reply that opens a data transfer
 * (`150 Opening BINARY mode data connection for f.txt (1234 bytes).`, vsftpd and ProFTPD),
 * exactly as CPython's ftplib `parse150` does with its pattern `150 .* \((\d+) bytes\)`
 * (ASCII, any case, matched at the start of the first line): the last ` (<digits> bytes)` on
 * a first line that starts with `150 `. `undefined` when there is none, which is common and
 * not an error: IIS 7 and later, Pure-FTPd and multi-line 150s give no size this way. Read
 * without a regular expression, from the line's end, so any input costs linear time.
 *
 * Another code throws `ReplyError` `ERR_UNEXPECTED_REPLY_CODE` (as ftplib raises
 * `error_reply`); a count past `Number.MAX_SAFE_INTEGER` throws `ERR_SIZE_TOO_LARGE`.
 *
 * @param reply the reply as wire text starting with its code (a final CRLF is fine), or a
 *   parsed `Reply`
 * @example
 * ```ts
 * import { parseTransferSize } from '@ftpwire/reply';
 *
 * parseTransferSize('150 Opening BINARY mode data connection for f.txt (1234 bytes).'); // => 1234
 * parseTransferSize('150 Here comes the directory listing.'); // => undefined
 * parseTransferSize('425 Use PORT or PASV first.'); // throws ReplyError ERR_UNEXPECTED_REPLY_CODE
 * ```
 */
export function parseTransferSize(reply: string | Reply): number | undefined {
  const line = replyLinesOf(reply, 150)[0]!;
  // The pattern's "150 " is literal: a multi-line reply's "150-" never matches.
  if (line.charCodeAt(3) !== SPACE) return undefined;
  let close = line.lastIndexOf(')');
  while (close >= 0) {
    // " (" digits " bytes)": the ")" fixes where " bytes" and the digits before it are, so each
    // digit is read for one ")" only, and the last match found is the one greedy ".*" keeps.
    const digitsEnd = close - 6;
    if (isBytesWord(line, digitsEnd)) {
      let digitsStart = digitsEnd;
      while (digitsStart > 0 && isDigit(line.charCodeAt(digitsStart - 1))) digitsStart--;
      // ".*" starts after "150 ", so the " (" starts at offset 4 at the earliest.
      if (
        digitsStart < digitsEnd &&
        digitsStart >= 6 &&
        line.charCodeAt(digitsStart - 1) === OPEN &&
        line.charCodeAt(digitsStart - 2) === SPACE
      ) {
        return checkByteCount(readByteCount(line, digitsStart), line, digitsStart, digitsEnd);
      }
    }
    close = close === 0 ? -1 : line.lastIndexOf(')', close - 1);
  }
  return undefined;
}
