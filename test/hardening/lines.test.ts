import { LineError, LineSplitter, LineSplitterStream } from '@ftpwire/lines';
import { describe, expect, it } from 'vitest';
import { LINES_HOSTILE as HOSTILE } from './hostile.js';
import { floodStream, heapGrowth } from './memory.js';
import { chunked, countWork, KIB, MIB, repeatTo } from './work.js';

function splitAll(data: Uint8Array, chunkSize: number): number {
  let lines = 0;
  const splitter = new LineSplitter({ telnet: true, onLine: () => lines++ });
  for (const chunk of chunked(data, chunkSize)) splitter.push(chunk);
  splitter.end();
  return lines;
}

describe('LineSplitter: linear time on hostile input, counted in bytes of work', () => {
  for (const [name, unit] of Object.entries(HOSTILE)) {
    for (const chunkSize of [7, 1460]) {
      it(`${name}, ${chunkSize}-byte chunks: 1 MiB costs at most 4.5x 256 KiB and 8 units a byte`, () => {
        const small = repeatTo(unit, 256 * KIB);
        const large = repeatTo(unit, MIB);
        const smallWork = countWork(() => splitAll(small, chunkSize));
        const largeWork = countWork(() => splitAll(large, chunkSize));
        expect(largeWork).toBeLessThanOrEqual(4.5 * smallWork);
        expect(largeWork).toBeLessThanOrEqual(8 * MIB);
      });
    }
  }
});

describe('LineSplitter: bounded memory', () => {
  it('100 MiB without a newline through LineSplitterStream fails at the limit, heap growth under 1 MiB', async () => {
    let failure: unknown;
    const growth = await heapGrowth(async () => {
      failure = await floodStream(new LineSplitterStream(), repeatTo('x', 64 * KIB), 100 * MIB);
    });
    expect(failure).toBeInstanceOf(LineError);
    expect((failure as LineError).code).toBe('ERR_LINE_TOO_LONG');
    expect((failure as LineError).offset).toBe(8192);
    expect(growth).toBeLessThan(MIB);
  });

  it('never holds more than maxLineLength + 1 bytes, however the bytes are cut', () => {
    for (const chunkSize of [1, 2, 3, 1000, 8191, 8192, 8193]) {
      const splitter = new LineSplitter();
      let held = 0;
      expect(() => {
        for (const chunk of chunked(repeatTo('y', 20 * KIB), chunkSize)) {
          splitter.push(chunk);
          held = Math.max(held, splitter.pendingLength);
        }
      }).toThrow(LineError);
      expect(held).toBeLessThanOrEqual(8193);
    }
  });
});

describe('LineSplitter: exact boundaries', () => {
  const encoder = new TextEncoder();
  for (const terminator of ['\r\n', '\n']) {
    it(`a line of exactly maxLineLength bytes passes, one more fails (${JSON.stringify(terminator)})`, () => {
      for (const chunkSize of [1, 5, 8192, 100_000]) {
        const atLimit = encoder.encode(`${'z'.repeat(8192)}${terminator}`);
        expect(splitAllDefault(atLimit, chunkSize)).toEqual([8192]);
        const overLimit = encoder.encode(`${'z'.repeat(8193)}${terminator}`);
        expect(() => splitAllDefault(overLimit, chunkSize)).toThrow(
          expect.objectContaining({ code: 'ERR_LINE_TOO_LONG', offset: 8192 }),
        );
      }
    });
  }
});

function splitAllDefault(data: Uint8Array, chunkSize: number): number[] {
  const lengths: number[] = [];
  const splitter = new LineSplitter({ onLine: (line) => lengths.push(line.length) });
  for (const chunk of chunked(data, chunkSize)) splitter.push(chunk);
  splitter.end();
  return lengths;
}
