import { parseReply, type Reply, ReplyError, ReplyParser } from '@ftpwire/reply';
import { serverTranscripts } from '../../fixtures/replies.js';
import { assertLaw, chunksOf, type FuzzTarget, hex, outcome, sameOutcome } from '../target.js';

const CRLF = Uint8Array.of(0x0d, 0x0a);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/** The reply's raw lines are the input's bytes at its offset, and its lines their decoding. */
function matchesInput(data: Uint8Array, reply: Reply): boolean {
  let at = reply.offset;
  return reply.rawLines.every((raw, index) => {
    const actual = data.subarray(at, at + raw.length);
    if (hex(actual) !== hex(raw) || reply.lines[index] !== lenient.decode(raw)) return false;
    at += raw.length;
    if (data[at] === 0x0d && data[at + 1] === 0x0a) at += 2;
    else if (data[at] === 0x0a || at === data.length) at += 1;
    else return false;
    return true;
  });
}

function parsed(chunks: Uint8Array[], check: boolean, data?: Uint8Array): string[] {
  return outcome(ReplyError, (record) => {
    const parser = new ReplyParser({
      maxReplyLines: 16,
      onReply(reply) {
        record(
          `${reply.offset} ${reply.code} ${reply.lines.join('|')} ${reply.rawLines.map(hex).join('|')}`,
        );
        if (data)
          assertLaw(matchesInput(data, reply), `reply at ${reply.offset} is not the input's bytes`);
        if (!check) return;
        // A reply's own bytes, re-framed with CRLF, parse back to the same reply on their own.
        const again = parseReply(concat(reply.rawLines.flatMap((line) => [line, CRLF])));
        assertLaw(
          again.code === reply.code && again.lines.join('\n') === reply.lines.join('\n'),
          `re-parsing reply at ${reply.offset} changed it`,
        );
      },
    });
    for (const chunk of chunks) parser.push(chunk);
    parser.end();
  });
}

export const replyTarget: FuzzTarget = {
  name: 'reply/ReplyParser',
  errorClass: ReplyError,
  seeds: serverTranscripts.map((transcript) => transcript.bytes),
  tokens: [
    '220',
    '211',
    '227',
    '-',
    ' ',
    '\r\n',
    '\n',
    '\r',
    '211-',
    '211 ',
    '227 ',
    '0',
    '9',
    'x',
    '\xc3\xa9',
    '\xff',
  ],
  run(data) {
    const whole = parsed([data], true, data);
    sameOutcome(whole, parsed(chunksOf(data), false, data), 'chunking changes nothing');
    // parseReply accepts exactly the inputs that hold one reply and nothing else.
    const single = outcome(ReplyError, (record) => {
      record(String(parseReply(data).code));
    });
    const oneReply = whole.length === 1 && !whole[0]!.startsWith('error');
    assertLaw(oneReply === !single[0]!.startsWith('error'), 'parseReply agrees with the stream');
  },
};
