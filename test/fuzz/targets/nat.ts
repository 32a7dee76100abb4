import {
  decodeExtendedAddress,
  decodeHostPort,
  type HostPort,
  normalizeAddress,
  parsePasvReply,
} from '@ftpwire/address';
import {
  type Emit,
  NatError,
  type NatOptions,
  NatRewriter,
  ReplyRewriter,
  type StreamRewriter,
} from '@ftpwire/nat';
import { allTranscripts } from '../../fixtures/transcripts/transcripts.js';
import { assertLaw, chunksOf, type FuzzTarget, hex } from '../target.js';

/**
 * A fuzz input for the session is a script: bytes after 0x01 are sent by the client, bytes
 * after 0x02 by the server (bytes before any mark too: the greeting comes first). Each run of
 * bytes is one push, or several (`chunksOf`) to check that chunking changes nothing.
 */
const CLIENT = 0x01;
const SERVER = 0x02;
const LF = 0x0a;
const CR = 0x0d;
const encoder = new TextEncoder();
const latin1Decoder = new TextDecoder('latin1');

interface Segment {
  readonly client: boolean;
  readonly bytes: Uint8Array;
}

function segmentsOf(data: Uint8Array): Segment[] {
  const out: Segment[] = [];
  let client = false;
  let start = 0;
  for (let i = 0; i <= data.length; i++) {
    const byte = data[i];
    if (i < data.length && byte !== CLIENT && byte !== SERVER) continue;
    if (i > start) out.push({ client, bytes: data.subarray(start, i) });
    client = byte === CLIENT;
    start = i + 1;
  }
  return out;
}

const PUBLIC_HOST = '193.21.1.121';
const CLIENT_ADDRESS = '10.0.0.5';
const CLIENT_PUBLIC_HOST = '198.51.100.20';

