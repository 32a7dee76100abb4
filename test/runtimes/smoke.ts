// One smoke suite for every runtime ftpwire's cores promise to run on (DESIGN.md: Node, Deno, Bun,
// browsers). It uses nothing but the packages and what those runtimes share (Uint8Array,
// TextEncoder, WHATWG streams): no `node:` module, no test framework. scripts/runtimes.mjs runs it
// on the built packages in each runtime; smoke.test.ts runs it under vitest from the sources.
//
// Every public value of the six core packages must be exercised by a passing check: the packages
// are read through recording proxies, and the last checks compare what was read against
// Object.keys of each module, so an export added without a check here fails the suite.

import * as addressModule from '@ftpwire/address';
import * as commandModule from '@ftpwire/command';
import * as linesModule from '@ftpwire/lines';
import * as listingModule from '@ftpwire/listing';
import * as natModule from '@ftpwire/nat';
import * as replyModule from '@ftpwire/reply';

/** What one run of the suite reports; scripts/runtimes.mjs reads it as one JSON line. */
export interface SmokeResult {
  /** `node`, `deno`, `bun` or `browser`, as the runtime running the suite identifies itself. */
  readonly runtime: string;
  /** The runtime's own version string (for a browser, its user agent). */
  readonly version: string;
  readonly passed: number;
  readonly failed: number;
  /** Names of all checks run, in order. */
  readonly names: string[];
  readonly failures: { readonly name: string; readonly message: string }[];
  /** Per package: how many runtime exports it has and how many a passing check exercised. */
  readonly exports: Record<string, { readonly total: number; readonly exercised: number }>;
}

/** Marks the result line among whatever else a runtime prints. */
export const RESULT_PREFIX = 'FTPWIRE_SMOKE_RESULT ';

// ---------------------------------------------------------------------------------------------
// Recording access to the packages

/** Exports read by the check now running; credited to `exercised` only if the check passes. */
let reading: Set<string> | undefined;
const exercised = new Set<string>();
const modules: Record<string, object> = {
  '@ftpwire/lines': linesModule,
  '@ftpwire/reply': replyModule,
  '@ftpwire/command': commandModule,
  '@ftpwire/address': addressModule,
  '@ftpwire/nat': natModule,
  '@ftpwire/listing': listingModule,
};

function track<T extends object>(pkg: string, module: T): T {
  // A plain copy: module namespace objects are exotic, and some bundlers freeze them.
  return new Proxy({ ...module } as T, {
    get(target, key, receiver) {
      if (typeof key === 'string') reading?.add(`${pkg}:${key}`);
      return Reflect.get(target, key, receiver);
    },
  });
}

const lines = track('@ftpwire/lines', linesModule);
const reply = track('@ftpwire/reply', replyModule);
const command = track('@ftpwire/command', commandModule);
const address = track('@ftpwire/address', addressModule);
const nat = track('@ftpwire/nat', natModule);
const listing = track('@ftpwire/listing', listingModule);

// ---------------------------------------------------------------------------------------------
// Assertions: each throws with what was expected and what came

class AssertionFailure extends Error {
  override readonly name = 'AssertionFailure';
}

