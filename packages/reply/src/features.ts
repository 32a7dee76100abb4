import { ReplyError } from './errors.js';
import { formatReply } from './format.js';
import type { Reply } from './reply.js';
import { replyLinesOf } from './reply-lines.js';
import { checkText, quoteText } from './text.js';

const SPACE = 0x20;
const TAB = 0x09;
const SEMICOLON = 0x3b;

function isBlank(unit: number): boolean {
  return unit === SPACE || unit === TAB;
}

/**
 * Adds a feature to `features`. A repeated one's parameters are joined with `;` as IIS lists
 * several on one line (`AUTH TLS;TLS-C;SSL;TLS-P;`); vsftpd lists `AUTH SSL` and `AUTH TLS` on
 * two. Only repeated features get a set of the parameters seen and a list joined at the end,
 * so the common list costs one map entry a line, and a hostile list of repeats linear time.
 */
function add(
  features: Map<string, string>,
  repeated: Map<string, Set<string>>,
  name: string,
  parameters: string,
): void {
  const known = features.get(name);
  if (known === undefined) {
    features.set(name, parameters);
    return;
  }
  let seen = repeated.get(name);
  if (seen === undefined) {
    seen = new Set(known === '' ? [] : [known]);
    repeated.set(name, seen);
  }
  if (parameters !== '') seen.add(parameters);
}

/** Writes each repeated feature's parameters, joined with `;`, into `features`. */
function joinRepeated(features: Map<string, string>, repeated: Map<string, Set<string>>): void {
  for (const [name, parts] of repeated) {
    let value = '';
    // Read the part, not the joined value: charCodeAt would flatten a growing string each time.
    let separate = false;
    for (const part of parts) {
      value += separate ? `;${part}` : part;
      separate = part.charCodeAt(part.length - 1) !== SEMICOLON;
    }
    features.set(name, value);
  }
}

/**
 * Reads the features a server lists in its 211 reply to FEAT (RFC 2389 §3.2): each middle
 * line is ` <name>[ <parameters>]`. Names are case-insensitive, so the keys are upper-cased;
 * the value is the parameter text as sent (`MLST type*;size*;modify*;` gives
 * `'type*;size*;modify*;'`), or `''` for a feature without parameters.
 *
 * What real servers send beyond RFC 2389, and what this does with it:
 * - a single-line `211 No features` (RFC 2389's `no-features` form): an empty map;
 * - feature lines indented by no space or several (IIS 6 uses four) or repeating `211-`
 *   (as `Reply.text` treats them): read the same; blank lines are skipped;
 * - a feature listed twice (vsftpd: `AUTH SSL`, `AUTH TLS`): one key, the parameters joined
 *   with `;` in the order listed (`'SSL;TLS'`), the form IIS uses on one line;
 * - any code but 211, including the 500 or 502 of a server without FEAT: `ReplyError`
 *   `ERR_UNEXPECTED_REPLY_CODE`, never an empty map, so a failure is not read as "no
 *   features" by accident (a caller who wants that writes `code === 211 ? ... : new Map()`).
 *
 * The text of the first and last lines (`Features:`, `End`) is ignored.
 *
 * @param reply the reply as wire text (multi-line, CRLF between lines) or a parsed `Reply`
 * @example
 * ```ts
 * import { parseFeatureReply, parseReply } from '@ftpwire/reply';
 *
 * const features = parseFeatureReply(
 *   '211-Features:\r\n EPSV\r\n mlst type*;size*;modify*;\r\n REST STREAM\r\n211 End\r\n',
 * );
 * features.get('MLST'); // => 'type*;size*;modify*;'
 * features.get('REST'); // => 'STREAM'
 * features.has('EPSV'); // => true
 * parseFeatureReply(parseReply('211 No features\r\n')).size; // => 0
 * parseFeatureReply('211-Features:\r\n AUTH SSL\r\n AUTH TLS\r\n211 End').get('AUTH'); // => 'SSL;TLS'
 * parseFeatureReply('502 Command not implemented.'); // throws ReplyError ERR_UNEXPECTED_REPLY_CODE
 * ```
 */
