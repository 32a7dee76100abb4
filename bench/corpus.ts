/**
 * A seeded, realistic corpus of FTP control-connection replies for the benchmarks: many client
 * sessions against vsftpd, ProFTPD, Pure-FTPd, FileZilla Server and IIS, written the way those
 * servers word their replies (vsftpd 3.0.3 as recorded in scripts/demo/vsftpd-3.0.3-session.txt;
 * the others from their documentation and captured sessions). Mostly 150/226/227/229/250/550
 * replies of file transfers, with multi-line 220 banners, 211 FEAT lists and a few file names
 * in UTF-8 (RFC 2640).
 *
 * Everything is generated at module load from a fixed seed, so every run and every machine
 * measures the same bytes. The true counts of replies and lines are tallied while generating,
 * independently of any parser, so a bench can refuse to post a number for a wrong result.
 */
import { mulberry32 } from '../test/fixtures/random.js';

/** Target size of the corpus; generation stops at the first reply boundary past it. */
const TARGET_BYTES = 4 * 1024 * 1024;
/** A TCP segment's payload on a 1500-byte Ethernet MTU: what a socket typically hands over. */
export const SEGMENT_SIZE = 1460;
/** The largest read a Node socket makes by default (and basic-ftp's response limit). */
export const LARGE_CHUNK_SIZE = 64 * 1024;
/** Share of file names drawn from the UTF-8 list. */
const UTF8_NAME_SHARE = 0.02;
const SEED = 0x46545057; // "FTPW"

const random = mulberry32(SEED);
const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number): boolean => random() < p;

const ASCII_NAMES = [
  'README.md',
  'README',
  'CHANGELOG.txt',
  'LICENSE',
  'index.html',
  'robots.txt',
  'ls-lR.gz',
  'MD5SUMS',
  'SHA256SUMS',
  'SHA256SUMS.sign',
  'linux-6.6.8.tar.xz',
  'linux-6.6.8.tar.sign',
  'debian-12.4.0-amd64-netinst.iso',
  'ubuntu-22.04.3-live-server-amd64.iso',
  'FreeBSD-14.0-RELEASE-amd64-disc1.iso',
  'openssl-3.2.0.tar.gz',
  'curl-8.5.0.tar.bz2',
  'node-v20.10.0-linux-x64.tar.xz',
  'python-3.12.1-amd64.exe',
  'backup-2024-03-17.tar.gz',
  'backup-2024-03-18.tar.gz',
  'db_dump_20240318_0200.sql.gz',
  'access.log.1',
  'error.log',
  'invoice_2023-0412.pdf',
  'Q3 report (final).docx',
  'Annual Report 2023.pdf',
  'IMG_4032.JPG',
  'IMG_4033.JPG',
  'DSC_0091.NEF',
  'holiday video.mp4',
  'export_2024Q1.csv',
  'customers.xlsx',
  'site-backup.zip',
  'wp-content.tar',
  'firmware_v2.1.7.bin',
  'setup.exe',
  'data.json',
  'config.yaml',
  '.htaccess',
];

// RFC 2640 names: accented Latin, Cyrillic, Greek, CJK and one astral-plane character.
const UTF8_NAMES = [
  'Résumé_Élodie.pdf',
  'Übersicht Verträge 2024.xlsx',
  'отчёт_март.docx',
  'データ集計.csv',
  '照片_2023_春节.jpg',
  'Παρουσίαση.pptx',
  'mañana.txt',
  'café-menu.pdf',
  'Größenänderung.png',
  'naïve façade.txt',
  '📷 holiday.jpg',
];

const DIRECTORIES = [
  '/pub',
  '/pub/linux/kernel/v6.x',
  '/pub/debian-cd/12.4.0/amd64/iso-cd',
  '/incoming',
  '/backups/daily',
  '/home/alice',
  '/home/bob/public_html',
  '/www/wp-content/uploads/2024/03',
  '/data/exports',
  '/Photos/2023',
];

const USERS = ['alice', 'bob', 'deploy', 'backup', 'anonymous', 'www-data', 'marie.dupont'];

