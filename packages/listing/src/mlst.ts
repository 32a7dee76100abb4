import { isLosslessDecoding } from '@ftpwire/lines';
import { parseReply, type Reply, ReplyError } from '@ftpwire/reply';
import type { MlsxEntry } from './entry.js';
import { ListingError, quoteText } from './errors.js';
import { readFacts } from './facts.js';

const MLST_OK = 250;

/** The reply as an object: parsed here when given as text, its code checked either way. */
function replyOf(reply: string | Reply): Reply {
  let parsed = reply;
  if (typeof parsed === 'string') {
    try {
      parsed = parseReply(parsed);
    } catch (error) {
      if (!(error instanceof ReplyError)) throw error;
      throw new ListingError(
        'ERR_INVALID_MLST_REPLY',
        `expected one complete reply: ${error.message}`,
        error.offset,
        { cause: error },
      );
    }
  }
  if (parsed.code !== MLST_OK) {
    throw new ListingError(
      'ERR_UNEXPECTED_REPLY_CODE',
      `expected a ${MLST_OK} reply to MLST, got ${parsed.code}`,
      0,
    );
  }
  return parsed;
}

/**
 * Parses the reply to MLST (RFC 3659 §7.2): `250-` and any text, one line holding a single
 * space and the entry, then the closing `250` line. The entry reads as `parseFacts` reads an
 * MLSD line; its pathname is the one the server names, often the full path. Takes the reply's
 * text, or a `Reply` from `@ftpwire/reply` (whose `rawLines` keep a name that is not UTF-8).
 *
 * Throws `ListingError`: `ERR_UNEXPECTED_REPLY_CODE` for any code but 250 (a 550 for a missing
 * file), `ERR_INVALID_MLST_REPLY` for anything but exactly one entry line opened by a space
 * inside a multi-line 250, and the errors of `parseFacts` for the entry. Offsets count
 * characters of the reply's text, lines joined with CRLF.
 *
 * @example
 * ```ts
 * import { parseMlstReply } from '@ftpwire/listing';
 *
 * const entry = parseMlstReply(
 *   '250-Listing /pub/notes.txt\r\n type=file;size=12;modify=20240229134501; /pub/notes.txt\r\n250 End\r\n',
 * );
 * entry.name; // => '/pub/notes.txt'
 * entry.size; // => 12
 * parseMlstReply('550 /pub/missing: No such file or directory'); // throws ListingError ERR_UNEXPECTED_REPLY_CODE
 * parseMlstReply('250 type=file; /pub/notes.txt'); // throws ListingError ERR_INVALID_MLST_REPLY
 * ```
 */
export function parseMlstReply(reply: string | Reply): MlsxEntry {
  const parsed = replyOf(reply);
  const { lines } = parsed;
  const opening = lines[0] ?? '';
  if (lines.length !== 3 || opening.charCodeAt(3) !== 0x2d) {
    throw new ListingError(
      'ERR_INVALID_MLST_REPLY',
      `expected "250-", one entry line and "250", got ${lines.length} line${lines.length === 1 ? '' : 's'} opening ${quoteText(opening, 0, opening.length)}`,
      0,
    );
  }
  const line = lines[1]!;
  // Offsets count from the reply's first character, lines ending in CRLF.
  const base = opening.length + 2;
  if (line.charCodeAt(0) !== 0x20) {
    throw new ListingError(
      'ERR_INVALID_MLST_REPLY',
      `expected the entry line to begin with a space, got ${quoteText(line, 0, line.length)}`,
      base,
    );
  }
  // Only a line with U+FFFD can have lost bytes: rawLines is not even built otherwise.
  const rawLine = line.includes('\ufffd') ? parsed.rawLines[1]! : undefined;
  const raw = rawLine && !isLosslessDecoding(line, rawLine) ? rawLine.subarray(1) : undefined;
  try {
    return readFacts(line, 1, line.length, raw);
  } catch (error) {
    if (!(error instanceof ListingError)) throw error;
    throw new ListingError(error.code, error.message, base + 1 + error.offset, { cause: error });
  }
}
