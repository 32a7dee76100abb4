/**
 * A lower bound for any correct NAT session on this traffic, timed beside it in nat.bench.ts:
 * the least work the session's rules force, and nothing else. For both directions it decodes
 * each chunk once (the fastest way found here to find line feeds), finds every line start,
 * reads the command's verb or the reply's code, pairs final replies with pending commands
 * (RFC 959 §4.2, multi-line replies included) and, for each single-line 227 that answers a
 * PASV, finds the first comma of its address. It writes no output and parses no number, so
 * the session, which must, can only be slower. It assumes ASCII and well-formed lines.
 *
 * Returns the number of 227 replies a session would rewrite (checked against the corpus at load).
 */
const decoder = new TextDecoder();
const LOWER_PASV = 0x70617376; // "pasv"
const CASE_BITS = 0x20202020;
const SPACE = 0x20;
const HYPHEN = 0x2d;
/** "000" read as three character codes: 48 * 111. */
const DIGITS_ZERO = 5328;

export interface FloorStep {
  readonly commands: Uint8Array;
  readonly replies: Uint8Array;
}

export function natLowerBound(work: readonly FloorStep[]): number {
  // Ring of pending command kinds: 1 = PASV, 0 = anything else. The greeting is pending first.
  const pending = new Uint8Array(1 << 16);
  let head = 0;
  let length = 1;
  let open = 0;
  let rewrites = 0;
  let commandRest = '';
  let replyRest = '';

  const command = (text: string, i: number): void => {
    const verb =
      ((text.charCodeAt(i) << 24) |
        (text.charCodeAt(i + 1) << 16) |
        (text.charCodeAt(i + 2) << 8) |
        text.charCodeAt(i + 3) |
        CASE_BITS) >>>
      0;
    pending[(head + length++) & 0xffff] = verb === LOWER_PASV ? 1 : 0;
  };
  const reply = (text: string, i: number, lf: number): void => {
    const code =
      text.charCodeAt(i) * 100 + text.charCodeAt(i + 1) * 10 + text.charCodeAt(i + 2) - DIGITS_ZERO;
    const separator = text.charCodeAt(i + 3);
    if (open !== 0) {
      if (code !== open || separator !== SPACE) return;
      open = 0;
    } else if (separator === HYPHEN) {
      open = code;
      return;
    }
    if (code < 200 || code >= 600 || length === 0) return;
    const kind = pending[head]!;
    head = (head + 1) & 0xffff;
    length--;
    if (code === 227 && kind === 1 && text.indexOf(',', i) < lf) rewrites++;
  };

  for (const step of work) {
    if (step.commands.length > 0) {
      const text = decoder.decode(step.commands);
      let i = 0;
      let lf = text.indexOf('\n');
      if (commandRest !== '' && lf !== -1) {
        command(commandRest + text.slice(0, lf), 0);
        commandRest = '';
        i = lf + 1;
        lf = text.indexOf('\n', i);
      }
      for (; lf !== -1; i = lf + 1, lf = text.indexOf('\n', i)) command(text, i);
      commandRest += text.slice(i);
    }
    const text = decoder.decode(step.replies);
    let i = 0;
    let lf = text.indexOf('\n');
    if (replyRest !== '' && lf !== -1) {
      const line = replyRest + text.slice(0, lf + 1);
      reply(line, 0, line.length - 1);
      replyRest = '';
      i = lf + 1;
      lf = text.indexOf('\n', i);
    }
    for (; lf !== -1; i = lf + 1, lf = text.indexOf('\n', i)) reply(text, i, lf);
    replyRest += text.slice(i);
  }
  return rewrites;
}