const fileName = (): string => (chance(UTF8_NAME_SHARE) ? pick(UTF8_NAMES) : pick(ASCII_NAMES));
const fileSize = (): number => (chance(0.7) ? int(200, 4_000_000) : int(4_000_000, 4_700_000_000));
const privateHost = (): string => `10,${int(0, 3)},${int(0, 255)},${int(1, 254)}`;
const dataPort = (): number => int(30000, 65000);
const pasvPort = (port: number): string => `${port >> 8},${port & 0xff}`;
const timestamp = (): string =>
  `20${int(15, 24)}${String(int(1, 12)).padStart(2, '0')}${String(int(1, 28)).padStart(2, '0')}${String(int(0, 23)).padStart(2, '0')}${String(int(0, 59)).padStart(2, '0')}${String(int(0, 59)).padStart(2, '0')}`;

/** How one server product words its replies. Each entry returns the reply's lines. */
interface ServerStyle {
  readonly banner: () => string[];
  readonly feat: readonly string[];
  readonly user: (user: string) => string[];
  readonly login: (user: string) => string[];
  readonly pwd: (dir: string) => string[];
  readonly type: string[];
  readonly pasv: (host: string, port: number) => string[];
  readonly epsv: (port: number) => string[];
  readonly opening: (name: string, size: number) => string[];
  readonly listing: string[];
  readonly complete: string[];
  readonly listComplete: string[];
  readonly cwd: string[];
  readonly noFile: (name: string) => string[];
  readonly noDirectory: (dir: string) => string[];
  readonly goodbye: string[];
}

const multi = (code: number, first: string, middle: readonly string[], last: string): string[] => [
  `${code}-${first}`,
  ...middle,
  `${code} ${last}`,
];

const VSFTPD: ServerStyle = {
  // vsftpd's banner_file: every line gets "220-", then the usual greeting closes the reply.
  banner: () =>
    chance(0.5)
      ? multi(
          220,
          'Welcome to ftp.example.org.',
          [
            '220-This is a private system. Unauthorised access is prohibited.',
            '220-All transfers are logged.',
          ],
          '(vsFTPd 3.0.3)',
        )
      : ['220 (vsFTPd 3.0.3)'],
  feat: multi(
    211,
    'Features:',
    [' EPRT', ' EPSV', ' MDTM', ' PASV', ' REST STREAM', ' SIZE', ' TVFS', ' UTF8'],
    'End',
  ),
  user: () => ['331 Please specify the password.'],
  login: () => ['230 Login successful.'],
  pwd: (dir) => [`257 "${dir}" is the current directory`],
  type: ['200 Switching to Binary mode.'],
  pasv: (host, port) => [`227 Entering Passive Mode (${host},${pasvPort(port)}).`],
  epsv: (port) => [`229 Entering Extended Passive Mode (|||${port}|)`],
  opening: (name, size) => [`150 Opening BINARY mode data connection for ${name} (${size} bytes).`],
  listing: ['150 Here comes the directory listing.'],
  complete: ['226 Transfer complete.'],
  listComplete: ['226 Directory send OK.'],
  cwd: ['250 Directory successfully changed.'],
  noFile: () => ['550 Failed to open file.'],
  noDirectory: () => ['550 Failed to change directory.'],
  goodbye: ['221 Goodbye.'],
};

const PROFTPD: ServerStyle = {
  // ProFTPD's DisplayConnect file: the lines of the file, then the ServerName greeting.
  banner: () =>
    chance(0.5)
      ? multi(
          220,
          '',
          [
            '   *** Example Hosting FTP ***',
            '   Use FTPS (AUTH TLS); plain FTP will be disabled on 2024-06-01.',
            '   Questions: support@example.net',
          ],
          'ProFTPD Server (Example Hosting) [10.0.1.121]',
        )
      : ['220 ProFTPD Server (Debian) [::ffff:10.0.1.121]'],
  feat: multi(
    211,
    'Features:',
    [
      ' AUTH TLS',
      ' CCC',
      ' CLNT',
      ' EPRT',
      ' EPSV',
      ' HOST',
      ' LANG en-US*',
      ' MDTM',
      ' MFF modify;UNIX.group;UNIX.mode;',
      ' MFMT',
      ' MLST modify*;perm*;size*;type*;unique*;UNIX.group*;UNIX.groupname*;UNIX.mode*;UNIX.owner*;UNIX.ownername*;',
      ' PBSZ',
      ' PROT',
      ' REST STREAM',
      ' SIZE',
      ' SSCN',
      ' TVFS',
      ' UTF8',
    ],
    'End',
  ),
  user: (user) => [`331 Password required for ${user}`],
  login: (user) => [`230 User ${user} logged in`],
  pwd: (dir) => [`257 "${dir}" is the current directory`],
  type: ['200 Type set to I'],
  pasv: (host, port) => [`227 Entering Passive Mode (${host},${pasvPort(port)}).`],
  epsv: (port) => [`229 Entering Extended Passive Mode (|||${port}|)`],
  opening: (name, size) => [`150 Opening BINARY mode data connection for ${name} (${size} bytes)`],
  listing: ['150 Opening ASCII mode data connection for file list'],
  complete: ['226 Transfer complete'],
  listComplete: ['226 Transfer complete'],
  cwd: ['250 CWD command successful'],
  noFile: (name) => [`550 ${name}: No such file or directory`],
  noDirectory: (dir) => [`550 ${dir}: No such file or directory`],
  goodbye: ['221 Goodbye.'],
};