function show(value: unknown): string {
  if (value instanceof Uint8Array) return `Uint8Array[${Array.from(value).join(',')}]`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function ok(condition: unknown, what: string): void {
  if (!condition) throw new AssertionFailure(what);
}

/** Deep equality through JSON (enough for strings, numbers, arrays and plain objects). */
function equal(actual: unknown, expected: unknown, what: string): void {
  const a = show(actual);
  const e = show(expected);
  if (a !== e) throw new AssertionFailure(`${what}: expected ${e}, got ${a}`);
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Assertions about one package's error class (DESIGN.md: one per package, a stable `code` and
 * the `offset` where it applies). The class is read when an assertion runs, inside a check, so
 * the export counts as exercised only by a check that passes. Failures quote the code that ran.
 */
function errorsOf(name: string, errorClass: () => ErrorClass) {
  const is = (error: unknown, code: string, offset?: number, what = 'error'): Error => {
    if (!(error instanceof errorClass())) {
      throw new AssertionFailure(`${what}: expected a ${name}, got ${show(String(error))}`);
    }
    const { code: actualCode, offset: actualOffset } = error as Error & {
      code?: unknown;
      offset?: unknown;
    };
    ok(error instanceof Error, `${what}: ${name} is an Error`);
    equal(error.name, name, `${what}: name`);
    equal(actualCode, code, `${what}: code`);
    ok(typeof actualOffset === 'number', `${what}: offset is a number`);
    if (offset !== undefined) equal(actualOffset, offset, `${what}: offset`);
    return error;
  };
  return {
    is,
    /** `run` throws this class with `code`, and `offset` unless undefined. */
    throws(code: string, offset: number | undefined, run: () => unknown): Error {
      try {
        run();
      } catch (error) {
        return is(error, code, offset, String(run));
      }
      throw new AssertionFailure(`${String(run)}: expected ${name} ${code}, nothing was thrown`);
    },
    /** `run` rejects with this class and `code`. */
    async rejects(code: string, run: () => Promise<unknown>): Promise<void> {
      try {
        await run();
      } catch (error) {
        is(error, code, undefined, String(run));
        return;
      }
      throw new AssertionFailure(`${String(run)}: expected ${name} ${code}, it resolved`);
    },
  };
}

const lineError = errorsOf('LineError', () => lines.LineError);
const replyError = errorsOf('ReplyError', () => reply.ReplyError);
const commandError = errorsOf('CommandError', () => command.CommandError);
const addressError = errorsOf('AddressError', () => address.AddressError);
const natError = errorsOf('NatError', () => nat.NatError);
const listingError = errorsOf('ListingError', () => listing.ListingError);

// ---------------------------------------------------------------------------------------------
// Bytes and streams

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (text: string): Uint8Array => encoder.encode(text);
const text = (data: Uint8Array): string => decoder.decode(data);
const texts = (list: readonly Uint8Array[]): string[] => list.map(text);

function concat(pieces: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

/** Cuts `data` into pieces of `size` bytes, so multi-byte units cross chunk boundaries. */
function chunks(data: string | Uint8Array, size: number): Uint8Array[] {
  const all = typeof data === 'string' ? bytes(data) : data;
  const out: Uint8Array[] = [];
  for (let at = 0; at < all.length; at += size) out.push(all.subarray(at, at + size));
  return out;
}

/** Writes `input` into a TransformStream and collects what it delivers (or its error). */
async function through<I, O>(stream: TransformStream<I, O>, input: readonly I[]): Promise<O[]> {
  const writer = stream.writable.getWriter();
  const writing = (async () => {
    for (const chunk of input) await writer.write(chunk);
    await writer.close();
  })();
  // The readable side reports the stream's error; the writing side only echoes it.
  writing.catch(() => undefined);
  const reader = stream.readable.getReader();
  const out: O[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    out.push(value);
  }
  await writing;
  return out;
}

/**
 * Drives one direction of a TransformStream a chunk at a time: a TransformStream takes a chunk
 * only once its reader asks, so write, then read what that chunk produced.
 */
function stepper(stream: TransformStream<Uint8Array, Uint8Array>) {
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  return async (input: string): Promise<string> => {
    void writer.write(bytes(input)).catch(() => undefined);
    const { done, value } = await reader.read();
    ok(!done, `stream delivered something for ${show(input)}`);
    return text(value!);
  };
}

// ---------------------------------------------------------------------------------------------
// The checks

type Check = readonly [name: string, run: () => void | Promise<void>];
const checks: Check[] = [];
const check = (name: string, run: () => void | Promise<void>): void => {
  checks.push([name, run]);
};

// ---- @ftpwire/lines

check('lines: LineSplitter splits CRLF and bare LF across chunks, end() flushes', () => {
  const splitter = new lines.LineSplitter();
  equal(texts(splitter.push(bytes('220 ready\r\n331 pass'))), ['220 ready'], 'first chunk');
  equal(splitter.pendingLength, 8, 'held bytes of the partial line');
  equal(texts(splitter.push(bytes('word\r'))), [], 'a CR alone ends nothing');
  equal(
    texts(splitter.push(bytes('\nbare\nlone\rcr\r\n'))),
    ['331 password', 'bare', 'lone\rcr'],
    'CR split from its LF',
  );
  equal(texts(splitter.push(bytes('no end'))), [], 'unterminated');
  equal(splitter.offset, 45, 'offset after the last byte');
  equal(texts(splitter.end()), ['no end'], 'end() delivers the last line');
  equal(texts(splitter.end()), [], 'a second end() has nothing');
});

check('lines: LineSplitter onLine and onLineRange receive lines with stream offsets', () => {
  const seen: [string, number][] = [];
  const splitter = new lines.LineSplitter({
    onLine: (line, offset) => seen.push([text(line), offset]),
  });
  equal(splitter.push(bytes('a\r\nbc\nd')), [], 'push returns nothing with a handler');
  splitter.end();
  equal(
    seen,
    [
      ['a', 0],
      ['bc', 3],
      ['d', 6],
    ],
    'onLine',
  );
  const ranges: [string, number][] = [];
  const ranged = new lines.LineSplitter({
    onLineRange: (data, start, end, offset) =>
      ranges.push([text(data.subarray(start, end)), offset]),
  });
  for (const piece of chunks('USER anonymous\r\nPASS x\r\n', 3)) ranged.push(piece);
  equal(
    ranges,
    [
      ['USER anonymous', 0],
      ['PASS x', 16],
    ],
    'onLineRange across 3-byte chunks',
  );
});

check(
  'lines: maxLineLength refuses a long line as soon as it passes, ERR_LINE_TOO_LONG at its offset',
  () => {
    const splitter = new lines.LineSplitter({ maxLineLength: 8 });
    equal(
      texts(splitter.push(bytes('12345678\r\nok\r\n'))),
      ['12345678', 'ok'],
      'a line of exactly 8 bytes',
    );
    equal(texts(splitter.push(bytes('1234'))), [], 'partial line within the limit');
    // The 9th byte passes the limit: the error comes then, not at the line feed.
    lineError.throws('ERR_LINE_TOO_LONG', 14 + 8, () => splitter.push(bytes('56789')));
    lineError.throws('ERR_LINE_TOO_LONG', 22, () => splitter.push(bytes('\n')));
    const whole = new lines.LineSplitter({ maxLineLength: 4 });
    lineError.throws('ERR_LINE_TOO_LONG', 4 + 4, () => whole.push(bytes('ab\r\nabcdefgh')));
    const bytewise = new lines.LineSplitter({ maxLineLength: 3 });
    bytewise.push(bytes('abc'));
    bytewise.push(bytes('\r'));
    equal(
      texts(bytewise.push(bytes('\n'))),
      ['abc'],
      'the CR of CRLF just past the limit is no overrun',
    );
  },
);

check('lines: DEFAULT_MAX_LINE_LENGTH is 8192 (CPython ftplib) and is the default limit', () => {
  equal(lines.DEFAULT_MAX_LINE_LENGTH, 8192, 'value');
  const splitter = new lines.LineSplitter();
  const longest = 'x'.repeat(8192);
  equal(splitter.push(bytes(`${longest}\n`))[0]?.length, 8192, 'an 8192-byte line passes');
  lineError.throws('ERR_LINE_TOO_LONG', 8193 + 8192, () => splitter.push(bytes(`${longest}y`)));
});

check('lines: LineError carries code and offset; bad options are ERR_INVALID_OPTION', () => {
  const error = new lines.LineError('ERR_LINE_TOO_LONG', 'too long', 7);
  lineError.is(error, 'ERR_LINE_TOO_LONG', 7);
  equal(error.message, 'too long', 'message');
  lineError.throws('ERR_INVALID_OPTION', 0, () => new lines.LineSplitter({ maxLineLength: 0 }));
  lineError.throws('ERR_INVALID_OPTION', 0, () => new lines.LineSplitter({ maxLineLength: 1.5 }));
});

check('lines: LineSplitterStream delivers lines and errors with the LineError', async () => {
  const out = await through(new lines.LineSplitterStream(), chunks('220-a\r\n b\r\n220 c', 2));
  equal(texts(out), ['220-a', ' b', '220 c'], 'lines');
  await lineError.rejects('ERR_LINE_TOO_LONG', () =>
    through(new lines.LineSplitterStream({ maxLineLength: 4 }), [bytes('ab\r\n'), bytes('abcdef')]),
  );
  // A handler in the options must not divert lines from the readable side.
  const options = { onLine: () => undefined } as unknown as ConstructorParameters<
    typeof lines.LineSplitterStream
  >[0];
  equal(
    texts(await through(new lines.LineSplitterStream(options), [bytes('x\ny\n')])),
    ['x', 'y'],
    'handler ignored',
  );
});

check('lines: TelnetDecoder removes IAC commands split anywhere, keeps IAC IAC as 0xFF', () => {
  const seen: string[] = [];
  const decoder = new lines.TelnetDecoder((command, dataIndex) =>
    seen.push(
      `${command.name}:${command.command}:${command.option ?? '-'}@${command.offset}/${dataIndex}`,
    ),
  );
  // IAC IP IAC DM "A" IAC IAC "B" IAC WILL 1 IAC SB 24 0 IAC IAC IAC SE "C"
  const input = Uint8Array.from(
    'ff f4 ff f2 41 ff ff 42 ff fb 01 ff fa 18 00 ff ff ff f0 43'.split(' '),
    (hex) => Number.parseInt(hex, 16),
  );
  const data: Uint8Array[] = [];
  let pendingSeen = false;
  for (const piece of chunks(input, 1)) {
    data.push(decoder.decode(piece));
    pendingSeen ||= decoder.pending;
  }
  equal(Array.from(concat(data)), [0x41, 0xff, 0x42, 0x43], 'data bytes');
  equal(seen, ['IP:244:-@0/0', 'DM:242:-@2/0', 'WILL:251:1@8/0', 'SB:250:24@11/0'], 'commands');
  ok(pendingSeen, 'pending while a command is split');
  equal(decoder.pending, false, 'not pending at the end');
  const plain = bytes('no commands');
  ok(decoder.decode(plain) === plain, 'a chunk without IAC comes back as itself');
});

check('lines: LineSplitter telnet: true reports commands in stream order with the lines', () => {
  const events: string[] = [];
  const splitter = new lines.LineSplitter({
    telnet: true,
    onLine: (line) => events.push(`line ${text(line)}`),
    onTelnetCommand: (command) => events.push(`telnet ${command.name}`),
  });
  splitter.push(Uint8Array.of(...bytes('NOOP\r\n'), 0xff, 0xf4, 0xff, 0xf2, ...bytes('ABOR\r\n')));
  equal(events, ['line NOOP', 'telnet IP', 'telnet DM', 'line ABOR'], 'order');
});

check('lines: quoteBytes escapes and truncates peer text for messages', () => {
  equal(lines.quoteBytes(bytes('22 x\r'), 0, 5), '"22 x\\x0d"', 'CR escaped');
  equal(
    lines.quoteBytes(bytes('say "hi"\\'), 0, 9),
    '"say \\x22hi\\x22\\x5c"',
    'quote and backslash',
  );
  const long = lines.quoteBytes(bytes('y'.repeat(100)), 10, 100);
  equal(long, `"${'y'.repeat(40)}..."`, 'at most 40 bytes');
});

check('lines: isLosslessDecoding tells bytes that are not UTF-8 from an encoded U+FFFD', () => {
  const decoder = new TextDecoder();
  const latin1 = Uint8Array.of(0x63, 0x61, 0x66, 0xe9);
  equal(lines.isLosslessDecoding(decoder.decode(latin1), latin1), false, 'ISO-8859-1 byte');
  const encoded = bytes('caf\u00e9 \ufffd');
  equal(lines.isLosslessDecoding(decoder.decode(encoded), encoded), true, 'encoded U+FFFD');
});

// ---- @ftpwire/reply

const FEAT = '211-Features:\r\n EPSV\r\n 211 is not the end\r\n211-still not\r\n211 End\r\n';

check('reply: parseReply reads single and multi-line replies (RFC 959 §4.2)', () => {
  const single = reply.parseReply('227 Entering Passive Mode (10,0,1,121,15,6).\r\n');
  equal(single.code, 227, 'code');
  equal(single.lines, ['227 Entering Passive Mode (10,0,1,121,15,6).'], 'lines');
  equal(single.text, 'Entering Passive Mode (10,0,1,121,15,6).', 'text');
  const multi = reply.parseReply(bytes(FEAT));
  equal(multi.code, 211, 'multi code');
  equal(
    multi.lines,
    ['211-Features:', ' EPSV', ' 211 is not the end', '211-still not', '211 End'],
    'multi lines',
  );
  equal(multi.text, 'Features:\n EPSV\n 211 is not the end\nstill not\nEnd', 'multi text');
  equal(texts([...multi.rawLines]), multi.lines, 'rawLines');
  equal(multi.offset, 0, 'offset');
  equal(reply.parseReply('200 no CRLF').text, 'no CRLF', 'final CRLF optional');
  const latin = reply.parseReply(Uint8Array.of(...bytes('550 caf'), 0xe9, 0x0d, 0x0a));
  equal(latin.lines, ['550 caf\ufffd'], 'non-UTF-8 byte decoded as U+FFFD');
  equal(Array.from(latin.rawLines[0]!), [...bytes('550 caf'), 0xe9], 'raw byte kept');
});

check('reply: parseReply refuses anything but one complete reply, with codes and offsets', () => {
  replyError.throws('ERR_MALFORMED_REPLY', 0, () => reply.parseReply('hello\r\n'));
  replyError.throws('ERR_INCOMPLETE_REPLY', 0, () => reply.parseReply(''));
  replyError.throws('ERR_TRAILING_DATA', 7, () => reply.parseReply('200 a\r\n200 b\r\n'));
  replyError.throws('ERR_UNCLOSED_REPLY', 17, () => reply.parseReply('211-open\r\n more\r\n'));
  replyError.throws('ERR_INVALID_OPTION', 0, () =>
    reply.parseReply('200 x\r\n', { maxReplyLines: 0 }),
  );
  const tooLong = replyError.throws('ERR_LINE_TOO_LONG', 6, () =>
    reply.parseReply('200 abcdefgh\r\n', { maxLineLength: 6 }),
  );
  ok(tooLong.cause instanceof lines.LineError, 'the LineError is the cause');
});

check(
  'reply: ReplyFraming frames bytes and char codes alike; lenientClose as curl reads glFTPd',
  () => {
    const framing = new reply.ReplyFraming();
    const feed = (line: string) => {
      const b = bytes(line);
      return framing.line(b[0] ?? 0, b[1] ?? 0, b[2] ?? 0, b[3] ?? 0, b.length);
    };
    equal(
      [feed('211-Features:'), feed(' 211 no'), feed('200 no'), feed('211')],
      [0, 0, 0, 211],
      'RFC 959',
    );
    equal(framing.open, 0, 'closed');
    equal(feed('USER x'), -1, 'no reply line');
    const glftpd = '553-\r\n553- excluded\r\n150 Opening.\r\n';
    equal(reply.parseReply(glftpd, { lenientClose: true }).code, 150, 'lenient close');
    replyError.throws('ERR_UNCLOSED_REPLY', glftpd.length, () => reply.parseReply(glftpd));
  },
);

check('reply: formatReply writes RFC 959 replies that parseReply reads back', () => {
  equal(reply.formatReply(200, 'OK'), '200 OK\r\n', 'single');
  const wire = reply.formatReply(211, ['Features:', '227 looks like a code', ' SIZE', 'End']);
  equal(
    wire,
    '211-Features:\r\n 227 looks like a code\r\n SIZE\r\n211 End\r\n',
    'middle line padded',
  );
  for (const [code, lineList] of [
    [211, ['Features:', ' EPSV', '211 End?', 'End']],
    [550, ['No such file']],
    [220, ['Welcome', '', 'to the server']],
  ] as const) {
    const parsed = reply.parseReply(reply.formatReply(code, lineList));
    equal(parsed.code, code, `round trip code ${code}`);
    equal(
      parsed.text.split('\n').map((line) => line.replace(/^ (?=\d{3})/, '')),
      lineList,
      `round trip text ${code}`,
    );
  }
});

check('reply: formatReply refuses CR, LF, NUL in text and codes outside 100-599', () => {
  replyError.throws('ERR_INVALID_TEXT', 1, () => reply.formatReply(200, 'a\r\n200 injected'));
  replyError.throws('ERR_INVALID_TEXT', 1, () => reply.formatReply(211, ['ok', 'x\ny', 'end']));
  replyError.throws('ERR_INVALID_TEXT', 3, () => reply.formatReply(200, 'nul\0'));
  replyError.throws('ERR_INVALID_TEXT', 0, () => reply.formatReply(200, []));
  replyError.throws('ERR_INVALID_CODE', 0, () => reply.formatReply(600, 'x'));
  replyError.throws('ERR_INVALID_CODE', 0, () => reply.formatReply(99, 'x'));
});

check('reply: ReplyParser gives the same replies for any chunking, idle between replies', () => {
  const wire = `220 ready\r\n${FEAT}227 Entering Passive Mode (10,0,1,121,15,6).\n`;
  const whole = new reply.ReplyParser().push(bytes(wire)).map((r) => r.lines);
  equal(whole.length, 3, 'three replies at once');
  for (const size of [1, 2, 7]) {
    const parser = new reply.ReplyParser();
    const got: string[][] = [];
    for (const piece of chunks(wire, size)) got.push(...parser.push(piece).map((r) => r.lines));
    got.push(...parser.end().map((r) => r.lines));
    equal(got, whole, `chunks of ${size}`);
    ok(parser.idle, `idle after chunks of ${size}`);
  }
  const delivered: number[] = [];
  const parser = new reply.ReplyParser({ onReply: (r) => delivered.push(r.offset) });
  parser.push(bytes('220 a\r\n211-b'));
  ok(!parser.idle, 'not idle inside a reply');
  parser.push(bytes('\r\n211 c\r\n'));
  equal(delivered, [0, 7], 'offsets of the replies');
});

check('reply: ReplyParser enforces maxReplyLines and reports unclosed replies at end()', () => {
  const parser = new reply.ReplyParser({ maxReplyLines: 3 });
  replyError.throws('ERR_TOO_MANY_LINES', undefined, () =>
    parser.push(bytes('211-a\r\n b\r\n c\r\n d\r\n')),
  );
  const open = new reply.ReplyParser();
  open.push(bytes('220 hi\r\n230-welcome\r\n'));
  replyError.throws('ERR_UNCLOSED_REPLY', 21, () => open.end());
  const telnet: string[] = [];
  const withTelnet = new reply.ReplyParser({
    telnet: true,
    onTelnetCommand: (c) => telnet.push(c.name),
  });
  const got = withTelnet.push(Uint8Array.of(...bytes('200 a'), 0xff, 0xf1, ...bytes('b\r\n')));
  equal(
    got.map((r) => r.text),
    ['ab'],
    'telnet NOP removed',
  );
  equal(telnet, ['NOP'], 'telnet command reported');
});

check('reply: ReplyParserStream parses a multi-line 211 split across chunks', async () => {
  const out = await through(new reply.ReplyParserStream(), chunks(`${FEAT}200 done\r\n`, 3));
  equal(
    out.map((r) => r.code),
    [211, 200],
    'codes',
  );
  equal(
    out[0]?.lines,
    ['211-Features:', ' EPSV', ' 211 is not the end', '211-still not', '211 End'],
    '211 lines',
  );
  equal(out[1]?.offset, FEAT.length, 'offset of the second reply');
  await replyError.rejects('ERR_UNCLOSED_REPLY', () =>
    through(new reply.ReplyParserStream(), chunks('211-open\r\n', 4)),
  );
  await replyError.rejects('ERR_LINE_TOO_LONG', () =>
    through(new reply.ReplyParserStream({ maxLineLength: 10 }), [
      bytes('200 '),
      bytes('x'.repeat(20)),
    ]),
  );
});

check('reply: replyClass, replyGroup and isPositiveReply classify codes (RFC 959 §4.2.1)', () => {
  equal(
    [100, 227, 331, 421, 550, 631].map(reply.replyClass),
    ['preliminary', 'completion', 'intermediate', 'transient', 'permanent', 'protected'],
    'classes',
  );
  equal(
    [500, 211, 227, 331, 550].map(reply.replyGroup),
    ['syntax', 'information', 'connections', 'authentication', 'file-system'],
    'groups',
  );
  equal(reply.replyGroup(260), undefined, 'unassigned second digit');
  equal(
    [150, 200, 331, 421, 530, 631].map(reply.isPositiveReply),
    [true, true, true, false, false, false],
    'positive',
  );
  replyError.throws('ERR_INVALID_CODE', 0, () => reply.replyClass(700));
  replyError.throws('ERR_INVALID_CODE', 0, () => reply.isPositiveReply(2.5));
});

check('reply: ReplyError carries code, offset and cause', () => {
  const cause = new Error('under');
  const error = new reply.ReplyError('ERR_MALFORMED_REPLY', 'bad', 3, { cause });
  replyError.is(error, 'ERR_MALFORMED_REPLY', 3);
  ok(error.cause === cause, 'cause kept');
});

check('reply: parsePathnameReply and formatPathnameReply (257, RFC 959 Appendix II)', () => {
  equal(
    reply.parsePathnameReply('257 "/home/anna" is the current directory'),
    '/home/anna',
    'path',
  );
  equal(reply.parsePathnameReply('257 "/say ""hi""" created'), '/say "hi"', 'doubled quotes');
  equal(
    reply.parsePathnameReply(reply.parseReply('257 "/" is your current location\r\n')),
    '/',
    'a Reply',
  );
  const wire = reply.formatPathnameReply('/données "x"', 'created');
  equal(wire, '257 "/données ""x""" created\r\n', 'format');
  equal(reply.parsePathnameReply(wire), '/données "x"', 'round trip');
  replyError.throws('ERR_INVALID_PATHNAME_REPLY', 4, () =>
    reply.parsePathnameReply('257 MKD command successful.'),
  );
  replyError.throws('ERR_UNEXPECTED_REPLY_CODE', 0, () => reply.parsePathnameReply('550 "/x"'));
  replyError.throws('ERR_INVALID_TEXT', 2, () => reply.formatPathnameReply('/a\r\n226 Done'));
});

check('reply: parseFeatureReply and formatFeatureReply (FEAT, RFC 2389)', () => {
  const features = reply.parseFeatureReply(
    '211-Features:\r\n EPSV\r\n mlst type*;size*;\r\n AUTH SSL\r\n AUTH TLS\r\n211 End\r\n',
  );
  equal(
    [...features],
    [
      ['EPSV', ''],
      ['MLST', 'type*;size*;'],
      ['AUTH', 'SSL;TLS'],
    ],
    'features',
  );
  equal(reply.parseFeatureReply('211 No features').size, 0, 'single line');
  const list = new Map([
    ['UTF8', ''],
    ['REST', 'STREAM'],
  ]);
  const wire = reply.formatFeatureReply(list);
  equal(wire, '211-Features:\r\n UTF8\r\n REST STREAM\r\n211 End\r\n', 'format');
  equal([...reply.parseFeatureReply(wire)], [...list], 'round trip');
  replyError.throws('ERR_UNEXPECTED_REPLY_CODE', 0, () => reply.parseFeatureReply('502 No.'));
  replyError.throws('ERR_INVALID_TEXT', 4, () =>
    reply.formatFeatureReply(new Map([['REST STREAM', '']])),
  );
});

check('reply: parseSizeReply, parseModificationTimeReply, parseTransferSize (213, 150)', () => {
  equal(reply.parseSizeReply('213 1048576\r\n'), 1048576, 'size');
  equal(reply.parseSizeReply('213 9007199254740991'), Number.MAX_SAFE_INTEGER, 'largest size');
  replyError.throws('ERR_SIZE_TOO_LARGE', 4, () => reply.parseSizeReply('213 9007199254740992'));
  replyError.throws('ERR_INVALID_SIZE_REPLY', 5, () => reply.parseSizeReply('213 1.5'));
  equal(
    reply.parseModificationTimeReply('213 20240229134501.123').toISOString(),
    '2024-02-29T13:45:01.123Z',
    'MDTM',
  );
  equal(
    reply.parseModificationTimeReply('213 191240229134501').getUTCFullYear(),
    2024,
    'the 19100 year bug',
  );
  replyError.throws('ERR_INVALID_TIME_VAL', 8, () =>
    reply.parseModificationTimeReply('213 20241301000000'),
  );
  equal(
    reply.parseTransferSize('150 Opening BINARY mode data connection for f (18 bytes).'),
    18,
    'a 150 with a size',
  );
  equal(reply.parseTransferSize('150 Here comes the directory listing.'), undefined, 'none');
  replyError.throws('ERR_UNEXPECTED_REPLY_CODE', 0, () => reply.parseTransferSize('425 No.'));
});

check('reply: parseTimeVal and formatTimeVal (RFC 3659 §2.3, UTC)', () => {
  equal(reply.parseTimeVal('20240229134501.5').toISOString(), '2024-02-29T13:45:01.500Z', 'parse');
  equal(reply.parseTimeVal('20161231235960').toISOString(), '2017-01-01T00:00:00.000Z', 'leap');
  equal(reply.formatTimeVal(new Date('2024-02-29T13:45:01.007Z')), '20240229134501.007', 'format');
  equal(reply.formatTimeVal(new Date('2024-02-29T13:45:01Z')), '20240229134501', 'no fraction');
  replyError.throws('ERR_INVALID_TIME_VAL', 6, () => reply.parseTimeVal('20230229000000'));
  replyError.throws('ERR_INVALID_TIME_VAL', 0, () => reply.formatTimeVal(new Date(Number.NaN)));
});

// ---- @ftpwire/command

check('command: parseCommand upper-cases the verb and keeps the argument byte for byte', () => {
  const retr = command.parseCommand('retr  my file.txt \r\n');
  equal([retr.verb, retr.argument, retr.offset], ['RETR', ' my file.txt ', 0], 'string form');
  const pasv = command.parseCommand(bytes('PASV'));
  equal([pasv.verb, pasv.argument, pasv.rawArgument.length], ['PASV', '', 0], 'no argument');
  const raw = command.parseCommand(Uint8Array.of(...bytes('STOR caf'), 0xe9, 0x0a));
  equal(raw.argument, 'caf\ufffd', 'non-UTF-8 argument decoded as U+FFFD');
  equal(Array.from(raw.rawArgument), [...bytes('caf'), 0xe9], 'raw argument kept');
  equal(command.parseCommand('CWD a\rb').argument, 'a\rb', 'a lone CR belongs to the argument');
});

check('command: parseCommand refuses malformed lines and a second line (injection)', () => {
  commandError.throws('ERR_TRAILING_DATA', 7, () => command.parseCommand('RETR a\r\nDELE b\r\n'));
  commandError.throws('ERR_TRAILING_DATA', 6, () => command.parseCommand(bytes('RETR a\nDELE b')));
  commandError.throws('ERR_MALFORMED_COMMAND', 0, () => command.parseCommand('R3TR x'));
  commandError.throws('ERR_MALFORMED_COMMAND', 0, () => command.parseCommand(' NOOP'));
  commandError.throws('ERR_MALFORMED_COMMAND', 0, () => command.parseCommand(bytes('')));
});

check('command: formatCommand writes VERB argument CRLF and refuses CR, LF, NUL', () => {
  equal(
    command.formatCommand('RETR', 'report 2024.pdf'),
    'RETR report 2024.pdf\r\n',
    'with argument',
  );
  equal(command.formatCommand('PASV'), 'PASV\r\n', 'without');
  equal(command.formatCommand('NOOP', ''), 'NOOP\r\n', 'empty argument');
  commandError.throws('ERR_INVALID_ARGUMENT', 1, () =>
    command.formatCommand('RETR', 'a\r\nDELE b'),
  );
  commandError.throws('ERR_INVALID_ARGUMENT', 2, () => command.formatCommand('RETR', 'ab\nDELE b'));
  commandError.throws('ERR_INVALID_ARGUMENT', 1, () => command.formatCommand('RETR', 'a\0'));
  commandError.throws('ERR_INVALID_VERB', 0, () => command.formatCommand('RETR\r\nDELE'));
  commandError.throws('ERR_INVALID_VERB', 0, () => command.formatCommand('SITEX'));
  equal(
    command.formatCommand('X-CMD', 'y', { strictVerb: false }),
    'X-CMD y\r\n',
    'strictVerb false',
  );
  commandError.throws('ERR_INVALID_VERB', 0, () =>
    command.formatCommand('A B', undefined, { strictVerb: false }),
  );
  const line = command.formatCommand('STOR', 'dir/ä file');
  const parsed = command.parseCommand(bytes(line));
  equal([parsed.verb, parsed.argument], ['STOR', 'dir/ä file'], 'round trip');
});

check(
  'command: CommandParser streams commands, skips malformed lines on request, decodes Telnet',
  () => {
    const parser = new command.CommandParser();
    const got = [];
    for (const piece of chunks('USER anonymous\r\npass x\r\nQUIT', 4))
      got.push(...parser.push(piece));
    ok(!parser.idle, 'a partial line is held');
    got.push(...parser.end());
    ok(parser.idle, 'idle after end');
    equal(
      got.map((c) => [c.verb, c.argument, c.offset]),
      [
        ['USER', 'anonymous', 0],
        ['PASS', 'x', 16],
        ['QUIT', '', 24],
      ],
      'commands',
    );
    const malformed: number[] = [];
    const lenient = new command.CommandParser({
      onMalformedLine: (error) => malformed.push(error.offset),
    });
    equal(
      lenient.push(bytes('NOOP\r\n123\r\nSYST\r\n')).map((c) => c.verb),
      ['NOOP', 'SYST'],
      'malformed skipped',
    );
    equal(malformed, [6], 'malformed line reported at its offset');
    const strict = new command.CommandParser();
    commandError.throws('ERR_MALFORMED_COMMAND', 0, () => strict.push(bytes('123\r\n')));
    const telnet: string[] = [];
    const server = new command.CommandParser({
      telnet: true,
      onTelnetCommand: (c) => telnet.push(c.name),
    });
    const abort = server.push(Uint8Array.of(0xff, 0xf4, 0xff, 0xf2, ...bytes('ABOR\r\n')));
    equal(
      abort.map((c) => c.verb),
      ['ABOR'],
      'ABOR after IAC IP IAC DM (RFC 959 §4.1.3)',
    );
    equal(telnet, ['IP', 'DM'], 'telnet commands');
    const limited = new command.CommandParser({ maxLineLength: 5 });
    const error = commandError.throws('ERR_LINE_TOO_LONG', 5, () =>
      limited.push(bytes('RETR abcdef')),
    );
    ok(error.cause instanceof lines.LineError, 'the LineError is the cause');
  },
);

check('command: CommandParserStream turns client bytes into commands', async () => {
  const out = await through(new command.CommandParserStream(), chunks('EPSV\r\nRETR a b\r\n', 3));
  equal(
    out.map((c) => [c.verb, c.argument]),
    [
      ['EPSV', ''],
      ['RETR', 'a b'],
    ],
    'commands',
  );
  await commandError.rejects('ERR_MALFORMED_COMMAND', () =>
    through(new command.CommandParserStream(), [bytes('!!\r\n')]),
  );
});

check('command: CommandError carries code, offset and cause', () => {
  const error = new command.CommandError('ERR_INVALID_VERB', 'bad', 0);
  commandError.is(error, 'ERR_INVALID_VERB', 0);
});

// ---- @ftpwire/address

check('address: IPv4 text codecs are strict dotted quads', () => {
  equal(Array.from(address.parseIPv4('192.0.2.1')), [192, 0, 2, 1], 'parseIPv4');
  equal(address.formatIPv4(Uint8Array.of(10, 0, 1, 121)), '10.0.1.121', 'formatIPv4');
  equal(
    ['10.0.0.1', '10.1', '010.0.0.1', '1.2.3.256', ' 1.2.3.4'].map(address.isIPv4),
    [true, false, false, false, false],
    'isIPv4',
  );
  addressError.throws('ERR_INVALID_IPV4', 8, () => address.parseIPv4('192.0.2.01'));
  addressError.throws('ERR_INVALID_IPV4', undefined, () => address.parseIPv4('1.2.3'));
});

check('address: IPv6 comes out in RFC 5952 canonical form', () => {
  equal(
    address.canonicalIPv6('2001:0DB8:0000:0000:0000:0000:0000:0001'),
    '2001:db8::1',
    'zeros and case',
  );
  equal(
    address.canonicalIPv6('2001:db8:0:1:1:1:1:1'),
    '2001:db8:0:1:1:1:1:1',
    'one zero group stays',
  );
  equal(address.canonicalIPv6('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1', 'first run on a tie');
  equal(address.canonicalIPv6('2001:0:0:1:0:0:0:1'), '2001:0:0:1::1', 'longest run');
  equal(address.canonicalIPv6('::FFFF:C000:0201'), '::ffff:192.0.2.1', 'IPv4-mapped (RFC 5952 §5)');
  const parsed = address.parseIPv6('1080::8:800:200C:417A');
  equal(
    Array.from(parsed),
    [0x10, 0x80, 0, 0, 0, 0, 0, 0, 0, 8, 8, 0, 0x20, 0x0c, 0x41, 0x7a],
    'parseIPv6',
  );
  equal(address.formatIPv6(parsed), '1080::8:800:200c:417a', 'formatIPv6');
  equal(
    ['::1', '::', 'fe80::1%eth0', '1::2::3', '1:2:3:4:5:6:7:8:9', '::ffff:1.2.3.4'].map(
      address.isIPv6,
    ),
    [true, true, false, false, false, true],
    'isIPv6',
  );
  addressError.throws('ERR_INVALID_IPV6', undefined, () => address.parseIPv6('fe80::1%eth0'));
  addressError.throws('ERR_INVALID_IPV6', undefined, () => address.canonicalIPv6('2001:db8::g'));
});

check('address: classification, normalization and comparison of socket addresses', () => {
  const kinds = [
    '10.0.1.121',
    '100.64.0.1',
    '::ffff:127.0.0.1',
    '2001:db8::1',
    '193.21.1.121',
    'fe80::1%eth0',
    'fd00::1',
    '0.0.0.0',
    '224.0.0.1',
  ].map(address.classifyAddress);
  equal(
    kinds,
    [
      'private',
      'shared',
      'loopback',
      'documentation',
      'public',
      'link-local',
      'unique-local',
      'unspecified',
      'multicast',
    ],
    'classifyAddress',
  );
  equal(
    ['192.168.1.2', 'fd00::1', '193.21.1.121', '127.0.0.1'].map(address.isPrivateAddress),
    [true, true, false, true],
    'isPrivateAddress',
  );
  equal(
    ['::ffff:192.0.2.1', '192.0.2.1', '::1'].map(address.isIPv4MappedAddress),
    [true, false, false],
    'isIPv4MappedAddress',
  );
  equal(address.normalizeAddress('::FFFF:10.0.0.1'), '10.0.0.1', 'mapped to IPv4');
  equal(address.normalizeAddress('FE80:0:0:0:0:0:0:1%eth0'), 'fe80::1%eth0', 'zone kept');
  ok(address.sameAddress('::ffff:10.0.0.1', '10.0.0.1'), 'mapped equals IPv4');
  ok(address.sameAddress('2001:DB8::1', '2001:db8:0:0::1'), 'case and compression');
  ok(!address.sameAddress('fe80::1%eth0', 'fe80::1%eth1'), 'zones must match');
  addressError.throws('ERR_INVALID_HOST', 0, () => address.classifyAddress('ftp.example.com'));
});

check('address: PORT h1,h2,h3,h4,p1,p2 codec never masks a value', () => {
  equal(address.decodeHostPort('10,0,1,121,15,6'), { host: '10.0.1.121', port: 3846 }, 'decode');
  equal(
    address.encodeHostPort({ host: '193.21.1.121', port: 3846 }),
    '193,21,1,121,15,6',
    'encode',
  );
  equal(
    address.encodeHostPort({ host: '::ffff:10.0.0.1', port: 65535 }),
    '10,0,0,1,255,255',
    'mapped host',
  );
  addressError.throws('ERR_INVALID_HOST_PORT', 11, () =>
    address.decodeHostPort('10,0,1,121,256,6'),
  );
  addressError.throws('ERR_INVALID_HOST_PORT', 7, () => address.decodeHostPort('10,0,0,300,4,1'));
  addressError.throws('ERR_INVALID_HOST_PORT', undefined, () =>
    address.decodeHostPort('10,0,1,121,15,6,7'),
  );
  addressError.throws('ERR_INVALID_HOST', 0, () =>
    address.encodeHostPort({ host: '::1', port: 21 }),
  );
  addressError.throws('ERR_INVALID_PORT', 0, () =>
    address.encodeHostPort({ host: '10.0.0.1', port: 65536 }),
  );
});

check('address: 227 replies, scanned as RFC 1123 asks, also from a parsed Reply', () => {
  const expected = { host: '10.0.1.121', port: 3846 };
  equal(
    address.parsePasvReply('227 Entering Passive Mode (10,0,1,121,15,6).'),
    expected,
    'vsftpd form',
  );
  equal(address.parsePasvReply('227 =10,0,1,121,15,6'), expected, 'no parentheses');
  equal(address.parsePasvReply('227 PASV OK (10,0,1,121,15,6)\r\n'), expected, 'ftp-srv form');
  equal(
    address.parsePasvReply(reply.parseReply('227 Entering Passive Mode (10,0,1,121,15,6).\r\n')),
    expected,
    'from a Reply',
  );
  const wire = address.formatPasvReply({ host: '193.21.1.121', port: 3846 });
  equal(wire, '227 Entering Passive Mode (193,21,1,121,15,6).\r\n', 'formatPasvReply');
  equal(address.parsePasvReply(wire), { host: '193.21.1.121', port: 3846 }, 'round trip');
  addressError.throws('ERR_INVALID_PASV_REPLY', undefined, () =>
    address.parsePasvReply('227 Entering Passive Mode (10,0,1,121,15,6,7)'),
  );
  addressError.throws('ERR_UNEXPECTED_REPLY_CODE', undefined, () =>
    address.parsePasvReply('500 no'),
  );
  addressError.throws('ERR_INVALID_TEXT', undefined, () =>
    address.formatPasvReply({ host: '10.0.0.1', port: 1 }, 'Mode 2'),
  );
});

check('address: 229 replies (RFC 2428 §3)', () => {
  equal(address.parseEpsvReply('229 Entering Extended Passive Mode (|||30004|)'), 30004, 'vsftpd');
  equal(
    address.parseEpsvReply('229 Entering Extended Passive Mode (!!!6446!)'),
    6446,
    'IBM i delimiter',
  );
  equal(
    address.parseEpsvReply(reply.parseReply('229 EPSV OK (|||2121|)\r\n')),
    2121,
    'from a Reply',
  );
  equal(
    address.formatEpsvReply(30004),
    '229 Entering Extended Passive Mode (|||30004|)\r\n',
    'formatEpsvReply',
  );
  addressError.throws('ERR_INVALID_EPSV_REPLY', undefined, () =>
    address.parseEpsvReply('229 x (|||65536|)'),
  );
  addressError.throws('ERR_UNEXPECTED_REPLY_CODE', undefined, () =>
    address.parseEpsvReply('227 x (|||21|)'),
  );
  addressError.throws('ERR_INVALID_PORT', 0, () => address.formatEpsvReply(70000));
});

check('address: EPRT |af|host|port| (RFC 2428 §2), IPv6 in canonical form', () => {
  equal(
    address.decodeExtendedAddress('|1|132.235.1.2|6275|'),
    { family: 1, host: '132.235.1.2', port: 6275 },
    'IPv4',
  );
  equal(
    address.decodeExtendedAddress('|2|1080::8:800:200C:417A|5282|'),
    { family: 2, host: '1080::8:800:200c:417a', port: 5282 },
    'IPv6',
  );
  equal(
    address.decodeExtendedAddress('#1#132.235.1.2#6275#'),
    { family: 1, host: '132.235.1.2', port: 6275 },
    'delimiter #',
  );
  equal(
    address.encodeExtendedAddress({ host: '1080::8:800:200C:417A', port: 5282 }),
    '|2|1080::8:800:200c:417a|5282|',
    'encode IPv6',
  );
  equal(
    address.encodeExtendedAddress({ host: '132.235.1.2', port: 6275 }, '!'),
    '!1!132.235.1.2!6275!',
    'encode with !',
  );
  equal(
    address.encodeExtendedAddress({ host: '::ffff:10.0.0.1', port: 21, family: 1 }),
    '|1|10.0.0.1|21|',
    'mapped as IPv4',
  );
  addressError.throws('ERR_UNSUPPORTED_NETWORK_PROTOCOL', undefined, () =>
    address.decodeExtendedAddress('|3|x|21|'),
  );
  addressError.throws('ERR_INVALID_EXTENDED_ADDRESS', undefined, () =>
    address.decodeExtendedAddress('|1|132.235.1.2|6275'),
  );
  addressError.throws('ERR_INVALID_EXTENDED_ADDRESS', undefined, () =>
    address.decodeExtendedAddress('|2|fe80::1%eth0|21|'),
  );
  addressError.throws('ERR_INVALID_DELIMITER', 0, () =>
    address.encodeExtendedAddress({ host: '::1', port: 21 }, ':'),
  );
});

check('address: LPRT and 228 long addresses (RFC 1639)', () => {
  equal(
    address.decodeLongAddress('4,4,132,235,1,2,2,24,131'),
    { family: 4, host: '132.235.1.2', port: 6275 },
    'IPv4',
  );
  const v6 = address.encodeLongAddress({ host: '::1', port: 6275 });
  equal(v6, '6,16,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,2,24,131', 'encode IPv6');
  equal(address.decodeLongAddress(v6), { family: 6, host: '::1', port: 6275 }, 'round trip IPv6');
  equal(
    address.encodeLongAddress({ host: '132.235.1.2', port: 6275 }),
    '4,4,132,235,1,2,2,24,131',
    'encode IPv4',
  );
  const wire = address.formatLpsvReply({ host: '132.235.1.2', port: 6275 });
  equal(wire, '228 Entering Long Passive Mode (4,4,132,235,1,2,2,24,131)\r\n', 'formatLpsvReply');
  equal(
    address.parseLpsvReply(wire),
    { family: 4, host: '132.235.1.2', port: 6275 },
    'parseLpsvReply',
  );
  addressError.throws('ERR_INVALID_LONG_ADDRESS', undefined, () =>
    address.decodeLongAddress('4,4,132,235,1,2,2,24,256'),
  );
  addressError.throws('ERR_UNSUPPORTED_NETWORK_PROTOCOL', undefined, () =>
    address.decodeLongAddress('5,4,1,2,3,4,2,0,21'),
  );
  addressError.throws('ERR_INVALID_LPSV_REPLY', undefined, () =>
    address.parseLpsvReply('228 Long (4,4,1,2,3,4,2,0)'),
  );
});

check('address: 522 network protocol lists (RFC 2428 §2)', () => {
  equal(
    address.parseNetworkProtocolsReply('522 Network protocol not supported, use (1,2)'),
    [1, 2],
    'parse',
  );
  equal(
    address.formatNetworkProtocolsReply([1]),
    '522 Network protocol not supported, use (1)\r\n',
    'format',
  );
  equal(
    address.parseNetworkProtocolsReply(address.formatNetworkProtocolsReply()),
    [1, 2],
    'default round trip',
  );
  addressError.throws('ERR_INVALID_PROTOCOL_LIST', undefined, () =>
    address.parseNetworkProtocolsReply('522 use (1,)'),
  );
  addressError.throws('ERR_INVALID_PROTOCOL_LIST', 0, () =>
    address.formatNetworkProtocolsReply([0]),
  );
  equal(
    address.parseNetworkProtocolsReply('522 Network protocol not supported (use 1).'),
    [1],
    "pyftpdlib's form",
  );
});

check('address: port 0 is never a data port, in any decoder or encoder', () => {
  addressError.throws('ERR_INVALID_HOST_PORT', 11, () => address.decodeHostPort('10,0,1,121,0,0'));
  addressError.throws('ERR_INVALID_PASV_REPLY', 16, () =>
    address.parsePasvReply('227 (10,0,1,121,0,0)'),
  );
  addressError.throws('ERR_INVALID_EPSV_REPLY', 8, () => address.parseEpsvReply('229 (|||0|)'));
  addressError.throws('ERR_INVALID_EXTENDED_ADDRESS', 12, () =>
    address.decodeExtendedAddress('|1|10.0.0.1|0|'),
  );
  addressError.throws('ERR_INVALID_LONG_ADDRESS', 15, () =>
    address.decodeLongAddress('4,4,10,0,0,1,2,0,0'),
  );
  addressError.throws('ERR_INVALID_PORT', 0, () =>
    address.choosePassiveHost({ reply: { host: '10.0.0.1', port: 0 }, controlPeer: '10.0.0.1' }),
  );
  addressError.throws('ERR_INVALID_PORT', 0, () => address.formatEpsvReply(0));
});

check('address: choosePassiveHost applies each policy', () => {
  const replyHost = address.parsePasvReply('227 Entering Passive Mode (10,0,1,121,15,6).');
  const peer = '193.21.1.121';
  const fromPeer = { host: peer, port: 3846, source: 'control-peer' };
  const fromReply = { host: '10.0.1.121', port: 3846, source: 'reply' };
  equal(
    address.choosePassiveHost({ reply: replyHost, controlPeer: peer }),
    fromPeer,
    'ignore (default)',
  );
  equal(
    address.choosePassiveHost({ reply: replyHost, controlPeer: peer, policy: 'ignore' }),
    fromPeer,
    'ignore',
  );
  equal(
    address.choosePassiveHost({ reply: replyHost, controlPeer: peer, policy: 'private-fallback' }),
    fromPeer,
    'private-fallback, private reply',
  );
  equal(
    address.choosePassiveHost({
      reply: { host: '193.21.1.122', port: 21 },
      controlPeer: peer,
      policy: 'private-fallback',
    }),
    { host: '193.21.1.122', port: 21, source: 'reply' },
    'private-fallback, public reply',
  );
  equal(
    address.choosePassiveHost({
      reply: replyHost,
      controlPeer: '10.0.0.5',
      policy: 'private-fallback',
    }),
    fromReply,
    'private-fallback, private peer',
  );
  equal(
    address.choosePassiveHost({ reply: replyHost, controlPeer: peer, policy: 'trust' }),
    fromReply,
    'trust',
  );
  equal(
    address.choosePassiveHost({
      reply: replyHost,
      controlPeer: '::ffff:10.0.1.121',
      policy: 'strict',
    }),
    fromReply,
    'strict, same host',
  );
  equal(
    address.choosePassiveHost({ reply: replyHost, controlPeer: 'FE80:0:0:0:0:0:0:1%eth0' }).host,
    'fe80::1%eth0',
    'peer normalized',
  );
  addressError.throws('ERR_PASSIVE_HOST_MISMATCH', 0, () =>
    address.choosePassiveHost({ reply: replyHost, controlPeer: peer, policy: 'strict' }),
  );
  const bogus = 'bogus' as unknown as 'trust';
  addressError.throws('ERR_INVALID_POLICY', 0, () =>
    address.choosePassiveHost({ reply: replyHost, controlPeer: peer, policy: bogus }),
  );
});

check('address: AddressError carries code and offset', () => {
  addressError.is(new address.AddressError('ERR_INVALID_PORT', 'bad', 0), 'ERR_INVALID_PORT', 0);
});

// ---- @ftpwire/nat

const PUBLIC = '193.21.1.121';
const PRIVATE_227 = '227 Entering Passive Mode (10,0,0,2,117,51).\r\n';
const PUBLIC_227 = '227 Entering Passive Mode (193,21,1,121,117,51).\r\n';

check(
  'nat: NatSession rewrites a 227 answering a PASV, leaves an unsolicited 227 alone',
  async () => {
    const skips: string[] = [];
    const rewrites: string[] = [];
    const session = new nat.NatSession({
      publicHost: PUBLIC,
      onSkip: (event) => skips.push(`${event.direction}:${event.reason}@${event.offset}`),
      onRewrite: (event) => rewrites.push(`${event.before} -> ${event.after}`),
    });
    const toServer = stepper(session.commands);
    const toClient = stepper(session.replies);
    equal(await toClient('220 ready\r\n'), '220 ready\r\n', 'greeting');
    equal(await toClient(PRIVATE_227), PRIVATE_227, 'unsolicited 227 untouched');
    equal(skips, ['reply:unsolicited@11'], 'unsolicited reported');
    equal(await toServer('PASV\r\n'), 'PASV\r\n', 'PASV passes');
    equal(await toClient(PRIVATE_227), PUBLIC_227, '227 answering PASV rewritten');
    equal(
      rewrites,
      [`${PRIVATE_227.slice(0, -2)} -> ${PUBLIC_227.slice(0, -2)}`],
      'rewrite reported',
    );
    equal(await toServer('PASV\r\n'), 'PASV\r\n', 'second PASV');
    equal(
      await toClient('227-Entering Passive Mode (10,0,0,2,117,51).\r\n'),
      '227-Entering Passive Mode (10,0,0,2,117,51).\r\n',
      'multi-line opening untouched',
    );
    equal(await toClient('227 done\r\n'), '227 done\r\n', 'multi-line close');
    ok(
      skips.includes(`reply:multi-line@${11 + PRIVATE_227.length * 2}`),
      `multi-line reported: ${show(skips)}`,
    );
    equal(session.state, 'clear', 'state');
  },
);

check('nat: NatSession rewrites PORT naming the client and tracks AUTH TLS', async () => {
  const session = new nat.NatSession({
    clientAddress: '192.168.1.20',
    clientPublicHost: '198.51.100.20',
  });
  const toServer = stepper(session.commands);
  const toClient = stepper(session.replies);
  await toClient('220 ready\r\n');
  equal(
    await toServer('PORT 192,168,1,20,195,80\r\n'),
    'PORT 198,51,100,20,195,80\r\n',
    'PORT rewritten',
  );
  equal(await toClient('200 PORT ok\r\n'), '200 PORT ok\r\n', 'its reply');
  equal(
    await toServer('EPRT |1|192.168.1.20|50000|\r\n'),
    'EPRT |1|198.51.100.20|50000|\r\n',
    'EPRT rewritten',
  );
  await toClient('200 EPRT ok\r\n');
  await toServer('AUTH TLS\r\n');
  equal(await toClient('234 go\r\n'), '234 go\r\n', '234');
  equal(session.state, 'secure', 'secure after 234');
  session.resumeClear();
  equal(session.state, 'clear', 'clear after resumeClear');
});

check('nat: createReplyRewriteStream rewrites single-line 227 replies only', async () => {
  const stream = nat.createReplyRewriteStream({ publicHost: PUBLIC });
  ok(stream instanceof nat.ReplyRewriteStream, 'returns a ReplyRewriteStream');
  ok(stream instanceof TransformStream, 'a TransformStream');
  equal(stream.state, 'clear', 'state');
  const input = `220 ready\r\n${PRIVATE_227}211-x\r\n${PRIVATE_227}211 end\r\n227 Entering Passive Mode (193,21,1,9,4,1)\r\n`;
  const expected = `220 ready\r\n${PUBLIC_227}211-x\r\n${PRIVATE_227}211 end\r\n227 Entering Passive Mode (193,21,1,9,4,1)\r\n`;
  equal(
    text(concat(await through(stream, chunks(input, 5)))),
    expected,
    'rewritten once, public host left',
  );
  const direct = new nat.ReplyRewriteStream({
    publicHost: PUBLIC,
    coalesce: false,
    rewriteHosts: 'all',
  });
  equal(
    text(concat(await through(direct, [bytes('227 (193,21,1,9,4,1)\r\n')]))),
    '227 (193,21,1,121,4,1)\r\n',
    "rewriteHosts 'all'",
  );
  direct.resumeClear();
  equal(direct.state, 'clear', 'resumeClear');
  await natError.rejects('ERR_LINE_TOO_LONG', () =>
    through(nat.createReplyRewriteStream({ publicHost: PUBLIC, maxLineLength: 16 }), [
      bytes('227 Entering Passive Mode (10,0,0,2,117,51).\r\n'),
    ]),
  );
});

check('nat: NatRewriter and ReplyRewriter are the synchronous cores', () => {
  const drive = (
    core: { push(chunk: Uint8Array, emit: (bytes: Uint8Array) => void): void },
    input: string,
  ) => {
    const out: Uint8Array[] = [];
    for (const piece of chunks(input, 3)) core.push(piece, (data) => out.push(data.slice()));
    return text(concat(out));
  };
  const core = new nat.NatRewriter({
    publicHost: PUBLIC,
    portMap: { privateStart: 30000, publicStart: 40000, count: 100 },
  });
  equal(drive(core.replies, '220 ok\r\n'), '220 ok\r\n', 'greeting');
  equal(drive(core.commands, 'pasv\r\n'), 'pasv\r\n', 'PASV in lower case');
  equal(
    drive(core.replies, '227 Entering Passive Mode (10,0,0,2,117,51).\r\n'),
    '227 Entering Passive Mode (193,21,1,121,156,67).\r\n',
    'host and port mapped',
  );
  equal(core.replies.offset, 8 + PRIVATE_227.length, 'reply offset');
  equal(core.state, 'clear', 'state');
  core.resumeClear();
  const replies = new nat.ReplyRewriter({
    publicHost: PUBLIC,
    hostMap: { '10.0.0.2': '203.0.113.7' },
  });
  equal(
    drive(replies, PRIVATE_227),
    '227 Entering Passive Mode (203,0,113,7,117,51).\r\n',
    'hostMap before publicHost',
  );
  equal(replies.state, 'clear', 'ReplyRewriter state');
  const tail: Uint8Array[] = [];
  replies.push(bytes('227 never ends'), (data) => tail.push(data.slice()));
  replies.end((data) => tail.push(data.slice()));
  equal(text(concat(tail)), '227 never ends', 'end() flushes a held line unchanged');
  replies.resumeClear();
});

check('nat: NatError codes for options and refused commands', () => {
  natError.throws('ERR_INVALID_OPTION', 0, () => new nat.NatSession({ publicHost: '2001:db8::1' }));
  natError.throws('ERR_INVALID_OPTION', 0, () =>
    nat.createReplyRewriteStream({ publicHost: 'gateway' }),
  );
  natError.throws('ERR_INVALID_OPTION', 0, () => new nat.NatRewriter({ maxLineLength: 0 }));
  const core = new nat.NatRewriter({
    clientAddress: '192.168.1.20',
    clientPublicHost: '198.51.100.20',
    bounce: 'refuse',
  });
  const emit = () => undefined;
  core.replies.push(bytes('220 ok\r\n'), emit);
  natError.throws('ERR_PORT_REFUSED', 0, () =>
    core.commands.push(bytes('PORT 192,168,1,20,0,21\r\n'), emit),
  );
  const bounce = new nat.NatRewriter({ clientAddress: '192.168.1.20', bounce: 'refuse' });
  natError.throws('ERR_BOUNCE_REFUSED', 0, () =>
    bounce.commands.push(bytes('PORT 10,9,9,9,195,80\r\n'), emit),
  );
  const constructed = new nat.NatError('ERR_INVALID_MAPPING', 'bad', 5);
  natError.is(constructed, 'ERR_INVALID_MAPPING', 5);
});

// ---- @ftpwire/listing

check('listing: parseFacts reads RFC 3659 facts and keeps the pathname whole', () => {
  const entry = listing.parseFacts(
    'Type=file;Size=44242;Modify=19990217230400.5;UNIX.mode=0644;UNIX.uid=1000; a;b = c ',
  );
  equal(entry.name, 'a;b = c ', 'the name after the first space, whole');
  equal([...entry.facts.keys()], ['type', 'size', 'modify', 'unix.mode', 'unix.uid'], 'names');
  equal(
    [entry.type, entry.size, entry.modify?.toISOString(), entry.unixMode, entry.unixUid],
    ['file', 44242, '1999-02-17T23:04:00.500Z', 0o644, 1000],
    'typed views',
  );
  const link = listing.parseFacts('type=OS.unix=slink:/srv;perm=; srv');
  equal([link.type, link.link, link.perm], ['symlink', '/srv', ''], 'a link and its target');
  equal(listing.parseFacts(' no facts').facts.size, 0, 'no facts at all');
  const raw = listing.parseFacts(Uint8Array.of(...bytes('type=file; caf'), 0xe9, 0x0d, 0x0a));
  equal([raw.name, Array.from(raw.rawName ?? [])], ['caf\ufffd', [...bytes('caf'), 0xe9]], 'raw');
  listingError.throws('ERR_MALFORMED_FACTS', 14, () => listing.parseFacts('type=file;size'));
  listingError.throws('ERR_INVALID_FACT', 13, () => listing.parseFacts('type=x;size=1e3; n'));
  listingError.throws('ERR_INVALID_FACT', 13, () => listing.parseFacts('modify=20240230000000; n'));
  listingError.throws('ERR_TRAILING_DATA', 9, () => listing.parseFacts('type=x; a\nb'));
});

check('listing: formatFacts writes what parseFacts reads back, and refuses line breaks', () => {
  const facts = new Map([
    ['type', 'file'],
    ['size', '12'],
  ]);
  const line = listing.formatFacts({ name: ' notes; draft', facts });
  equal(line, 'type=file;size=12;  notes; draft', 'the line');
  const back = listing.parseFacts(line);
  equal([back.name, [...back.facts]], [' notes; draft', [...facts]], 'round trip');
  listingError.throws('ERR_INVALID_NAME', 20, () => listing.formatFacts({ name: 'a\r\nb', facts }));
  listingError.throws('ERR_INVALID_FACT', 6, () =>
    listing.formatFacts({ name: 'a', facts: new Map([['size', '1 2']]) }),
  );
});

check('listing: parseMlstReply reads the entry of a 250 reply, text or Reply', () => {
  const text = '250-Listing /a b\r\n type=dir;modify=20240229134501; /a b\r\n250 End\r\n';
  equal(listing.parseMlstReply(text).name, '/a b', 'from text');
  equal(listing.parseMlstReply(reply.parseReply(text)).type, 'dir', 'from a Reply');
  listingError.throws('ERR_UNEXPECTED_REPLY_CODE', 0, () =>
    listing.parseMlstReply('550 No such file'),
  );
  listingError.throws('ERR_INVALID_MLST_REPLY', 0, () =>
    listing.parseMlstReply('250 type=file; /a'),
  );
  listingError.throws('ERR_INVALID_FACT', 23, () =>
    listing.parseMlstReply('250-x\r\n type=file;size=-1; /a\r\n250 y\r\n'),
  );
});

check('listing: parseListLine reads Unix, DOS and EPLF lines', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  const unix = listing.parseListLine(
    'lrwxrwxrwx    1 0        0               8 Nov 26 09:12 latest -> pub',
    { now },
  );
  equal(
    [unix?.dialect, unix?.type, unix?.name, unix?.link, unix?.size, unix?.owner, unix?.group],
    ['unix', 'link', 'latest', 'pub', 8, '0', '0'],
    'a Unix symlink',
  );
  equal(unix?.modified?.toISOString(), '2026-11-26T09:12:00.000Z', 'year from now');
  const old = listing.parseListLine('-rw-r--r-- 1 ftp ftp 3 Dec 31  1999  x', { now });
  equal([old?.name, old?.modified?.toISOString()], [' x', '1999-12-31T00:00:00.000Z'], 'year');
  equal(JSON.parse(JSON.stringify(old)).modified, '1999-12-31T00:00:00.000Z', 'modified in JSON');
  equal({ ...old }.modified?.toISOString(), '1999-12-31T00:00:00.000Z', 'modified copied');
  const dos = listing.parseListLine('12-05-96  05:03PM       <DIR>          absoft2');
  equal(
    [dos?.dialect, dos?.type, dos?.name, dos?.modified?.toISOString()],
    ['dos', 'directory', 'absoft2', '1996-12-05T17:03:00.000Z'],
    'a DOS directory',
  );
  const eplf = listing.parseListLine('+i8388621.48594,m825718503,r,s280,up644,\tdjb.html');
  equal([eplf?.type, eplf?.size, eplf?.permissions], ['file', 280, 'rw-r--r--'], 'EPLF');
  equal(listing.parseListLine('total 12'), undefined, 'no entry');
  listingError.throws('ERR_INVALID_OPTION', 0, () =>
    listing.parseListLine('x', { now: new Date(Number.NaN) }),
  );
});

check('listing: ListingParser detects the format once, any chunking, names kept as bytes', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  const wire = concat([
    bytes('total 2\r\n-rw-r--r-- 1 0 0 3 Nov 27 09:12 caf'),
    Uint8Array.of(0xe9),
    bytes('\r\n12-05-96  05:03PM       <DIR>          dos\r\ndrwxr-xr-x 2 0 0 6 Jan 02  2020 d\n'),
  ]);
  for (const size of [1, 3, 64]) {
    const skipped: string[] = [];
    const parser = new listing.ListingParser({ now, onSkippedLine: (line) => skipped.push(line) });
    const got = [];
    for (const piece of chunks(wire, size)) got.push(...parser.push(piece));
    got.push(...parser.end());
    equal(
      got.map((entry) => entry.name),
      ['caf\ufffd', 'd'],
      `entries, ${size}-byte chunks`,
    );
    equal(Array.from(got[0]!.rawName ?? []), [...bytes('caf'), 0xe9], 'raw name');
    equal(skipped, ['total 2', '12-05-96  05:03PM       <DIR>          dos'], 'skipped');
    equal(parser.dialect, 'unix', 'detected');
  }
  const strict = new listing.ListingParser({ dialect: 'mlsd' });
  listingError.throws('ERR_MALFORMED_FACTS', 29, () =>
    strict.push(bytes('type=file;size=1; a\r\nno-space\r\n')),
  );
  const long = new listing.ListingParser({ maxLineLength: 16 });
  listingError.throws('ERR_LINE_TOO_LONG', 16, () => long.push(new Uint8Array(40).fill(0x61)));
});

check('listing: ListingParserStream turns a data connection into entries', async () => {
  const wire = chunks('type=cdir; .\r\ntype=file;size=3; a b\r\n', 5);
  const entries = await through(new listing.ListingParserStream({ dialect: 'mlsd' }), wire);
  equal(
    entries.map((entry) => [entry.name, 'facts' in entry ? entry.type : undefined]),
    [
      ['.', 'cdir'],
      ['a b', 'file'],
    ],
    'entries',
  );
  const error = new listing.ListingError('ERR_TRAILING_DATA', 'bad', 4);
  listingError.is(error, 'ERR_TRAILING_DATA', 4);
});

// ---- large chunks: the paths that lean on the runtime (word-at-a-time scans over an Int32Array
// view, one TextDecoder call per chunk, windows-1252 text search in the NAT above 4096 bytes)

/** Deterministic pseudo-random bytes for realistic, varied lines. */
function* numbers(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    yield state >>> 8;
  }
}

