import { type TelnetCommand, TelnetDecoder } from '@ftpwire/lines';
import { describe, expect, it } from 'vitest';
import { chunksOf, concat, latin1, splitAt } from './helpers.ts';

const IAC = 0xff;
const SB = 0xfa;
const SE = 0xf0;
const WILL = 0xfb;
const WONT = 0xfc;
const DO = 0xfd;
const DONT = 0xfe;
const IP = 0xf4;
const DM = 0xf2;

function decode(chunks: readonly Uint8Array[]): { data: number[]; commands: TelnetCommand[] } {
  const commands: TelnetCommand[] = [];
  const decoder = new TelnetDecoder((command) => commands.push(command));
  const data = chunks.flatMap((chunk) => [...decoder.decode(chunk)]);
  return { data, commands };
}

/** The input in one chunk, one byte per chunk, and cut in two at every position. */
function everySplit(bytes: Uint8Array): Uint8Array[][] {
  const ways = [[bytes], chunksOf(bytes, 1)];
  for (let cut = 0; cut <= bytes.length; cut++) ways.push(splitAt(bytes, [cut]));
  for (let cut = 0; cut + 2 <= bytes.length; cut++) ways.push(splitAt(bytes, [cut, cut + 2]));
  return ways;
}

/** Checks that every split of `bytes` decodes to `data` and reports `commands`. */
function expectEverySplit(bytes: Uint8Array, data: number[], commands: TelnetCommand[]): void {
  for (const chunks of everySplit(bytes)) {
    expect(decode(chunks)).toEqual({ data, commands });
  }
}

