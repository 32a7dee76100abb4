import { ReplyError } from './errors.js';
import type { Reply } from './reply.js';
import { replyLinesOf } from './reply-lines.js';
import { checkText, quoteText } from './text.js';

const CODE = 'ERR_INVALID_PATHNAME_REPLY';
const QUOTE = 0x22;

/**
 * Reads the path of a 257 reply to PWD or MKD (RFC 959 Appendix II): the first quoted name on
 * the reply's first line, `257 "/usr/dm" is current directory.`, where `""` inside the quotes
 * stands for one `"`. Text before the opening quote is skipped, as curl does for servers that
 * write a word first; the commentary after the name is ignored. A 257 without a closed quoted
 * name, with an empty one, or with CR or NUL in it throws `ReplyError`
 * `ERR_INVALID_PATHNAME_REPLY`; another code throws `ERR_UNEXPECTED_REPLY_CODE`.
 *
 * The name is returned exactly as quoted: not resolved, not trimmed. Linear time: every
 * character is read once.
 *
 * @param reply the reply as wire text starting with its code (a final CRLF is fine), or a
 *   parsed `Reply`
 * @example
 * ```ts
 * import { parsePathnameReply, parseReply } from '@ftpwire/reply';
 *
 * parsePathnameReply('257 "/home/anna" is the current directory'); // => '/home/anna'
 * parsePathnameReply('257 "/say ""hi""" created'); // => '/say "hi"'
 * parsePathnameReply(parseReply('257 "/" is your current location\r\n')); // => '/'
 * parsePathnameReply('257 MKD command successful.'); // throws ReplyError ERR_INVALID_PATHNAME_REPLY
 * ```
 */
export function parsePathnameReply(reply: string | Reply): string {
  const line = replyLinesOf(reply, 257)[0]!;
  const open = line.indexOf('"', 4);
  if (open < 0) {
    throw new ReplyError(
      CODE,
      `expected a quoted name such as "/home" in the 257 reply, got ${quoteText(line)}`,
      Math.min(4, line.length),
    );
  }
  let name = '';
  let from = open + 1;
  let close: number;
  for (;;) {
    close = line.indexOf('"', from);
    if (close < 0) {
      throw new ReplyError(
        CODE,
        `expected a closing quote for the name opened at offset ${open}, got ${quoteText(line, open)}`,
        line.length,
      );
    }
    // RFC 959 Appendix II: "embedded double-quotes should be escaped by double-quotes".
    if (line.charCodeAt(close + 1) !== QUOTE) break;
    name += line.slice(from, close + 1);
    from = close + 2;
  }
  name = from === open + 1 ? line.slice(from, close) : name + line.slice(from, close);
  if (name === '') throw new ReplyError(CODE, 'expected a path between the quotes, got ""', open);
  // A name with CR or NUL would be cut short or end a command line early wherever it is sent;
  // LF cannot be there, it ends the line. Two native scans cost less than a loop in JavaScript.
  const cr = line.indexOf('\r', open);
  const nul = line.indexOf('\0', open);
  const bad = Math.min(cr < 0 ? close : cr, nul < 0 ? close : nul);
  if (bad < close) {
    throw new ReplyError(
      CODE,
      `a path must not contain CR or NUL, got ${quoteText(line, Math.max(open, bad - 10), bad + 10)}`,
      bad,
    );
  }
  return name;
}

/**
 * Formats a 257 reply with CRLF, RFC 959 Appendix II's form: `257 "<path>" <text>`, every `"`
 * in the path doubled. Refuses (`ReplyError` `ERR_INVALID_TEXT`) an empty path and CR, LF or
 * NUL in the path or the text; on refusal nothing is returned.
 *
 * @param text the commentary after the name; default `is the current directory` (PWD); a
 *   server answering MKD passes its own, such as `created`; `''` for none
 * @example
 * ```ts
 * import { formatPathnameReply } from '@ftpwire/reply';
 *
 * formatPathnameReply('/home/anna'); // => '257 "/home/anna" is the current directory\r\n'
 * formatPathnameReply('/say "hi"', 'created'); // => '257 "/say ""hi""" created\r\n'
 * formatPathnameReply('/tmp\r\n226 Done'); // throws ReplyError ERR_INVALID_TEXT at offset 4
 * ```
 */
export function formatPathnameReply(path: string, text = 'is the current directory'): string {
  if (path === '') throw new ReplyError('ERR_INVALID_TEXT', 'a path must not be empty', 0);
  checkText(path, 'ERR_INVALID_TEXT', 'a path');
  checkText(text, 'ERR_INVALID_TEXT', 'reply text');
  return `257 "${path.replaceAll('"', '""')}"${text === '' ? '' : ` ${text}`}\r\n`;
}
