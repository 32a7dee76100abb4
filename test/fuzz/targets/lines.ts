import { LineError, LineSplitter } from '@ftpwire/lines';
import { serverTranscripts } from '../../fixtures/replies.js';
import { assertLaw, chunksOf, type FuzzTarget, hex, outcome, sameOutcome } from '../target.js';

const LF = 0x0a;
const CR = 0x0d;

/** The simplest model of the splitter: split on LF, drop one CR before it, fail on a long line. */
function modelLines(data: Uint8Array, maxLineLength: number): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i <= data.length; i++) {
    const atEnd = i === data.length;
    if (!atEnd && data[i] !== LF) continue;
    if (atEnd && start === data.length) break;
    const end = !atEnd && i > start && data[i - 1] === CR ? i - 1 : i;
    if (end - start > maxLineLength) {
      out.push(`error ERR_LINE_TOO_LONG at ${start + maxLineLength}`);
      return out;
    }
    out.push(`${start}:${hex(data.subarray(start, end))}`);
    start = i + 1;
  }
  return out;
}

function splitterLines(chunks: Uint8Array[], maxLineLength: number, telnet: boolean): string[] {
  return outcome(LineError, (record) => {
    const splitter = new LineSplitter({
      maxLineLength,
      telnet,
      onLine: (line, offset) => record(`${offset}:${hex(line)}`),
      // Commands interleaved with lines, in stream order: chunking must not reorder them.
      onTelnetCommand: (command) => record(`telnet ${command.name} ${command.offset}`),
    });
    for (const chunk of chunks) splitter.push(chunk);
    splitter.end();
  });
}

export const linesTarget: FuzzTarget = {
  name: 'lines/LineSplitter',
  errorClass: LineError,
  seeds: serverTranscripts.map((transcript) => transcript.bytes),
  tokens: [
    '\r\n',
    '\n',
    '\r',
    '\r\r\n',
    '\xff\xff',
    '\xff\xf4',
    '\xff\xfb\x01',
    '\xff\xfa\x18\xff\xf0',
    'x',
  ],
  run(data) {
    // A small limit drawn from the input, so that long-line errors happen often.
    const maxLineLength = 1 + ((data[1] ?? 0) % 48);
    const whole = splitterLines([data], maxLineLength, false);
    sameOutcome(whole, modelLines(data, maxLineLength), 'splitter agrees with the model');
    sameOutcome(
      whole,
      splitterLines(chunksOf(data), maxLineLength, false),
      'chunking changes nothing',
    );
    const telnetWhole = splitterLines([data], 8192, true);
    sameOutcome(
      telnetWhole,
      splitterLines(chunksOf(data), 8192, true),
      'telnet: chunking changes nothing',
    );
    assertLaw(
      telnetWhole.every((item) => !item.startsWith('error')),
      'with Telnet on and a large limit, short input never fails',
    );
  },
};