const PURE_FTPD: ServerStyle = {
  banner: () =>
    multi(
      220,
      '--------- Welcome to Pure-FTPd [privsep] [TLS] ----------',
      [
        `220-You are user number ${int(1, 40)} of 50 allowed.`,
        `220-Local time is now ${String(int(0, 23)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}. Server port: 21.`,
        '220-This is a private system - No anonymous login',
        '220-IPv6 connections are also welcome on this server.',
      ],
      'You will be disconnected after 15 minutes of inactivity.',
    ),
  feat: multi(
    211,
    'Extensions supported:',
    [
      ' UTF8',
      ' EPRT',
      ' IDLE',
      ' MDTM',
      ' SIZE',
      ' MFMT',
      ' REST STREAM',
      ' MLST type*;size*;sizd*;modify*;UNIX.mode*;UNIX.uid*;UNIX.gid*;unique*;',
      ' MLSD',
      ' AUTH TLS',
      ' PBSZ',
      ' PROT',
      ' TVFS',
      ' ESTA',
      ' PASV',
      ' EPSV',
      ' SPSV',
      ' ESTP',
    ],
    'End.',
  ),
  user: (user) => [`331 User ${user} OK. Password required`],
  login: (user) =>
    multi(230, `User ${user} has group access to:  ${user}`, [], 'OK. Current directory is /'),
  pwd: (dir) => [`257 "${dir}" is your current location`],
  type: ['200 TYPE is now 8-bit binary'],
  pasv: (host, port) => [`227 Entering Passive Mode (${host},${pasvPort(port)})`],
  epsv: (port) => [`229 Extended Passive mode OK (|||${port}|)`],
  opening: () => ['150 Accepted data connection'],
  listing: ['150 Accepted data connection'],
  complete: multi(226, 'File successfully transferred', [], `${(random() * 9).toFixed(3)} seconds`),
  listComplete: multi(226, 'Options: -a -l ', [], `${int(2, 300)} matches total`),
  cwd: ['250 OK. Current directory is /pub'],
  noFile: (name) => [`550 Can't open ${name}: No such file or directory`],
  noDirectory: (dir) => [`550 Can't change directory to ${dir}: No such file or directory`],
  goodbye: multi(221, 'Goodbye. You uploaded 0 and downloaded 1432 kbytes.', [], 'Logout.'),
};

const FILEZILLA: ServerStyle = {
  banner: () =>
    multi(220, 'FileZilla Server 1.8.0', [], 'Please visit https://filezilla-project.org/'),
  feat: multi(
    211,
    'Features:',
    [
      ' MDTM',
      ' REST STREAM',
      ' SIZE',
      ' MLST type*;size*;modify*;perm*;',
      ' MLSD',
      ' AUTH SSL',
      ' AUTH TLS',
      ' PROT',
      ' PBSZ',
      ' UTF8',
      ' TVFS',
      ' EPSV',
      ' EPRT',
      ' MFMT',
    ],
    'End',
  ),
  user: () => ['331 Please, specify the password.'],
  login: () => ['230 Login successful.'],
  pwd: (dir) => [`257 "${dir}" is current directory.`],
  type: ['200 Type set to I'],
  pasv: (host, port) => [`227 Entering Passive Mode (${host},${pasvPort(port)})`],
  epsv: (port) => [`229 Entering Extended Passive Mode (|||${port}|)`],
  opening: (name) => [`150 About to start data transfer for "${name}".`],
  listing: ['150 About to start data transfer.'],
  complete: ['226 Operation successful'],
  listComplete: ['226 Operation successful'],
  cwd: ['250 CWD command successful'],
  noFile: () => ["550 Couldn't open the file or directory"],
  noDirectory: () => ["550 Couldn't open the file or directory"],
  goodbye: ['221 Goodbye'],
};