describe('TelnetDecoder', () => {
  it('turns IAC IAC into one 0xFF data byte, split at every position', () => {
    expectEverySplit(Uint8Array.of(0x61, IAC, IAC, 0x62, IAC, IAC), [0x61, IAC, 0x62, IAC], []);
  });

  it('removes IP and DM (what a client sends before ABOR) and reports them with their offsets', () => {
    const bytes = concat([Uint8Array.of(IAC, IP, IAC, DM), latin1('ABOR\r\n')]);
    expectEverySplit(
      bytes,
      [...latin1('ABOR\r\n')],
      [
        { command: IP, name: 'IP', offset: 0 },
        { command: DM, name: 'DM', offset: 2 },
      ],
    );
  });

  it('names every RFC 854 command without option', () => {
    const names: Record<number, string> = {
      240: 'SE',
      241: 'NOP',
      242: 'DM',
      243: 'BRK',
      244: 'IP',
      245: 'AO',
      246: 'AYT',
      247: 'EC',
      248: 'EL',
      249: 'GA',
    };
    for (const [byte, name] of Object.entries(names)) {
      expect(decode([Uint8Array.of(0x78, IAC, Number(byte), 0x79)])).toEqual({
        data: [0x78, 0x79],
        commands: [{ command: Number(byte), name, offset: 1 }],
      });
    }
  });

  it('keeps a byte after IAC that is no command as data, and drops the IAC', () => {
    expect(decode([Uint8Array.of(IAC, 0x41, 0x42)])).toEqual({ data: [0x41, 0x42], commands: [] });
  });

  it('lftp ABOR: IAC IP IAC DM with the urgent DM lost by the receiver still leaves ABOR', () => {
    // lftp sends IAC IP, then IAC DM with DM as TCP urgent data; Node cannot read urgent data.
    const lost = Uint8Array.of(IAC, IP, IAC, ...new TextEncoder().encode('ABOR\r\n'));
    expect(decode([lost])).toEqual({
      data: [...new TextEncoder().encode('ABOR\r\n')],
      commands: [{ command: IP, name: 'IP', offset: 0 }],
    });
  });

  it('still reports a command byte from 240 up that RFC 854 leaves unnamed as UNKNOWN', () => {
    // 0xf0 (SE) outside a subnegotiation has a name but no meaning; every byte >= 240 is a command.
    expect(decode([Uint8Array.of(IAC, SE, 0x42)])).toEqual({
      data: [0x42],
      commands: [{ command: SE, name: 'SE', offset: 0 }],
    });
  });

  it('removes WILL, WONT, DO, DONT with their option byte, split at every position', () => {
    const bytes = Uint8Array.of(
      0x61,
      IAC,
      WILL,
      1,
      IAC,
      WONT,
      3,
      IAC,
      DO,
      24,
      IAC,
      DONT,
      IAC,
      0x62,
    );
    expectEverySplit(
      bytes,
      [0x61, 0x62],
      [
        { command: WILL, name: 'WILL', option: 1, offset: 1 },
        { command: WONT, name: 'WONT', option: 3, offset: 4 },
        { command: DO, name: 'DO', option: 24, offset: 7 },
        // The option byte is taken as it is, even 0xFF.
        { command: DONT, name: 'DONT', option: IAC, offset: 10 },
      ],
    );
  });

  it('removes a whole SB ... IAC SE subnegotiation and reports it once, split at every position', () => {
    // RFC 855: IAC IAC inside SB is a data byte of the subnegotiation, not its end.
    const bytes = Uint8Array.of(
      0x61,
      IAC,
      SB,
      24,
      0,
      IAC,
      IAC,
      0x76,
      SE,
      IAC,
      SE,
      0x62,
      0x0d,
      0x0a,
    );
    expectEverySplit(
      bytes,
      [0x61, 0x62, 0x0d, 0x0a],
      [{ command: SB, name: 'SB', option: 24, offset: 1 }],
    );
  });

  it('reports a subnegotiation without option bytes without option', () => {
    expect(decode([Uint8Array.of(IAC, SB, IAC, SE, 0x61)])).toEqual({
      data: [0x61],
      commands: [{ command: SB, name: 'SB', offset: 0 }],
    });
  });

  it('counts offsets in the raw input across chunks', () => {
    const { commands } = decode([
      latin1('abc'),
      Uint8Array.of(IAC),
      Uint8Array.of(IP, 0x64, IAC, DM),
    ]);
    expect(commands.map((command) => command.offset)).toEqual([3, 6]);
  });

  it('knows when a command begun in an earlier chunk is incomplete', () => {
    const decoder = new TelnetDecoder();
    expect(decoder.pending).toBe(false);
    decoder.decode(Uint8Array.of(0x61, IAC));
    expect(decoder.pending).toBe(true);
    decoder.decode(Uint8Array.of(DO));
    expect(decoder.pending).toBe(true);
    decoder.decode(Uint8Array.of(1));
    expect(decoder.pending).toBe(false);
    decoder.decode(Uint8Array.of(IAC, SB, 1, 2));
    expect(decoder.pending).toBe(true);
    decoder.decode(Uint8Array.of(IAC, SE));
    expect(decoder.pending).toBe(false);
  });

  it('returns the chunk itself when it holds no Telnet command, a new array otherwise', () => {
    const decoder = new TelnetDecoder();
    const plain = latin1('220 ok\r\n');
    expect(decoder.decode(plain)).toBe(plain);
    const withCommand = Uint8Array.of(0x61, IAC, IAC);
    const out = decoder.decode(withCommand);
    expect(out).not.toBe(withCommand);
    expect([...out]).toEqual([0x61, IAC]);
    expect([...withCommand]).toEqual([0x61, IAC, IAC]); // the input is left alone
  });

  it('does not take the fast path while a command is pending', () => {
    const decoder = new TelnetDecoder();
    decoder.decode(Uint8Array.of(IAC));
    expect([...decoder.decode(latin1('\xf4abc'))]).toEqual([...latin1('abc')]);
  });

  it('removes commands without a handler too', () => {
    expect([...new TelnetDecoder().decode(Uint8Array.of(IAC, IP, 0x61))]).toEqual([0x61]);
  });
});
