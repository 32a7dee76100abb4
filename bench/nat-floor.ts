/**
 * Lower bounds for any correct NAT session on this traffic, timed beside it in nat.bench.ts:
 * the least work the session's rules force, and nothing else. For both directions it decodes
 * each chunk once (the fastest way found here to find line feeds), finds every line start,
 * reads the command's verb or the reply's code, and pairs final replies with pending commands
 * (RFC 959 §4.2, multi-line replies included). For each single-line 227 that answers a PASV it
 * finds the address's first comma; with `output`, it also reads the six numbers and builds the
 * reply chunk with the host replaced, as the session must (moving the rest of the chunk with
 * `copyWithin`, the cheapest way measured here; 227 lines cut by a chunk boundary, about 3%
 * of them in 1460-byte chunks, are counted but not rebuilt). It assumes ASCII and well-formed lines and
 * checks nothing else, so the session can only be slower.
 *
 * With `repliesOnly`, the bound of the one-direction rewriter instead: no commands, no pairing,
 * every single-line 227 at a reply start rewritten (as `createReplyRewriteStream` with
 * `rewriteHosts: 'all'` does).
 *
 * Returns the number of 227 replies a session would rewrite (checked against the corpus at load).
 */
const decoder = new TextDecoder();
const LOWER_PASV = 0x70617376; // "pasv"
const CASE_BITS = 0x20202020;
const SPACE = 0x20;
const HYPHEN = 0x2d;
const COMMA = 0x2c;
const ZERO = 0x30;
const NINE = 0x39;
/** "000" read as three character codes: 48 * 111. */
const DIGITS_ZERO = 5328;

export interface FloorStep {
  readonly commands: Uint8Array;
  readonly replies: Uint8Array;
}

export function natLowerBound(
  work: readonly FloorStep[],
  output: Uint8Array | undefined,
  sinkOut: (bytes: Uint8Array) => void = () => undefined,
  repliesOnly = false,
): number {
  // Ring of pending command kinds: 1 = PASV, 0 = anything else. The greeting is pending first.
  const pending = new Uint8Array(1 << 16);
  let head = 0;
  let length = 1;
  let open = 0;
  let rewrites = 0;
  let commandRest = '';
  let replyRest = '';
  // Where the current chunk's rewritten hosts start and end (in the chunk).
  const froms: number[] = [];
  const tos: number[] = [];

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
  /** Reads h1,...,p2 from `first`; returns where h4 ends, or -1. */
  const hostEnd = (text: string, first: number, lf: number): number => {
    let at = first;
    let end = -1;
    for (let field = 0; field < 6; field++) {
      if (field > 0) {
        if (text.charCodeAt(at) !== COMMA) return -1;
        at++;
      }
      const digits = at;
      let value = 0;
      for (; at < lf; at++) {
        const code = text.charCodeAt(at);
        if (code < ZERO || code > NINE) break;
        value = value * 10 + code - ZERO;
      }
      if (at === digits || value > 255) return -1;
      if (field === 3) end = at;
    }
    return end;
  };
  const reply = (text: string, i: number, lf: number, inChunk: boolean): void => {
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
    if (repliesOnly) {
      // One direction (createReplyRewriteStream): every single-line 227 is rewritten.
      if (code !== 227) return;
    } else {
      if (code < 200 || code >= 600 || length === 0) return;
      const kind = pending[head]!;
      head = (head + 1) & 0xffff;
      length--;
      if (code !== 227 || kind !== 1) return;
    }
    const comma = text.indexOf(',', i);
    if (comma > lf) return;
    rewrites++;
    if (output === undefined || !inChunk) return;
    let first = comma;
    while (
      first > i + 4 &&
      text.charCodeAt(first - 1) >= ZERO &&
      text.charCodeAt(first - 1) <= NINE
    ) {
      first--;
    }
    const end = hostEnd(text, first, lf);
    if (end < 0) return;
    froms.push(first);
    tos.push(end);
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
    const chunk = step.replies;
    const text = decoder.decode(chunk);
    let i = 0;
    let lf = text.indexOf('\n');
    if (replyRest !== '' && lf !== -1) {
      const line = replyRest + text.slice(0, lf + 1);
      reply(line, 0, line.length - 1, false);
      replyRest = '';
      i = lf + 1;
      lf = text.indexOf('\n', i);
    }
    for (; lf !== -1; i = lf + 1, lf = text.indexOf('\n', i)) reply(text, i, lf, true);
    replyRest += text.slice(i);
    if (output !== undefined && froms.length > 0) {
      sinkOut(rebuild(chunk, froms, tos, output));
      froms.length = 0;
      tos.length = 0;
    }
  }
  return rewrites;
}

/** The chunk with each range `[froms[r], tos[r])` replaced by `host`, which is no shorter. */
function rebuild(chunk: Uint8Array, froms: number[], tos: number[], host: Uint8Array): Uint8Array {
  let total = chunk.length;
  for (let r = 0; r < froms.length; r++) total += host.length - (tos[r]! - froms[r]!);
  const out = new Uint8Array(Math.max(total, chunk.length));
  out.set(chunk);
  // Last range first: every move goes right (or nowhere) over bytes already moved.
  let at = total;
  let end = chunk.length;
  for (let r = froms.length - 1; r >= 0; r--) {
    const to = tos[r]!;
    at -= end - to;
    if (at !== to) out.copyWithin(at, to, end);
    at -= host.length;
    for (let j = 0; j < host.length; j++) out[at + j] = host[j]!;
    end = froms[r]!;
  }
  return total === out.length ? out : out.subarray(0, total);
}