/** Reply-like lines of 0-200 bytes: ASCII, UTF-8 (2 and 4 bytes) and bytes that are not UTF-8. */
function noisyLines(count: number, seed: number): Uint8Array[] {
  const random = numbers(seed);
  const next = (limit: number) => random.next().value! % limit;
  const pieces = [
    bytes('x'),
    bytes('é'),
    bytes('😀'),
    Uint8Array.of(0xe9),
    Uint8Array.of(0x80, 0xff),
  ];
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const parts = [bytes(`${200 + next(10)} `)];
    for (let n = next(60); n > 0; n--) parts.push(pieces[next(pieces.length)]!);
    out.push(concat(parts));
  }
  return out;
}

/** `data` copied to `shift` bytes into a larger buffer, so views start at any alignment. */
function shifted(data: Uint8Array, shift: number): Uint8Array {
  const buffer = new Uint8Array(data.length + shift + 3);
  buffer.set(data, shift);
  return buffer.subarray(shift, shift + data.length);
}

check('large chunks: lines and replies split the same at any alignment and chunking', () => {
  const list = noisyLines(400, 7);
  const crlf = bytes('\r\n');
  const wire = concat(list.flatMap((line) => [line, crlf]));
  ok(wire.length > 8192, `a large input (${wire.length} bytes)`);
  const expected = list.map((line) => Array.from(line).join(','));
  for (const shift of [0, 1, 2, 3]) {
    const splitter = new lines.LineSplitter();
    const got = splitter.push(shifted(wire, shift)).map((line) => Array.from(line).join(','));
    equal(got, expected, `one chunk at alignment ${shift}`);
  }
  const small = new lines.LineSplitter();
  const pieces = chunks(wire, 13).flatMap((piece) => small.push(piece));
  equal(
    pieces.map((line) => Array.from(line).join(',')),
    expected,
    '13-byte chunks',
  );
  const whole = new reply.ReplyParser().push(shifted(wire, 1));
  const parser = new reply.ReplyParser();
  const split = chunks(wire, 5).flatMap((piece) => parser.push(piece));
  equal(
    split.map((r) => r.lines),
    whole.map((r) => r.lines),
    'reply lines for 5-byte chunks',
  );
  equal(
    whole.map((r) => Array.from(r.rawLines[0]!).join(',')),
    expected,
    'rawLines keep every byte',
  );
  equal(whole[1]?.lines[0], text(list[1]!), 'lines decoded as UTF-8 with U+FFFD');
});

