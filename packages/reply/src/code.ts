import { ReplyError } from './errors.js';

/**
 * RFC 959 §4.2.1 reply classes by first digit; `protected` is RFC 2228's 6yz
 * (integrity or confidentiality protected replies).
 */
export type ReplyClass =
  | 'preliminary'
  | 'completion'
  | 'intermediate'
  | 'transient'
  | 'permanent'
  | 'protected';

/** RFC 959 §4.2.1 function groups by second digit. */
export type ReplyGroup =
  | 'syntax'
  | 'information'
  | 'connections'
  | 'authentication'
  | 'unspecified'
  | 'file-system';

const CLASSES: readonly ReplyClass[] = [
  'preliminary',
  'completion',
  'intermediate',
  'transient',
  'permanent',
  'protected',
];

const GROUPS: readonly ReplyGroup[] = [
  'syntax',
  'information',
  'connections',
  'authentication',
  'unspecified',
  'file-system',
];

function checkCode(code: number): void {
  if (!Number.isInteger(code) || code < 100 || code > 699) {
    throw new ReplyError('ERR_INVALID_CODE', `reply code must be 100-699, got ${code}`, 0);
  }
}

/**
 * The class of a reply code: `preliminary` (1yz), `completion` (2yz), `intermediate` (3yz),
 * `transient` (4yz), `permanent` (5yz) or `protected` (6yz).
 *
 * @example
 * ```ts
 * replyClass(227); // 'completion'
 * ```
 */
export function replyClass(code: number): ReplyClass {
  checkCode(code);
  return CLASSES[Math.floor(code / 100) - 1]!;
}

/**
 * The RFC 959 function group of a reply code (its second digit), or `undefined` for a second
 * digit RFC 959 leaves unassigned (6-9).
 *
 * @example
 * ```ts
 * replyGroup(227); // 'connections'
 * replyGroup(550); // 'file-system'
 * ```
 */
export function replyGroup(code: number): ReplyGroup | undefined {
  checkCode(code);
  return GROUPS[Math.floor(code / 10) % 10];
}

/**
 * True for replies that end a command successfully or move it forward (1yz, 2yz, 3yz).
 * False for 6yz: an RFC 2228 protected reply says nothing until its payload is decoded.
 *
 * @example
 * ```ts
 * isPositiveReply(331); // true
 * isPositiveReply(530); // false
 * ```
 */
export function isPositiveReply(code: number): boolean {
  checkCode(code);
  return code < 400;
}
