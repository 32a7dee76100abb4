import { describe, expect, it } from 'vitest';
import { CommandReader, readCommandLine } from '../../packages/proxy/src/command-reader.ts';

const encoder = new TextEncoder();
const text = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes);

describe('readCommandLine', () => {
  it('upper-cases the verb and keeps the argument as sent (RFC 959 §5.3)', () => {
    const line = readCommandLine(encoder.encode('epsv all\r\n'), 7);
    expect(line).toMatchObject({ verb: 'EPSV', argument: 'all', offset: 7 });
    expect(readCommandLine(encoder.encode('PASV\n'), 0)).toMatchObject({
      verb: 'PASV',
      argument: '',
    });
    expect(readCommandLine(encoder.encode('STOR  two  spaces\r\n'), 0).argument).toBe(
      ' two  spaces',
    );
  });

  it('gives an empty verb to an empty line and keeps odd bytes out of every verb match', () => {
    expect(readCommandLine(encoder.encode('\r\n'), 0).verb).toBe('');
    expect(readCommandLine(Uint8Array.of(0xff, 0x50, 0x41, 0x53, 0x56, 0x0a), 0).verb).not.toBe(
      'PASV',
    );
  });
});

describe('CommandReader', () => {
  it('returns whole lines with their terminators, across chunks', () => {
    const reader = new CommandReader(8192);
    expect(reader.push(encoder.encode('USER anon'))).toEqual([]);
    expect(reader.pending).toBe(9);
    const lines = reader.push(encoder.encode('ymous\r\nPASV\r\nRE'));
    expect(lines.map((line) => text(line.bytes))).toEqual(['USER anonymous\r\n', 'PASV\r\n']);
    expect(lines.map((line) => line.offset)).toEqual([0, 16]);
    expect(reader.push(encoder.encode('TR x\n')).map((line) => [line.verb, line.offset])).toEqual([
      ['RETR', 22],
    ]);
    expect(reader.pending).toBe(0);
  });

  it('accepts a line of exactly maxLineLength bytes and refuses one more, at its offset', () => {
    const ok = new CommandReader(8);
    expect(ok.push(encoder.encode('NOOP\r\n12345678\r\n'))).toHaveLength(2);
    const bare = new CommandReader(8);
    expect(bare.push(encoder.encode('12345678\n'))).toHaveLength(1);
    const tooLong = new CommandReader(8);
    tooLong.push(encoder.encode('NOOP\r\n1234'));
    expect(() => tooLong.push(encoder.encode('56789\r\n'))).toThrow(
      expect.objectContaining({ name: 'ProxyError', code: 'ERR_LINE_TOO_LONG', offset: 6 }),
    );
  });

  it('refuses an endless line as soon as it passes the limit, without waiting for its end', () => {
    const reader = new CommandReader(8192);
    const chunk = new Uint8Array(4096).fill(0x61);
    reader.push(chunk);
    reader.push(chunk);
    // 8192 bytes may still be a whole line if CR LF follows; one more byte cannot.
    reader.push(Uint8Array.of(0x0d));
    expect(() => reader.push(Uint8Array.of(0x61))).toThrow(
      expect.objectContaining({ code: 'ERR_LINE_TOO_LONG' }),
    );
  });
});