export function parseFeatureReply(reply: string | Reply): ReadonlyMap<string, string> {
  const lines = replyLinesOf(reply, 211);
  const features = new Map<string, string>();
  const repeated = new Map<string, Set<string>>();
  for (let index = 1; index < lines.length - 1; index++) {
    const line = lines[index]!;
    const length = line.length;
    let start = line.startsWith('211-') ? 4 : 0;
    while (start < length && isBlank(line.charCodeAt(start))) start++;
    if (start === length) continue;
    let nameEnd = start + 1;
    while (nameEnd < length && !isBlank(line.charCodeAt(nameEnd))) nameEnd++;
    const name = line.slice(start, nameEnd).toUpperCase();
    if (nameEnd === length) {
      add(features, repeated, name, '');
      continue;
    }
    let parameters = nameEnd + 1;
    while (parameters < length && isBlank(line.charCodeAt(parameters))) parameters++;
    let end = length;
    while (end > parameters && isBlank(line.charCodeAt(end - 1))) end--;
    add(features, repeated, name, line.slice(parameters, end));
  }
  if (repeated.size > 0) joinRepeated(features, repeated);
  return features;
}

/**
 * Formats a 211 reply to FEAT (RFC 2389 §3.2) with CRLF: `211-Features:`, one ` <name>[
 * <parameters>]` line per feature in the order given, `211 End`; with no feature, the
 * single-line `211 No features`. Names are written as given (RFC 2389: case does not matter).
 * Refuses (`ReplyError` `ERR_INVALID_TEXT`) a name that is empty or holds anything but
 * visible ASCII, and parameters with CR, LF or NUL or a leading or trailing space or tab
 * (which a reader strips); on refusal nothing is returned.
 *
 * @param features feature names and their parameter text (`''` for none)
 * @example
 * ```ts
 * import { formatFeatureReply } from '@ftpwire/reply';
 *
 * formatFeatureReply(new Map([['EPSV', ''], ['MLST', 'type*;size*;'], ['UTF8', '']]));
 * // => '211-Features:\r\n EPSV\r\n MLST type*;size*;\r\n UTF8\r\n211 End\r\n'
 * formatFeatureReply(new Map()); // => '211 No features\r\n'
 * formatFeatureReply(new Map([['REST STREAM', '']])); // throws ReplyError ERR_INVALID_TEXT
 * ```
 */
export function formatFeatureReply(features: ReadonlyMap<string, string>): string {
  if (features.size === 0) return '211 No features\r\n';
  const lines = ['Features:'];
  for (const [name, parameters] of features) {
    for (let i = 0; i < name.length; i++) {
      const unit = name.charCodeAt(i);
      if (unit < 0x21 || unit > 0x7e) {
        throw new ReplyError(
          'ERR_INVALID_TEXT',
          `a feature name is visible ASCII without spaces (RFC 2389 VCHAR), got ${quoteText(name)}`,
          i,
        );
      }
    }
    if (name === '') throw new ReplyError('ERR_INVALID_TEXT', 'a feature name is not empty', 0);
    checkText(parameters, 'ERR_INVALID_TEXT', 'feature parameters');
    const last = parameters.length - 1;
    if (last >= 0 && (isBlank(parameters.charCodeAt(0)) || isBlank(parameters.charCodeAt(last)))) {
      throw new ReplyError(
        'ERR_INVALID_TEXT',
        `feature parameters must not begin or end with a space or tab, got ${quoteText(parameters)}`,
        isBlank(parameters.charCodeAt(0)) ? 0 : last,
      );
    }
    lines.push(parameters === '' ? ` ${name}` : ` ${name} ${parameters}`);
  }
  lines.push('End');
  return formatReply(211, lines);
}
