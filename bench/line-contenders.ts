/**
 * The line splitters compared in lines.bench.ts and interleaved.ts, so that both time exactly
 * the same work. Each returns the number of lines and adds a checksum to `sink` once per run.
 */
import { LineSplitter } from '@ftpwire/lines';
import { sink } from './corpus.js';

/** The zero-allocation path: ranges of the pushed chunk (or the splitter's buffer). */
export function rangeLines(chunks: readonly Uint8Array[]): number {
  let count = 0;
  let total = 0;
  const splitter = new LineSplitter({
    onLineRange: (_bytes, start, end) => {
      count++;
      total += end - start;
    },
  });
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  sink.value += total;
  return count;
}

/**
 * The text path ReplyParser stands on (`onTextLine`: each line decoded, as a range of a string),
 * with nothing done per line: the part of the reply parser's time no reply code can save.
 */
export function textLines(chunks: readonly Uint8Array[]): number {
  let count = 0;
  let total = 0;
  const splitter = new LineSplitter({
    onTextLine: (text, start, end) => {
      count++;
      total += end - start + text.length;
    },
  });
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  sink.value += total;
  return count;
}

/**
 * What basic-ftp and ftp-response-parser do with decoded text: prepend the held rest, split on
 * `/\r?\n/`, hold the last piece. Fed pre-decoded strings, so its decoding is not timed.
 */
export function stringSplitLines(texts: readonly string[]): number {
  let rest = '';
  let count = 0;
  let total = 0;
  for (const text of texts) {
    const lines = (rest + text).split(/\r?\n/);
    rest = lines.pop()!;
    for (const line of lines) {
      count++;
      total += line.length;
    }
  }
  if (rest !== '') {
    count++;
    total += rest.length;
  }
  sink.value += total;
  return count;
}
