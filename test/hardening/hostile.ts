/**
 * Hostile inputs of the linear-time battery, shared by the tests (counted work) and
 * hostile.bench.ts (wall-clock times). Each is a unit repeated to 256 KiB and 1 MiB.
 * Strings are byte strings: one character per byte (see `bytesOf`).
 */

/** A byte string (one character per byte) or bytes, as bytes. */
export function bytesOf(unit: string | Uint8Array): Uint8Array {
  return typeof unit === 'string' ? Uint8Array.from(unit, (char) => char.charCodeAt(0)) : unit;
}

/** LineSplitter, Telnet on. */
export const LINES_HOSTILE: Record<string, string | Uint8Array> = {
  'digit-and-comma lines': `${'1,'.repeat(3000)}1\r\n`,
  'one byte repeated, one per line': 'a\n',
  'alternating CR and LF': '\r\n\n\r',
  'lone CRs inside long lines': `${'\r'.repeat(4000)}\n`,
  'deep Telnet IAC sequences': Uint8Array.of(
    0xff,
    0xfb,
    0x01,
    0xff,
    0xff,
    0xff,
    0xf4,
    0xff,
    0xf2,
    0x0a,
  ),
  'a Telnet subnegotiation that never ends': Uint8Array.of(0xff, 0xfa, 0x18, 0x41, 0xff, 0xff),
};

/** ReplyParser, inside a multi-line reply opened first and never closed. */
export const REPLY_HOSTILE: Record<string, string> = {
  'digit-and-comma middle lines': `${'1,'.repeat(3000)}1\r\n`,
  'ddd- lines that never close': '211-211-211-\r\n',
  'other codes inside a multi-line reply': '212 not the end\r\n',
  'middle lines of one byte': '7\n',
  'lone CRs in middle lines': `${'\r'.repeat(500)}\r\n`,
};

/** CommandParser, Telnet on. */
export const COMMAND_HOSTILE: Record<string, string | Uint8Array> = {
  'digit-and-comma arguments': `PORT ${'1,'.repeat(3000)}1\r\n`,
  'lines of one byte': 'a\n',
  'lone CRs inside long arguments': `RETR ${'\r'.repeat(4000)}\n`,
  'arguments that are not UTF-8': `RETR ${'\xff'.repeat(200)}\r\n`,
  'deep Telnet IAC sequences': Uint8Array.of(
    0xff,
    0xf4,
    0xff,
    0xf2,
    0x41,
    0x42,
    0x4f,
    0x52,
    0x0d,
    0x0a, // IAC IP IAC DM ABOR
    0x52,
    0x45,
    0x54,
    0x52,
    0x20,
    0xff,
    0xff,
    0xff,
    0xfb,
    0x01,
    0x0a, // RETR IAC IAC IAC WILL 1
  ),
};

/**
 * Inputs of malformed lines only. Each one is handed to `onMalformedLine` as a CommandError,
 * whose construction (a stack trace) costs microseconds: 1 MiB of empty lines takes seconds of
 * CPU, linear but too slow for CI, so these scale from 64 KiB to 256 KiB.
 */
export const COMMAND_MALFORMED: Record<string, string> = {
  'alternating CR and LF': '\r\n\n\r',
  'malformed lines': `1${'x'.repeat(100)}\r\n`,
};

/**
 * Hostile server bytes, each pushed after a PASV so that the session watches for its 227: the
 * line starts it must classify are the work that could grow faster than the input.
 */
export const NAT_HOSTILE_REPLIES: Record<string, string | Uint8Array> = {
  // The NAT does not decode Telnet: IAC bytes are data that must not confuse its line starts.
  'Telnet IAC sequences before 227': bytesOf('\xff\xfb\x01227 (10,0,1,121,15,6)\r\n\xff\xff\n'),
  'digit-and-comma lines': `${'1,'.repeat(3000)}1\r\n`,
  '227 lines of digits and commas, at the line limit': `227 ${'1,'.repeat(4000)}\r\n`,
  'ddd- lines that never close': '227-227-227-\r\n',
  'lines of one byte': '2\n',
  'alternating CR and LF': '\r\n\n\r',
  'unsolicited 227 replies': '227 Entering Passive Mode (10,0,1,121,15,6)\r\n',
};