check('large chunks: the NAT finds and rewrites 227 replies in 64 KiB chunks', () => {
  const crlf = bytes('\r\n');
  const list = noisyLines(1000, 11);
  const parts: Uint8Array[] = [];
  const expectedParts: Uint8Array[] = [];
  list.forEach((line, i) => {
    parts.push(line, crlf);
    expectedParts.push(line, crlf);
    if (i % 100 === 99) {
      parts.push(bytes(PRIVATE_227));
      expectedParts.push(bytes(PUBLIC_227));
    }
  });
  const input = concat(parts);
  const expected = concat(expectedParts);
  ok(input.length > 65536, `a large input (${input.length} bytes)`);
  for (const size of [65536, 4096, 997]) {
    const rewriter = new nat.ReplyRewriter({ publicHost: PUBLIC });
    const out: Uint8Array[] = [];
    for (const piece of chunks(input, size)) rewriter.push(piece, (data) => out.push(data.slice()));
    rewriter.end((data) => out.push(data.slice()));
    const got = concat(out);
    ok(
      got.length === expected.length && got.every((byte, i) => byte === expected[i]),
      `${size}-byte chunks: 10 replies rewritten, every other byte unchanged`,
    );
  }
  const session = new nat.NatRewriter({
    clientAddress: '192.168.1.20',
    clientPublicHost: '198.51.100.20',
  });
  const emit = () => undefined;
  session.replies.push(bytes('220 ok\r\n'), emit);
  const noops = Array.from({ length: 800 }, () => bytes('NOOP\r\n'));
  const commands = concat([...noops, bytes('PORT 192,168,1,20,195,80\r\n')]);
  const sent: Uint8Array[] = [];
  session.commands.push(commands, (data) => sent.push(data.slice()));
  equal(
    text(concat(sent)).slice(-27),
    'PORT 198,51,100,20,195,80\r\n',
    'PORT at the end of a large chunk',
  );
});

