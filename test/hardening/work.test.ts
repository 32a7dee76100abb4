import { describe, expect, it } from 'vitest';
import { chunked, countCharacterReads, countWork, KIB, repeatTo } from './work.js';

/** The bug the counter exists to catch: a splitter that rescans everything held on each chunk. */
function naiveSplit(data: Uint8Array, chunkSize: number): number {
  let held = new Uint8Array(0);
  let lines = 0;
  for (const chunk of chunked(data, chunkSize)) {
    const joined = new Uint8Array(held.length + chunk.length);
    joined.set(held);
    joined.set(chunk, held.length);
    let start = 0;
    for (let lf = joined.indexOf(0x0a); lf !== -1; lf = joined.indexOf(0x0a, start)) {
      lines++;
      start = lf + 1;
    }
    held = joined.slice(start);
  }
  return lines;
}

describe('countWork', () => {
  it('sees a quadratic splitter: 4x the input costs far more than 4.5x the work', () => {
    const line = `${'q'.repeat(16 * KIB)}\n`;
    const small = countWork(() => naiveSplit(repeatTo(line, 16 * KIB), 64));
    const large = countWork(() => naiveSplit(repeatTo(`${'q'.repeat(64 * KIB)}\n`, 64 * KIB), 64));
    expect(large).toBeGreaterThan(4.5 * small);
  });

  it('counts indexOf scans, copies and decoding, and restores the prototypes', () => {
    const bytes = repeatTo('abc', 300);
    const work = countWork(() => {
      bytes.indexOf(0x7a); // scans all 300 bytes
      bytes.slice(0, 100); // copies 100
      new TextDecoder().decode(bytes.subarray(0, 50)); // decodes 50
    });
    expect(work).toBe(450);
    expect(Uint8Array.prototype.indexOf.name).toBe('indexOf');
  });
});

/** basic-ftp's old PASV scan, by hand: try a tuple at every digit, reading as far as it can. */
function naiveFindTuple(text: string): number {
  for (let start = 0; start < text.length; start++) {
    let commas = 0;
    for (let i = start; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit === 0x2c) commas++;
      else if (unit < 0x30 || unit > 0x39) break;
    }
    if (commas >= 5) return start;
  }
  return -1;
}

describe('countCharacterReads', () => {
  it('sees a scan that restarts at every digit: 4x the input costs far more than 4.5x the reads', () => {
    const small = countCharacterReads(() => naiveFindTuple('1'.repeat(4 * KIB)));
    const large = countCharacterReads(() => naiveFindTuple('1'.repeat(16 * KIB)));
    expect(large).toBeGreaterThan(4.5 * small);
    expect(String.prototype.charCodeAt.name).toBe('charCodeAt');
    // The quadratic scan it must catch runs 16 KiB x 16 KiB traced reads: 4 s on a busy
    // 2-core machine, past vitest's 5 s default. The verdict is counted, never timed.
  }, 60_000);
});