/** Client bytes for the NAT session. */
export const NAT_HOSTILE_COMMANDS: Record<string, string | Uint8Array> = {
  'Telnet IAC sequences before PASV and PORT': bytesOf(
    '\xff\xf4\xff\xf2PASV\r\n\xff\xffPORT 10,0,0,5,200,10\r\n',
  ),
  'digit-and-comma lines': `${'1,'.repeat(3000)}1\r\n`,
  'PORT lines naming the client': 'PORT 10,0,0,5,200,10\r\n',
  'PORT lines that do not decode': `PORT ${'1,'.repeat(30)}\r\n`,
  'EPRT lines': 'EPRT |1|10.0.0.5|40000|\r\n',
  'lines of one byte': 'p\n',
  'alternating CR and LF': '\r\n\n\r',
};

/**
 * One-line units for the listing parsers, each repeated into a single hostile line (after a
 * prefix that makes it an entry of its dialect so far) or into a stream of lines. They aim at
 * the searches a listing parser makes: where the facts end, the size and date of `ls -l`
 * (a month name preceded by a number and followed by a day), the arrow of a link, IIS's
 * padding after <DIR>, EPLF's tab.
 */
export const LISTING_HOSTILE_LINES: Record<
  string,
  { prefix: string; unit: string; dialect?: 'mlsd' | 'unix' | 'dos' | 'eplf' }
> = {
  'facts without a space': { prefix: '', unit: 'a=b;', dialect: 'mlsd' },
  'a link target of spaces that never ends': {
    prefix: 'type=OS.unix=slink:',
    unit: 'a ',
    dialect: 'mlsd',
  },
  'equals signs': { prefix: 'type=file;', unit: '=', dialect: 'mlsd' },
  'a name of "; " after the facts': { prefix: 'type=file; ', unit: '; ', dialect: 'mlsd' },
  'ls -l: numbers and month names that never make a date': {
    prefix: '-rw-r--r-- 1 o g ',
    unit: '1 Jan 1 ',
    dialect: 'unix',
  },
  'ls -l: numbers, month names and days without a name': {
    prefix: '-rw-r--r-- 1 o g ',
    unit: '1 Jan 1 12:',
    dialect: 'unix',
  },
  'ls -l: device columns': { prefix: 'crw-r--r-- 1 o g ', unit: '1, ', dialect: 'unix' },
  'ls -l: spaces after the owner': { prefix: '-rw-r--r-- 1 o', unit: ' ', dialect: 'unix' },
  'ls -l: a link name of dashes': {
    prefix: 'lrwxrwxrwx 1 o g 1 Jan 1 12:00 x',
    unit: ' -',
    dialect: 'unix',
  },
  'DOS: spaces after <DIR>': { prefix: '12-05-96  05:03PM <DIR>', unit: ' ', dialect: 'dos' },
  'DOS: digits of a size': { prefix: '12-05-96  05:03PM ', unit: '9', dialect: 'dos' },
  'EPLF: facts without a tab': { prefix: '+', unit: 's1,r,', dialect: 'eplf' },
};

/** Streams of many short lines for ListingParser, with the format it must hold or detect. */
export const LISTING_HOSTILE_STREAMS: Record<string, string> = {
  'lines that are no entry': 'total 1\r\n',
  'empty lines': '\r\n',
  'lone CRs': '\r',
  'short MLSD lines': 'a=b; c\n',
  'short Unix lines': '-rw-r--r-- 1 o g 1 Jan 1 12:00 x\n',
  // A search for the arrow (or for where facts end) that ran past the line would read the rest
  // of each 4 KiB window the stream parser decodes at once, for every line.
  'link lines without an arrow': 'lrwxrwxrwx 1 o g 1 Jan 1 12:00 x\n',
  'MLSD lines whose facts do not end': 'a=b;c\n',
  'lines of one byte': 'x\n',
};
