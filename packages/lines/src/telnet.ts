// RFC 854 command bytes. Only IAC needs a name in code; the rest are named for reports.
const IAC = 0xff;
const SB = 0xfa;
const SE = 0xf0;
const WILL = 0xfb;
const DONT = 0xfe;

const COMMAND_NAMES: Readonly<Record<number, string>> = {
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
  250: 'SB',
  251: 'WILL',
  252: 'WONT',
  253: 'DO',
  254: 'DONT',
};

/**
 * A Telnet command removed from the control stream (RFC 854), as a client's `ABOR` sends
 * `IAC IP IAC DM`. A server watches for IP to interrupt the transfer in progress.
 *
 * @example
 * ```ts
 * import { type TelnetCommand, TelnetDecoder } from '@ftpwire/lines';
 *
 * const commands: TelnetCommand[] = [];
 * const decoder = new TelnetDecoder((command) => commands.push(command));
 * decoder.decode(Uint8Array.of(0x41, 0xff, 0xfb, 0x01)); // "A", then IAC WILL ECHO
 * commands; // => [{ command: 251, name: 'WILL', option: 1, offset: 1 }]
 * ```
 */
export interface TelnetCommand {
  /** The command byte (241 NOP ... 254 DONT; 250 SB for a whole subnegotiation). */
  readonly command: number;
  /** RFC 854 name of the command (`'IP'`, `'DM'`, `'WILL'`, ...), or `'UNKNOWN'`. */
  readonly name: string;
  /** The option byte of WILL, WONT, DO, DONT, or the first byte of a subnegotiation. */
  readonly option?: number;
  /** Offset of the IAC byte in the raw input stream. */
  readonly offset: number;
}

enum State {
  Data = 0,
  Command = 1,
  Option = 2,
  Subnegotiation = 3,
  SubnegotiationCommand = 4,
}

/**
 * Removes Telnet commands from a byte stream, keeping data: `IAC IAC` becomes one 0xFF byte,
 * every other command (with its option byte, or a whole `IAC SB ... IAC SE` subnegotiation)
 * is dropped and reported. An IAC before a byte that is no command (below 240) is dropped and
 * the byte kept: what is left of a Synch whose urgent DM byte the receiver could not read.
 * Sequences may be split across chunks anywhere.
 *
 * @example
 * ```ts
 * import { TelnetDecoder } from '@ftpwire/lines';
 *
 * const names: string[] = [];
 * const decoder = new TelnetDecoder((command) => names.push(command.name));
 * decoder.decode(Uint8Array.of(0xff, 0xf4, 0xff, 0xf2, 0x41)); // => Uint8Array.of(0x41)
 * names; // => ['IP', 'DM']
 * // IAC IAC is a data byte 0xFF; a command cut between chunks is completed by the next.
 * decoder.decode(Uint8Array.of(0xff, 0xff, 0xff)); // => Uint8Array.of(0xff)
 * decoder.pending; // => true
 * decoder.decode(Uint8Array.of(0xf1, 0x42)); // => Uint8Array.of(0x42)
 * names; // => ['IP', 'DM', 'NOP']
 * ```
 */
export class TelnetDecoder {
  readonly #onCommand: ((command: TelnetCommand, dataIndex: number) => void) | undefined;
  #state: State = State.Data;
  #command = 0;
  #commandOffset = 0;
  #subnegotiationOption: number | undefined;
  #offset = 0;

  /**
   * A decoder that drops commands silently unless given `onCommand`.
   *
   * @param onCommand receives every command removed from the stream, in order, and
   *   `dataIndex`: how many data bytes of the current `decode` call come before it (where it
   *   stood in the returned data), so a consumer can keep commands and data in stream order
   */
  constructor(onCommand?: (command: TelnetCommand, dataIndex: number) => void) {
    this.#onCommand = onCommand;
  }

  /** True while a command begun in an earlier chunk is still incomplete. */
  get pending(): boolean {
    return this.#state !== State.Data;
  }

  /**
   * Returns the data bytes of `chunk`: the chunk itself when it holds no Telnet command,
   * otherwise a new array.
   */
  decode(chunk: Uint8Array): Uint8Array {
    const base = this.#offset;
    this.#offset += chunk.length;
    if (this.#state === State.Data && chunk.indexOf(IAC) === -1) return chunk;

    const out = new Uint8Array(chunk.length);
    let written = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      switch (this.#state) {
        case State.Data:
          if (byte === IAC) {
            this.#state = State.Command;
            this.#commandOffset = base + i;
          } else {
            out[written++] = byte;
          }
          break;
        case State.Command:
          if (byte === IAC) {
            out[written++] = IAC;
            this.#state = State.Data;
          } else if (byte >= WILL && byte <= DONT) {
            this.#command = byte;
            this.#state = State.Option;
          } else if (byte === SB) {
            this.#subnegotiationOption = undefined;
            this.#state = State.Subnegotiation;
          } else if (byte < SE) {
            // No Telnet command is below 240: this IAC lost its command. A client's Synch is
            // IAC followed by DM sent as TCP urgent data, and a receiver that cannot read urgent
            // data inline (Node's sockets) never sees the DM. The byte after is the client's
            // data (lftp's `IAC IP IAC DM ABOR` arrives as `IAC IP IAC ABOR`): keep it.
            out[written++] = byte;
            this.#state = State.Data;
          } else {
            this.#report(byte, undefined, written);
            this.#state = State.Data;
          }
          break;
        case State.Option:
          this.#report(this.#command, byte, written);
          this.#state = State.Data;
          break;
        case State.Subnegotiation:
          if (byte === IAC) this.#state = State.SubnegotiationCommand;
          else this.#subnegotiationOption ??= byte;
          break;
        case State.SubnegotiationCommand:
          // RFC 855: inside SB, IAC IAC is a data byte and IAC SE ends the subnegotiation.
          if (byte === SE) {
            this.#report(SB, this.#subnegotiationOption, written);
            this.#state = State.Data;
          } else {
            this.#subnegotiationOption ??= byte;
            this.#state = State.Subnegotiation;
          }
          break;
      }
    }
    return out.subarray(0, written);
  }

  #report(command: number, option: number | undefined, dataIndex: number): void {
    if (this.#onCommand === undefined) return;
    const name = COMMAND_NAMES[command] ?? 'UNKNOWN';
    this.#onCommand(
      option === undefined
        ? { command, name, offset: this.#commandOffset }
        : { command, name, option, offset: this.#commandOffset },
      dataIndex,
    );
  }
}
