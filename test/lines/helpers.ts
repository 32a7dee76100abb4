/** Small byte helpers shared by the lines and reply tests. */
import { LineError } from '@ftpwire/lines';

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Bytes of a string whose characters are all below 256, one byte per character. */
export function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

/** A byte array as a one-char-per-byte string, for readable equality messages. */
export function show(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

/** Splits `bytes` at the given cut positions (sorted, duplicates allowed: empty chunks). */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const sorted = [...cuts]
    .map((cut) => Math.max(0, Math.min(bytes.length, cut)))
    .sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const cut of sorted) {
    chunks.push(bytes.slice(start, cut));
    start = cut;
  }
  chunks.push(bytes.slice(start));
  return chunks;
}

/** Fixed-size chunks. */
export function chunksOf(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
  return chunks;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Runs `step` and returns the `LineError` it throws; fails if it throws nothing or something else. */
export function lineErrorOf(step: () => unknown): LineError {
  try {
    step();
  } catch (error) {
    if (error instanceof LineError) return error;
    throw error;
  }
  throw new Error('expected a LineError, nothing was thrown');
}

/** A readable stream of the given chunks. */
export function streamOf<T>(chunks: readonly T[]): ReadableStream<T> {
  return new ReadableStream<T>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

/** Reads a stream to its end; rejects with the stream's error. */
export async function readAll<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}
