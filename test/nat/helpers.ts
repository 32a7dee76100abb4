import type { StreamRewriter } from '@ftpwire/nat';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const bytes = (text: string): Uint8Array => encoder.encode(text);
export const text = (data: Uint8Array): string => decoder.decode(data);

/** Concatenates output pieces. */
export function concat(pieces: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

/** Pushes chunks through a rewriter (and ends it) and returns the pieces it emitted. */
export function run(
  rewriter: StreamRewriter,
  chunks: readonly (string | Uint8Array)[],
): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  const emit = (piece: Uint8Array) => pieces.push(piece);
  for (const chunk of chunks) rewriter.push(typeof chunk === 'string' ? bytes(chunk) : chunk, emit);
  return pieces;
}

/** Pushes one chunk and returns the emitted text. */
export function pushText(rewriter: StreamRewriter, chunk: string): string {
  return text(concat(run(rewriter, [chunk])));
}

/** Splits `data` at the given cut points (taken modulo its length + 1). */
export function split(data: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (data.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(data.subarray(start, point));
    start = point;
  }
  chunks.push(data.subarray(start));
  return chunks;
}

/** True when `piece` shares memory with `input` (a view, not a copy). */
export function isViewOf(piece: Uint8Array, input: Uint8Array): boolean {
  return piece.buffer === input.buffer;
}
