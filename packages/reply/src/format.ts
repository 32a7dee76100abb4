import { ReplyError } from './errors.js';

function isDigit(text: string, index: number): boolean {
  const unit = text.charCodeAt(index);
  return unit >= 0x30 && unit <= 0x39;
}

function checkLine(line: string, index: number): void {
  for (let i = 0; i < line.length; i++) {
    const unit = line.charCodeAt(i);
    // CR or LF would end the line early (reply injection); NUL is refused by RFC 959's NVT.
    if (unit === 0x0d || unit === 0x0a || unit === 0x00) {
      throw new ReplyError(
        'ERR_INVALID_TEXT',
        `reply text line ${index} must not contain CR, LF or NUL, got ${JSON.stringify(line.slice(Math.max(0, i - 10), i + 10))} around character ${i}`,
        i,
      );
    }
  }
}

/**
 * Formats a reply as wire text with CRLF: one line for a string or a one-element array,
 * a multi-line reply (RFC 959 §4.2) for several lines. Middle lines that begin with three
 * digits are padded with a space so no client reads them as the closing line.
 * Refuses codes outside 100-599 and CR, LF or NUL in any line; on refusal nothing is returned.
 *
 * @example
 * ```ts
 * import { formatReply } from '@ftpwire/reply';
 *
 * formatReply(227, 'Entering Passive Mode (10,0,1,121,15,6).');
 * // => '227 Entering Passive Mode (10,0,1,121,15,6).\r\n'
 * formatReply(211, ['Features:', ' SIZE', 'End']);
 * // => '211-Features:\r\n SIZE\r\n211 End\r\n'
 * formatReply(214, ['Help:', '200 is not the end', 'End']); // a middle line gets a space
 * // => '214-Help:\r\n 200 is not the end\r\n214 End\r\n'
 * formatReply(550, 'No such file\r\n226 Done'); // throws ReplyError ERR_INVALID_TEXT
 * ```
 */
export function formatReply(code: number, text: string | readonly string[]): string {
  if (!Number.isInteger(code) || code < 100 || code > 599) {
    throw new ReplyError('ERR_INVALID_CODE', `reply code must be 100-599, got ${code}`, 0);
  }
  const lines = typeof text === 'string' ? [text] : text;
  if (lines.length === 0) {
    throw new ReplyError('ERR_INVALID_TEXT', 'reply text must have at least one line', 0);
  }
  lines.forEach(checkLine);
  const last = lines.length - 1;
  if (last === 0) return `${code} ${lines[0]}\r\n`;
  let wire = `${code}-${lines[0]}\r\n`;
  for (let i = 1; i < last; i++) {
    const line = lines[i]!;
    // RFC 959 §4.2: "If an intermediary line begins with a 3-digit number, the Server must pad the front".
    const padded = isDigit(line, 0) && isDigit(line, 1) && isDigit(line, 2);
    wire += `${padded ? ' ' : ''}${line}\r\n`;
  }
  return `${wire}${code} ${lines[last]}\r\n`;
}
