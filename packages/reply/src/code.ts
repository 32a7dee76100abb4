import { ReplyError } from './errors.js';

/**
 * RFC 959 §4.2.1 reply classes by first digit; `protected` is RFC 2228's 6yz
 * (integrity or confidentiality protected replies). The class alone tells a client what to
 * do next, whatever the code.
 *
 * @example
 * ```ts
 * import { parseReply, type ReplyClass, replyClass } from '@ftpwire/reply';
 *
 * function nextStep(kind: ReplyClass): string {
 *   switch (kind) {
 *     case 'preliminary': return 'wait for the final reply';
 *     case 'completion': return 'done';
 *     case 'intermediate': return 'send the next command of the sequence';
 *     case 'transient': return 'try again later';
 *     case 'permanent': return 'give up';
 *     case 'protected': return 'decode the RFC 2228 payload first';
 *   }
 * }
 * nextStep(replyClass(parseReply('331 Password required for anna.\r\n').code));
 * // => 'send the next command of the sequence'
 * ```
 */
export type ReplyClass =
  | 'preliminary'
  | 'completion'
  | 'intermediate'
  | 'transient'
  | 'permanent'
  | 'protected';

/**
 * RFC 959 §4.2.1 function groups by second digit: which part of the service a reply is
 * about, useful to count failures by cause.
 *
 * @example
 * ```ts
 * import { type ReplyGroup, replyGroup } from '@ftpwire/reply';
 *
 * const failures = new Map<ReplyGroup | undefined, number>();
 * for (const code of [425, 426, 530, 550, 553]) {
 *   const group = replyGroup(code);
 *   failures.set(group, (failures.get(group) ?? 0) + 1);
 * }
 * Object.fromEntries(failures); // => { connections: 2, authentication: 1, 'file-system': 2 }
 * ```
 */
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
 * `transient` (4yz), `permanent` (5yz) or `protected` (6yz). Throws `ReplyError`
 * `ERR_INVALID_CODE` for a number that is not a code 100-699.
 *
 * @example
 * ```ts
 * import { replyClass } from '@ftpwire/reply';
 *
 * replyClass(150); // => 'preliminary'
 * replyClass(227); // => 'completion'
 * replyClass(631); // => 'protected'
 * replyClass(99); // throws ReplyError ERR_INVALID_CODE
 * ```
 */
export function replyClass(code: number): ReplyClass {
  checkCode(code);
  return CLASSES[Math.floor(code / 100) - 1]!;
}

/**
 * The RFC 959 function group of a reply code (its second digit), or `undefined` for a second
 * digit RFC 959 leaves unassigned (6-9). Throws `ReplyError` `ERR_INVALID_CODE` for a number
 * that is not a code 100-699.
 *
 * @example
 * ```ts
 * import { replyGroup } from '@ftpwire/reply';
 *
 * replyGroup(227); // => 'connections'
 * replyGroup(550); // => 'file-system'
 * replyGroup(290); // => undefined
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
 * import { isPositiveReply } from '@ftpwire/reply';
 *
 * isPositiveReply(331); // => true
 * isPositiveReply(530); // => false
 * isPositiveReply(631); // => false
 * ```
 */
export function isPositiveReply(code: number): boolean {
  checkCode(code);
  return code < 400;
}