const IIS: ServerStyle = {
  // IIS puts its banner text on middle lines without a code.
  banner: () =>
    chance(0.5)
      ? multi(
          220,
          'Microsoft FTP Service',
          [' Contoso Ltd. file exchange', ' Authorised users only. Activity is monitored.'],
          'Microsoft FTP Service',
        )
      : ['220 Microsoft FTP Service'],
  feat: multi(
    211,
    'Extended features supported:',
    [
      ' LANG EN*',
      ' UTF8',
      ' AUTH TLS;TLS-C;SSL;TLS-P;',
      ' PBSZ',
      ' PROT C;P;',
      ' CCC',
      ' HOST',
      ' SIZE',
      ' MDTM',
      ' REST STREAM',
    ],
    'END',
  ),
  user: () => ['331 Password required'],
  login: () => ['230 User logged in.'],
  pwd: (dir) => [`257 "${dir}" is current directory.`],
  type: ['200 Type set to I.'],
  pasv: (host, port) => [`227 Entering Passive Mode (${host},${pasvPort(port)}).`],
  epsv: (port) => [`229 Entering Extended Passive Mode (|||${port}|)`],
  opening: () => ['125 Data connection already open; Transfer starting.'],
  listing: ['125 Data connection already open; Transfer starting.'],
  complete: ['226 Transfer complete.'],
  listComplete: ['226 Transfer complete.'],
  cwd: ['250 CWD command successful.'],
  noFile: () => ['550 The system cannot find the file specified. '],
  noDirectory: () => ['550 The system cannot find the file specified. '],
  goodbye: ['221 Goodbye.'],
};

const STYLES: readonly ServerStyle[] = [
  VSFTPD,
  VSFTPD,
  PROFTPD,
  PROFTPD,
  PURE_FTPD,
  FILEZILLA,
  IIS,
];

/** STAT answered by a logged-in vsFTPd (RFC 959 211, multi-line). */
const statReply = (user: string, host: string): string[] =>
  multi(
    211,
    'FTP server status:',
    [
      `     Connected to ${host.replaceAll(',', '.')}`,
      `     Logged in as ${user}`,
      '     TYPE: BINARY',
      '     No session bandwidth limit',
      '     Session timeout in seconds is 300',
      '     Control connection is plain text',
      '     Data connections will be plain text',
      '     At session startup, client count was 1',
      '     vsFTPd 3.0.3 - secure, fast, stable',
    ],
    'End of status',
  );

/** HELP as vsFTPd answers it (214, multi-line). */
const HELP_REPLY = multi(
  214,
  'The following commands are recognized.',
  [
    ' ABOR ACCT ALLO APPE CDUP CWD  DELE EPRT EPSV FEAT HELP LIST MDTM MKD',
    ' MODE NLST NOOP OPTS PASS PASV PORT PWD  QUIT REIN REST RETR RMD  RNFR',
    ' RNTO SITE SIZE SMNT STAT STOR STOU STRU SYST TYPE USER XCUP XCWD XMKD',
    ' XPWD XRMD',
  ],
  'Help OK.',
);

/**
 * Generates sessions until the target size. `light` sessions are shorter (so banners and FEAT
 * lists come more often) and spend most operations on replies that open no data connection
 * (SIZE, MDTM, CWD, PWD, TYPE, STAT, HELP, refusals): about one 227 per 1.5 KB, where the
 * default mix has one per 250 bytes.
 */