/** What one run produced: each direction's bytes, the events in order, and errors. */
interface Run {
  readonly commands: Uint8Array;
  readonly replies: Uint8Array;
  /** Events and errors, in order, as comparable text. */
  readonly log: string[];
  /** The bytes pushed into each direction, up to and including the chunk it failed on. */
  readonly commandInput: Uint8Array;
  readonly replyInput: Uint8Array;
  readonly commandsFailed: boolean;
  readonly repliesFailed: boolean;
  readonly secured: boolean;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function logOptions(log: string[]): NatOptions {
  return {
    onRewrite: (e) =>
      log.push(`rewrite ${e.direction} ${e.offset} ${JSON.stringify(e.before)} -> ${e.after}`),
    onSkip: (e) => log.push(`skip ${e.direction} ${e.offset} ${e.reason} ${e.line ?? ''}`),
    onStateChange: (e) => log.push(`state ${e.state} ${e.offset}`),
  };
}

/** Pushes `chunks` through `rewriter`, recording a NatError once; false once failed. */
function feed(
  rewriter: StreamRewriter,
  chunks: readonly Uint8Array[],
  out: Uint8Array[],
  consumed: Uint8Array[],
  log: string[],
  name: string,
): boolean {
  const emit: Emit = (piece) => out.push(piece.slice());
  try {
    for (const chunk of chunks) {
      consumed.push(chunk);
      rewriter.push(chunk, emit);
    }
    return true;
  } catch (error) {
    if (!(error instanceof NatError)) throw error;
    log.push(`error ${name} ${error.code} at ${error.offset}`);
    return false;
  }
}

function finish(rewriter: StreamRewriter, out: Uint8Array[], log: string[], name: string): void {
  try {
    rewriter.end((piece) => out.push(piece.slice()));
  } catch (error) {
    if (!(error instanceof NatError)) throw error;
    log.push(`end ${name} ${error.code} at ${error.offset}`);
  }
}

function runSession(data: Uint8Array, options: NatOptions, chunked: boolean): Run {
  const log: string[] = [];
  const nat = new NatRewriter({ ...options, ...logOptions(log) });
  const commands: Uint8Array[] = [];
  const replies: Uint8Array[] = [];
  const commandInput: Uint8Array[] = [];
  const replyInput: Uint8Array[] = [];
  let commandsAlive = true;
  let repliesAlive = true;
  let secured = false;
  for (const segment of segmentsOf(data)) {
    const chunks = chunked ? chunksOf(segment.bytes) : [segment.bytes];
    if (segment.client && commandsAlive) {
      commandsAlive = feed(nat.commands, chunks, commands, commandInput, log, 'command');
    } else if (!segment.client && repliesAlive) {
      repliesAlive = feed(nat.replies, chunks, replies, replyInput, log, 'reply');
    }
    if (nat.state === 'secure') secured = true;
  }
  if (commandsAlive) finish(nat.commands, commands, log, 'command');
  if (repliesAlive) finish(nat.replies, replies, log, 'reply');
  return {
    commands: concat(commands),
    replies: concat(replies),
    log,
    commandInput: concat(commandInput),
    replyInput: concat(replyInput),
    commandsFailed: !commandsAlive,
    repliesFailed: !repliesAlive,
    secured,
  };
}

function runReplies(data: Uint8Array, options: NatOptions, chunked: boolean): Run {
  const log: string[] = [];
  const rewriter = new ReplyRewriter({ ...options, ...logOptions(log) });
  const replies: Uint8Array[] = [];
  const input: Uint8Array[] = [];
  const alive = feed(rewriter, chunked ? chunksOf(data) : [data], replies, input, log, 'reply');
  const secured = rewriter.state === 'secure';
  if (alive) finish(rewriter, replies, log, 'reply');
  const empty = new Uint8Array(0);
  return {
    commands: empty,
    replies: concat(replies),
    log,
    commandInput: empty,
    replyInput: concat(input),
    commandsFailed: false,
    repliesFailed: !alive,
    secured,
  };
}

/** Everything pushed came out unchanged, or, after a failure, a prefix of it. */
function passedThrough(input: Uint8Array, output: Uint8Array, failed: boolean): boolean {
  const sent = hex(input);
  const received = hex(output);
  return failed ? sent.startsWith(received) : sent === received;
}

/**
 * Bytes a direction forwards before it fails depend on where chunks end: a line that is not
 * held goes on as it comes, so the bytes of the failing line that arrived in earlier chunks
 * are already out. So a failed direction's output is compared up to the shorter of the two.
 */
function sameBytes(a: Uint8Array, b: Uint8Array, failed: boolean): boolean {
  if (!failed) return hex(a) === hex(b);
  const [short, long] = a.length <= b.length ? [hex(a), hex(b)] : [hex(b), hex(a)];
  return long.startsWith(short);
}

/**
 * Any chunking yields the same events, errors and bytes. `replyOnly`: a `ReplyRewriter`
 * refuses bytes that come in the same chunk as a 234 (it cannot see when the client began
 * its handshake), so there that one error depends on chunking by design.
 */
function sameRun(a: Run, b: Run, what: string, replyOnly = false): void {
  const afterAuth = (event: string): boolean => replyOnly && event.includes('ERR_DATA_AFTER_AUTH');
  const logA = a.log.filter((event) => !afterAuth(event));
  const logB = b.log.filter((event) => !afterAuth(event));
  assertLaw(
    logA.join('\n') === logB.join('\n'),
    `${what}: events differ:\n${logA.join('\n').slice(0, 600)}\n!=\n${logB.join('\n').slice(0, 600)}`,
  );
  assertLaw(
    sameBytes(a.commands, b.commands, a.commandsFailed || b.commandsFailed),
    `${what}: client-to-server bytes differ`,
  );
  assertLaw(
    sameBytes(a.replies, b.replies, a.repliesFailed || b.repliesFailed),
    `${what}: server-to-client bytes differ`,
  );
}

/** Lines of `bytes` split after each LF (the last one may have none). */
function linesOf(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  while (start < bytes.length) {
    const lf = bytes.indexOf(LF, start);
    const end = lf < 0 ? bytes.length : lf + 1;
    out.push(bytes.subarray(start, end));
    start = end;
  }
  return out;
}

function content(line: Uint8Array): string {
  let end = line.length;
  if (end > 0 && line[end - 1] === LF) end--;
  if (end > 0 && line[end - 1] === CR) end--;
  return latin1Decoder.decode(line.subarray(0, end));
}

function lowerVerb(line: string): string {
  return line.slice(0, 5).toLowerCase();
}

/** The address a PORT or EPRT line names, as @ftpwire/address reads it; undefined if none. */
function activeAddress(line: string): HostPort | undefined {
  const verb = lowerVerb(line);
  try {
    if (verb === 'port ') return decodeHostPort(line.slice(5));
    if (verb === 'eprt ') return decodeExtendedAddress(line.slice(5));
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Which lines of a reply stream start a single-line reply outside any multi-line reply (RFC
 * 959 §4.2: `ddd-` opens, only `ddd ` or a bare `ddd` with the same code closes; codes
 * 100-699), by index.
 */
function replyStarts(lines: readonly string[]): boolean[] {
  let open = '';
  return lines.map((line) => {
    const code = line.slice(0, 3);
    const isCode = /^[1-6][0-9][0-9]$/.test(code);
    const separator = line.length === 3 ? ' ' : line[3];
    if (open !== '') {
      if (code === open && separator === ' ') open = '';
      return false;
    }
    if (isCode && separator === '-') open = code;
    return isCode && separator === ' ';
  });
}

/**
 * Compares a direction's input and output line by line: they differ only in lines reported
 * as rewritten, in order; returns the indexes of the rewritten lines.
 */
function rewrittenLines(
  input: Uint8Array,
  output: Uint8Array,
  failed: boolean,
  events: readonly string[],
  direction: string,
): number[] {
  const before = linesOf(input);
  const after = linesOf(output);
  assertLaw(
    after.length <= before.length + 1,
    `${direction}: the output has more lines than the input`,
  );
  const changed: number[] = [];
  const reported = events.filter((event) => event.startsWith(`rewrite ${direction} `));
  for (let i = 0; i < after.length; i++) {
    const a = before[i];
    const b = after[i]!;
    if (a !== undefined && hex(a) === hex(b)) continue;
    // When the direction failed on its last line, what went out of it may stop anywhere.
    const cut = failed && i === after.length - 1;
    if (cut && a !== undefined && hex(a).startsWith(hex(b))) continue;
    assertLaw(a !== undefined, `${direction}: an output line without an input line`);
    assertLaw(
      a!.at(-1) === LF && (cut || b.at(-1) === LF),
      `${direction}: a line that did not end was changed: ${JSON.stringify(content(b))}`,
    );
    changed.push(i);
  }
  assertLaw(
    changed.length === reported.length,
    `${direction}: ${changed.length} lines changed, ${reported.length} rewrites reported`,
  );
  return changed;
}

const REWRITING: NatOptions = {
  publicHost: PUBLIC_HOST,
  clientAddress: CLIENT_ADDRESS,
  clientPublicHost: CLIENT_PUBLIC_HOST,
};

/**
 * `NatRewriter` on a script of client and server bytes, with these laws:
 * - only `NatError` is thrown, and a failed direction stays failed;
 * - any chunking yields the same bytes, events and errors;
 * - without rewriting options every byte passes unchanged, in order (pass-through);
 * - with them, input and output differ only in lines reported as rewritten; a rewritten reply
 *   line is a single-line `227 ` reply at a reply start (never text inside a multi-line
 *   reply, never a `227` mid-line), rewritten only while fewer 227s were rewritten than
 *   PASV commands were sent, and only before AUTH TLS succeeded; it names the public host
 *   and the port it named before;
 * - a rewritten command is a PORT or EPRT naming the client's own address, now naming its
 *   public host with the same port;
 * - while the stream is clear, no PORT or EPRT below port 1024 or naming a third host
 *   (with `bounce: 'refuse'`) reaches the server, nor one naming the client's private address.
 */
export const natSessionTarget: FuzzTarget = {
  name: 'nat/NatRewriter',
  errorClass: NatError,
  seeds: allTranscripts().map((transcript) =>
    concat(
      transcript.lines.map((line) =>
        encoder.encode(`${line.from === 'client' ? '\x01' : '\x02'}${line.text}\r\n`),
      ),
    ),
  ),
  tokens: [
    '\x01',
    '\x02',
    '\x01PASV\r\n',
    '\x01pasv\r\n',
    '\x01EPSV\r\n',
    '\x01AUTH TLS\r\n',
    '\x01PORT 10,0,0,5,200,10\r\n',
    '\x01PORT 10,0,0,5,0,21\r\n',
    '\x01PORT 10,0,0,9,200,10\r\n',
    '\x01EPRT |1|10.0.0.5|40000|\r\n',
    '\x01EPRT |1|10.0.0.5|21|\r\n',
    '\x01RETR x\r\n',
    '\x02220 ready\r\n',
    '\x02227 Entering Passive Mode (10,0,1,121,15,6)\r\n',
    '\x02227 =10,0,1,121,15,6\r\n',
    '\x02234 AUTH TLS ok\r\n',
    '\x02150 here\r\n',
    '\x02211-Features\r\n',
    '\x02211 End\r\n',
    '227 ',
    '227-',
    '227',
    '10,0,1,121,15,6',
    '10,0,0,5,',
    '\r\n',
    '\n',
    '\r',
    ' ',
    '|',
  ],
  run(data) {
    const maxLineLength = 8 + ((data[1] ?? 0) % 64);
    // A small pending-command bound now and then, so that its error is reached too.
    const pending = data[2] ?? 0;
    const limits: NatOptions = {
      maxLineLength,
      maxPendingCommands: pending < 32 ? 1 + (pending % 8) : 4096,
    };

    // Pass-through: without anything to rewrite, the bytes go on exactly as they came.
    const plain = runSession(data, limits, false);
    sameRun(plain, runSession(data, limits, true), 'no options: chunking changes nothing');
    assertLaw(
      plain.log.every((event) => !event.startsWith('rewrite')),
      'no options: something was rewritten',
    );
    assertLaw(
      passedThrough(plain.commandInput, plain.commands, plain.commandsFailed),
      'no options: client bytes changed or lost',
    );
    assertLaw(
      passedThrough(plain.replyInput, plain.replies, plain.repliesFailed),
      'no options: server bytes changed or lost',
    );

    // Half the inputs refuse FTP bounces; the others pass them (and go on reading commands).
    const refuseBounce = ((data[3] ?? 0) & 1) === 1;
    const options: NatOptions = {
      ...REWRITING,
      ...limits,
      bounce: refuseBounce ? 'refuse' : 'pass',
    };
    const run = runSession(data, options, false);
    sameRun(run, runSession(data, options, true), 'rewriting: chunking changes nothing');

    // Replies: only the 227 that starts a single-line reply, answering a PASV, before TLS.
    const replyLines = linesOf(run.replyInput).map(content);
    const starts = replyStarts(replyLines);
    const changedReplies = rewrittenLines(
      run.replyInput,
      run.replies,
      run.repliesFailed,
      run.log,
      'reply',
    );
    const outputReplies = linesOf(run.replies).map(content);
    for (const index of changedReplies) {
      const before = replyLines[index]!;
      assertLaw(
        before.startsWith('227 '),
        `a reply line that is not "227 " was rewritten: ${before}`,
      );
      assertLaw(starts[index] === true, `a 227 inside a multi-line reply was rewritten: ${before}`);
      const original = parsePasvReply(before);
      const rewritten = parsePasvReply(outputReplies[index]!);
      assertLaw(
        rewritten.host === PUBLIC_HOST && rewritten.port === original.port,
        `a 227 was rewritten to ${rewritten.host}:${rewritten.port}`,
      );
    }
    let pasvSent = 0;
    let replyRewrites = 0;
    let secure = false;
    // The log interleaves the directions as they ran; PASV lines are counted from the
    // commands pushed before each rewrite, so walk the script again alongside it.
    for (const event of run.log) {
      if (event.startsWith('state secure')) secure = true;
      if (event.startsWith('state clear')) secure = false;
      if (event.startsWith('rewrite reply')) {
        replyRewrites++;
        assertLaw(!secure, 'a 227 was rewritten after AUTH TLS succeeded');
      }
    }
    pasvSent = linesOf(run.commandInput)
      .map(content)
      .filter((line) => /^pasv( |$)/i.test(line.slice(0, 5))).length;
    assertLaw(replyRewrites <= pasvSent, `${replyRewrites} 227s rewritten for ${pasvSent} PASVs`);

    // Commands: only PORT and EPRT naming the client, now naming its public host.
    const commandLines = linesOf(run.commandInput).map(content);
    const outputCommands = linesOf(run.commands).map(content);
    for (const index of rewrittenLines(
      run.commandInput,
      run.commands,
      run.commandsFailed,
      run.log,
      'command',
    )) {
      const original = activeAddress(commandLines[index]!);
      const rewritten = activeAddress(outputCommands[index]!);
      assertLaw(
        original !== undefined && normalizeAddress(original.host) === CLIENT_ADDRESS,
        `a command not naming the client was rewritten: ${commandLines[index]}`,
      );
      assertLaw(
        rewritten?.host === CLIENT_PUBLIC_HOST && rewritten.port === original!.port,
        `a command was rewritten to ${outputCommands[index]}`,
      );
    }
    if (!run.secured) {
      for (const line of linesOf(run.commands)) {
        if (line.at(-1) !== LF) continue;
        const address = activeAddress(content(line));
        if (address === undefined) continue;
        assertLaw(address.port >= 1024, `a PORT or EPRT below 1024 passed: ${content(line)}`);
        const host = normalizeAddress(address.host);
        assertLaw(
          !refuseBounce || host === CLIENT_PUBLIC_HOST || host === CLIENT_ADDRESS,
          `an FTP bounce passed with bounce 'refuse': ${content(line)}`,
        );
        assertLaw(
          host !== CLIENT_ADDRESS,
          `a PORT naming the client was not rewritten: ${content(line)}`,
        );
      }
    }
  },
};

/**
 * `ReplyRewriter` (replies only) on arbitrary server bytes: only `NatError`, any chunking the
 * same, pass-through without options, and with a public host only `227 ` lines that start a
 * single-line reply are rewritten, never after a 234.
 */
export const natReplyTarget: FuzzTarget = {
  name: 'nat/ReplyRewriter',
  errorClass: NatError,
  seeds: allTranscripts().map((transcript) =>
    encoder.encode(
      transcript.lines
        .filter((line) => line.from === 'server')
        .map((line) => `${line.text}\r\n`)
        .join(''),
    ),
  ),
  tokens: [
    '227 Entering Passive Mode (10,0,1,121,15,6)\r\n',
    '227 =10,0,1,121,15,6\r\n',
    '227 ',
    '227-',
    '227',
    '234 go\r\n',
    '211-',
    '211 ',
    '10,0,1,121,15,6',
    '8,8,8,8,15,6',
    '\r\n',
    '\n',
    '\r',
    ' ',
  ],
  run(data) {
    const limits: NatOptions = { maxLineLength: 8 + ((data[1] ?? 0) % 64) };
    if ((data[0] ?? 0) % 8 === 0 && data.length > 0) {
      // Chunks of 4096 bytes and more take another search path for line feeds: the input
      // repeated past that, whole and cut, must still come out the same.
      const long = concat(Array.from({ length: Math.ceil(4200 / data.length) }, () => data));
      const options = { ...limits, publicHost: PUBLIC_HOST };
      sameRun(
        runReplies(long, options, false),
        runReplies(long, options, true),
        'long chunks: chunking changes nothing',
        true,
      );
    }
    const plain = runReplies(data, limits, false);
    sameRun(plain, runReplies(data, limits, true), 'no options: chunking changes nothing', true);
    assertLaw(
      passedThrough(plain.replyInput, plain.replies, plain.repliesFailed),
      'no options: bytes changed or lost',
    );
    const options = { ...limits, publicHost: PUBLIC_HOST };
    const run = runReplies(data, options, false);
    sameRun(run, runReplies(data, options, true), 'rewriting: chunking changes nothing', true);
    const lines = linesOf(run.replyInput).map(content);
    const starts = replyStarts(lines);
    for (const index of rewrittenLines(
      run.replyInput,
      run.replies,
      run.repliesFailed,
      run.log,
      'reply',
    )) {
      assertLaw(
        lines[index]!.startsWith('227 ') && starts[index] === true,
        `rewrote a line that does not start a single-line 227 reply: ${lines[index]}`,
      );
    }
    let secure = false;
    for (const event of run.log) {
      if (event.startsWith('state secure')) secure = true;
      if (event.startsWith('rewrite')) assertLaw(!secure, 'a 227 was rewritten after a 234');
    }
  },
};