// ---------------------------------------------------------------------------------------------
// Running

function runtimeInfo(): { runtime: string; version: string } {
  const scope = globalThis as {
    Deno?: { version: { deno: string } };
    Bun?: { version: string };
    process?: { versions?: { node?: string } };
    navigator?: { userAgent?: string };
    window?: unknown;
  };
  if (scope.Deno) return { runtime: 'deno', version: scope.Deno.version.deno };
  if (scope.Bun) return { runtime: 'bun', version: scope.Bun.version };
  if (scope.process?.versions?.node)
    return { runtime: 'node', version: scope.process.versions.node };
  if (scope.window !== undefined)
    return { runtime: 'browser', version: scope.navigator?.userAgent ?? '' };
  return { runtime: 'unknown', version: '' };
}

const exportCheckName = (pkg: string): string =>
  `exports: every runtime export of ${pkg} is exercised by a passing check`;

/** The names of the checks `runSmoke` runs, in order, known before running them. */
export function checkNames(): string[] {
  return [...checks.map(([name]) => name), ...Object.keys(modules).map(exportCheckName)];
}

function message(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Runs every check, then checks that each package's runtime exports were all exercised. */
export async function runSmoke(): Promise<SmokeResult> {
  const names: string[] = [];
  const failures: { name: string; message: string }[] = [];
  exercised.clear();
  for (const [name, run] of checks) {
    names.push(name);
    const read = new Set<string>();
    reading = read;
    try {
      await run();
      for (const key of read) exercised.add(key);
    } catch (error) {
      failures.push({ name, message: message(error) });
    } finally {
      reading = undefined;
    }
  }
  const exports: Record<string, { total: number; exercised: number }> = {};
  for (const [pkg, module] of Object.entries(modules)) {
    const name = exportCheckName(pkg);
    names.push(name);
    const keys = Object.keys(module).filter((key) => key !== 'default' && key !== '__esModule');
    const missed = keys.filter((key) => !exercised.has(`${pkg}:${key}`));
    exports[pkg] = { total: keys.length, exercised: keys.length - missed.length };
    if (keys.length === 0) failures.push({ name, message: 'the module has no runtime exports' });
    else if (missed.length > 0)
      failures.push({ name, message: `not exercised: ${missed.join(', ')}` });
  }
  return {
    ...runtimeInfo(),
    passed: names.length - failures.length,
    failed: failures.length,
    names,
    failures,
    exports,
  };
}