function generate(light = false): { text: string; replies: number; lines: number } {
  const parts: string[] = [];
  let length = 0; // UTF-16 units; only steers the size, the byte count comes from encoding
  let replies = 0;
  let lines = 0;
  const reply = (wire: readonly string[]): void => {
    for (const line of wire) {
      parts.push(line, '\r\n');
      length += line.length + 2;
    }
    replies++;
    lines += wire.length;
  };

  while (length < TARGET_BYTES) {
    const server = pick(STYLES);
    const user = pick(USERS);
    const host = privateHost();
    const extended = chance(0.4); // clients that try EPSV first (basic-ftp, curl)
    const passive = (): void =>
      reply(extended ? server.epsv(dataPort()) : server.pasv(host, dataPort()));
    reply(server.banner());
    reply(server.user(user));
    reply(server.login(user));
    if (chance(0.8)) reply(server.feat);
    reply(['215 UNIX Type: L8']);
    reply(server.pwd(pick(DIRECTORIES)));
    reply(server.type);
    for (let operations = light ? int(10, 60) : int(20, 200); operations > 0; operations--) {
      if (light && chance(0.87)) {
        const kind = random();
        if (kind < 0.25) reply([`213 ${fileSize()}`]);
        else if (kind < 0.45) reply([`213 ${timestamp()}`]);
        else if (kind < 0.6) reply(server.cwd);
        else if (kind < 0.7) reply(server.pwd(pick(DIRECTORIES)));
        else if (kind < 0.8) reply(server.type);
        else if (kind < 0.9) reply(server.noFile(fileName()));
        else if (kind < 0.95) reply(statReply(user, host));
        else reply(HELP_REPLY);
        continue;
      }
      const roll = random();
      if (roll < 0.5) {
        const name = fileName();
        passive();
        reply(server.opening(name, fileSize()));
        reply(server.complete);
      } else if (roll < 0.6) {
        passive();
        reply(server.listing);
        reply(server.listComplete);
      } else if (roll < 0.72) {
        reply(server.cwd);
      } else if (roll < 0.76) {
        reply(server.noDirectory(pick(DIRECTORIES)));
      } else if (roll < 0.85) {
        passive();
        reply(server.noFile(fileName()));
      } else if (roll < 0.93) {
        reply([`213 ${fileSize()}`]);
      } else if (roll < 0.97) {
        reply([`213 ${timestamp()}`]);
      } else if (roll < 0.99) {
        const position = int(1, 4_000_000);
        reply([`350 Restart position accepted (${position}).`]);
        passive();
        reply(server.opening(fileName(), position + int(1, 4_000_000)));
        reply(server.complete);
      } else {
        reply(['200 NOOP ok.']);
      }
    }
    reply(server.goodbye);
  }
  return { text: parts.join(''), replies, lines };
}

function chunk(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += size) {
    chunks.push(bytes.subarray(start, Math.min(start + size, bytes.length)));
  }
  return chunks;
}

/**
 * Decodes chunks the way a socket with `setEncoding('utf8')` hands them to basic-ftp: a streaming
 * decoder holds a character cut by a chunk boundary for the next chunk.
 */
function decodeStreaming(chunks: readonly Uint8Array[]): string[] {
  const decoder = new TextDecoder('utf-8');
  return chunks.map((bytes) => decoder.decode(bytes, { stream: true }));
}

const generated = generate();

/** The whole corpus, UTF-8, CRLF line ends. */
export const corpus: Uint8Array = new TextEncoder().encode(generated.text);
/** Replies in the corpus, counted while generating. */
export const expectedReplies: number = generated.replies;
/** CRLF-terminated lines in the corpus, counted while generating. */
export const expectedLines: number = generated.lines;

/** The corpus cut every 1460 bytes, wherever that falls: mid-line, mid-code, mid-character. */
export const segments: readonly Uint8Array[] = chunk(corpus, SEGMENT_SIZE);
/** The corpus cut every 64 KiB. */
export const largeChunks: readonly Uint8Array[] = chunk(corpus, LARGE_CHUNK_SIZE);

/**
 * The same chunks as strings, for parsers that take text (basic-ftp). Decoded here, outside the
 * timed region: conservative, since those parsers are then not charged for decoding while
 * ftpwire's figures include it (bytes in).
 */
export const segmentTexts: readonly string[] = decodeStreaming(segments);
/** `largeChunks` decoded the same way; see `segmentTexts`. */
export const largeChunkTexts: readonly string[] = decodeStreaming(largeChunks);

