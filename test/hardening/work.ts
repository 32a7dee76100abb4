/**
 * Counts the work a parser does in the operations it is built from, so that linear time can be
 * asserted exactly, independent of the machine's load: bytes scanned by `indexOf`, bytes copied
 * by `set`/`slice`, bytes decoded by `TextDecoder`. A parser that rescans or recopies what it has
 * already seen (the quadratic bugs of the field) shows up as work growing faster than its input.
 */
export function countWork(run: () => void): number {
  let work = 0;
  const proto = Uint8Array.prototype;
  const { indexOf, set, slice } = proto;
  const { decode } = TextDecoder.prototype;
  const stringIndexOf = String.prototype.indexOf;
  proto.indexOf = function (this: Uint8Array, value: number, from = 0) {
    const found = indexOf.call(this, value, from);
    work += (found === -1 ? this.length : found + 1) - Math.max(0, from);
    return found;
  };
  proto.set = function (this: Uint8Array, source: ArrayLike<number>, offset?: number) {
    work += source.length;
    return set.call(this, source, offset);
  } as typeof set;
  proto.slice = function (this: Uint8Array, start?: number, end?: number) {
    const out = slice.call(this, start, end);
    work += out.length;
    return out;
  };
  TextDecoder.prototype.decode = function (
    this: TextDecoder,
    input?: AllowSharedBufferSource,
    options?: TextDecodeOptions,
  ) {
    work += input?.byteLength ?? 0;
    return decode.call(this, input, options);
  };
  String.prototype.indexOf = function (this: string, search: string, position?: number) {
    const found = stringIndexOf.call(this, search, position);
    work += (found === -1 ? this.length : found + search.length) - Math.max(0, position ?? 0);
    return found;
  };
  try {
    run();
  } finally {
    proto.indexOf = indexOf;
    proto.set = set;
    proto.slice = slice;
    TextDecoder.prototype.decode = decode;
    String.prototype.indexOf = stringIndexOf;
  }
  return work;
}

/** `input` repeated to `size` bytes. */
export function repeatTo(input: string | Uint8Array, size: number): Uint8Array {
  const unit = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const out = new Uint8Array(size);
  for (let at = 0; at < size; at += unit.length) out.set(unit.subarray(0, size - at), at);
  return out;
}

export function chunked(data: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < data.length; at += size) out.push(data.subarray(at, at + size));
  return out;
}

export const KIB = 1024;
export const MIB = 1024 * KIB;

/**
 * Characters a string parser reads, through `charCodeAt` (one each) and `indexOf` (those it
 * passes over): the string-side counterpart of {@link countWork}, for the address decoders.
 */
export function countCharacterReads(run: () => void): number {
  let reads = 0;
  const { charCodeAt, indexOf } = String.prototype;
  String.prototype.charCodeAt = function (this: string, index: number) {
    reads++;
    return charCodeAt.call(this, index);
  };
  String.prototype.indexOf = function (this: string, search: string, position?: number) {
    const found = indexOf.call(this, search, position);
    reads += (found === -1 ? this.length : found + search.length) - Math.max(0, position ?? 0);
    return found;
  };
  try {
    run();
  } finally {
    String.prototype.charCodeAt = charCodeAt;
    String.prototype.indexOf = indexOf;
  }
  return reads;
}