const LF = 0x0a;

/**
 * Runs of whole lines of at most `limit` bytes (a longer line alone): what a server that writes
 * each reply with one send, and a reader that gets one segment per send, hands a parser.
 */
function wholeLineRuns(bytes: Uint8Array, limit: number): Uint8Array[] {
  const runs: Uint8Array[] = [];
  let start = 0;
  let end = 0;
  for (let lf = bytes.indexOf(LF); lf !== -1; lf = bytes.indexOf(LF, lf + 1)) {
    if (lf + 1 - start > limit && end > start) {
      runs.push(bytes.subarray(start, end));
      start = end;
    }
    end = lf + 1;
  }
  if (end > start) runs.push(bytes.subarray(start, end));
  if (end < bytes.length) runs.push(bytes.subarray(end));
  return runs;
}

/** The corpus as runs of whole lines of at most 1460 bytes (issue 15's reply workload). */
export const wholeLineChunks: readonly Uint8Array[] = wholeLineRuns(corpus, SEGMENT_SIZE);
/** `wholeLineChunks` decoded outside timing; see `segmentTexts`. */
export const wholeLineTexts: readonly string[] = decodeStreaming(wholeLineChunks);

const lightGenerated = generate(true);
/**
 * A lighter corpus for the NAT rewriters (issue 15): the same servers, shorter sessions, most
 * operations without a data connection; about one 227 per 1.5 KB.
 */
export const lightCorpus: Uint8Array = new TextEncoder().encode(lightGenerated.text);
/** Replies in `lightCorpus`, counted while generating. */
export const lightExpectedReplies: number = lightGenerated.replies;
/** `lightCorpus` cut every 1460 bytes. */
export const lightSegments: readonly Uint8Array[] = chunk(lightCorpus, SEGMENT_SIZE);
/** `lightCorpus` cut every 64 KiB. */
export const lightLargeChunks: readonly Uint8Array[] = chunk(lightCorpus, LARGE_CHUNK_SIZE);

/** Facts about the chunking, checked below and printed by the report. */
export const corpusStats = {
  bytes: corpus.length,
  replies: expectedReplies,
  lines: expectedLines,
  segments: segments.length,
  /** Segment boundaries that fall inside a line (not just after an LF). */
  segmentsCuttingLines: segments.filter((bytes) => bytes[bytes.length - 1] !== LF).length,
  /** Segment boundaries that fall inside a multi-byte UTF-8 character. */
  segmentsCuttingCharacters: segments.filter((_, index) => {
    const next = segments[index + 1];
    return next !== undefined && (next[0]! & 0xc0) === 0x80;
  }).length,
  /** Segments holding at least one non-ASCII byte. */
  segmentsWithNonAscii: segments.filter((bytes) => bytes.some((byte) => byte >= 0x80)).length,
};

// A chunking that happened to fall on line ends would spare every parser its hardest case.
if (corpusStats.segmentsCuttingLines < 0.9 * (corpusStats.segments - 1)) {
  throw new Error(`corpus: only ${corpusStats.segmentsCuttingLines} segments cut a line`);
}
if (segmentTexts.join('') !== generated.text || largeChunkTexts.join('') !== generated.text) {
  throw new Error('corpus: streaming decode does not round-trip');
}

/**
 * Every bench adds what it computed to `sink.value`: a store the compiler must keep, so no
 * parse can be optimised away as dead code. Add once per iteration, not per item: bench files
 * run through Vite's module runner, where each read of an imported binding is a property
 * getter, a cost per reply that no user pays and that would dilute every ratio.
 */
export const sink = { value: 0 };

/**
 * A workload tag for a `describe` or `bench` name, read back by scripts/bench-report.mjs to
 * derive MB/s, replies/s and lines/s: `[bytes=4194304 replies=81234 lines=97531]`.
 */
export function tag(fields: Readonly<Record<string, number>>): string {
  return `[${Object.entries(fields)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ')}]`;
}

/** Throws unless a bench produced the true count: a broken parser must not post a fast number. */
export function expectCount(what: string, actual: number, expected: number): void {
  if (actual !== expected) {
    throw new Error(`${what}: produced ${actual}, expected ${expected}`);
  }
}
