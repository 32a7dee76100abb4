// Laws of the gateway's session core for any client input, cut into any chunks, against a model
// server that answers every command it receives (and, being hostile, also sends data addresses
// nobody asked for, multi-line replies holding 227 lines, and preliminary replies):
// - the server only ever receives lines that parseCommand reads and formatCommand writes back
//   byte for byte (the proxy and the server cannot disagree about a line);
// - the client never receives a 227 reply naming anything but the proxy's public host;
// - every line the client sends gets exactly one final reply, in order.
// Each law holds in every mode of the legs (upstreamTls match-client, on, off; upstreamData
// client, passive, epsv; the client's leg plain or implicit TLS), and two more are the modes'
// own: each leg gets only its own security commands, and a server behind `passive` or `epsv`
// is never asked to connect out.
import { formatCommand, parseCommand } from '@ftpwire/command';
import { type Reply, ReplyParser } from '@ftpwire/reply';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UpstreamDataPolicy, UpstreamTlsMode } from '../../packages/proxy/src/legs.ts';
import { type CoreUnderTest, coreUnderTest, latin1, text } from './core-harness.ts';

const RUNS = Number(process.env['FC_RUNS'] ?? 200);
const TIMEOUT = Math.max(10_000, RUNS * 20);
const PUBLIC = '(193,21,1,121,';

/** Client lines: well-formed commands of every kind the core treats apart, and junk. */
const verbLine = fc.oneof(
  fc.constantFrom(
    'PASV',
    'EPSV',
    'EPSV ALL',
    'epsv 2',
    'PORT 198,51,100,7,4,1',
    'PORT 6,6,6,6,4,1',
    'EPRT |1|198.51.100.7|5000|',
    'EPRT |2|::|5000|',
    'LIST',
    'RETR file',
    'USER anonymous',
    'NOOP',
    'LPSV',
    'CCC',
    'REIN',
    'FEAT',
    'XYZZY',
    'PROT P',
    'PROT C',
    'PBSZ 0',
    'ABOR',
    '',
  ),
  fc
    .tuple(fc.stringMatching(/^[A-Za-z]{1,6}$/), fc.string({ maxLength: 12 }))
    .map(([verb, argument]) => `${verb} ${argument}`),
  // Junk: any bytes but LF (which would make it two lines) and IAC (Telnet may take the LF).
  fc
    .uint8Array({ maxLength: 16 })
    .map((bytes) => text(bytes.map((byte) => (byte === 0x0a || byte === 0xff ? 0x21 : byte)))),
);

/** What the model server answers to a line it received, and which hostile extras it adds. */
const serverMood = fc.constantFrom('plain', 'unsolicited-227', 'multi-line', 'preliminary');

/** How each leg is set up: a mode of the proxy, and whether the client came with implicit TLS. */
interface Legs {
  readonly upstreamTls: UpstreamTlsMode;
  readonly upstreamData: UpstreamDataPolicy;
  readonly implicitTls: boolean;
}

const PLAIN_LEGS: Legs = {
  upstreamTls: 'match-client',
  upstreamData: 'client',
  implicitTls: false,
};

const legs: fc.Arbitrary<Legs> = fc.record({
  upstreamTls: fc.constantFrom<UpstreamTlsMode>('match-client', 'on', 'off'),
  upstreamData: fc.constantFrom<UpstreamDataPolicy>('client', 'passive', 'epsv'),
  implicitTls: fc.boolean(),
});

function serverReply(line: string, mood: string, serial: number): string {
  const verb = line.split(' ')[0]!.trim();
  const port = `${117 + (serial % 3)},${51 + (serial % 7)}`;
  // The proxy's own AUTH (upstreamTls on) is accepted, as a server that has TLS does.
  if (line === 'AUTH TLS\r\n') return '234 Proceed with negotiation.\r\n';
  if (verb === 'PASV') return `227 Entering Passive Mode (10,0,0,1,${port}).\r\n`;
  if (verb === 'EPSV' && line.trim() === 'EPSV')
    return '229 Entering Extended Passive Mode (|||30004|)\r\n';
  switch (mood) {
    case 'unsolicited-227':
      return `227 Entering Passive Mode (10,0,0,9,${port}).\r\n`;
    case 'multi-line':
      return `211-Status\r\n227 Entering Passive Mode (10,0,0,8,${port}).\r\n211 End\r\n`;
    case 'preliminary':
      return '150 Here it comes\r\n226 Done\r\n';
    default:
      return '200 OK\r\n';
  }
}

/** Splits `bytes` at the given cut points. */
function chunks(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    out.push(bytes.subarray(start, point));
    start = point;
  }
  out.push(bytes.subarray(start));
  return out;
}

/**
 * Plays the client's bytes in chunks; the server answers what it has received after each chunk,
 * or (`answerAtEnd`) only once everything has arrived, so that what it does cannot depend on how
 * the client's bytes were cut.
 */
function play(
  lines: readonly string[],
  cuts: readonly number[],
  moods: readonly string[],
  answerAtEnd = false,
  setup: Legs = PLAIN_LEGS,
): CoreUnderTest {
  // A certificate whenever the client's leg may have TLS of its own.
  const session = coreUnderTest({
    tls: setup.implicitTls || setup.upstreamTls !== 'match-client',
    ...setup,
  });
  session.server('220 ready\r\n');
  let answered = 0;
  let upgraded = 0;
  const answerOne = () => {
    const mood = moods[answered % Math.max(1, moods.length)] ?? 'plain';
    session.server(serverReply(session.toServer[answered]!, mood, answered));
    answered++;
    // The I/O side's handshake, done at once: the core goes on once it is told.
    for (; upgraded < session.tlsStarted; upgraded++) session.core.tlsReady();
  };
  // The I/O side's contract: no client bytes while the core holds the client (it waits for
  // the server, as during the proxy's own AUTH TLS); they arrive, in order, once it lets go.
  const waiting: Uint8Array[] = [];
  const deliver = () => {
    while (waiting.length > 0 && !session.clientHeld && !session.core.closed) {
      session.client(waiting.shift()!);
    }
  };
  // Client bytes that may be delivered always go before the next server reply, so that what
  // either peer sees cannot depend on how the client's bytes were cut.
  const answer = () => {
    for (deliver(); answered < session.toServer.length; deliver()) answerOne();
  };
  const wire = latin1(lines.map((line) => `${line}\r\n`).join(''));
  for (const piece of chunks(wire, cuts)) {
    waiting.push(piece);
    deliver();
    if (!answerAtEnd) answer();
  }
  answer();
  return session;
}

function clientReplies(session: CoreUnderTest): Reply[] {
  return new ReplyParser().push(latin1(session.clientText()));
}

describe('SessionCore laws', () => {
  it(
    'the server only receives lines parseCommand reads and formatCommand writes back byte for byte',
    () => {
      fc.assert(
        fc.property(
          fc.array(verbLine, { maxLength: 20 }),
          fc.array(fc.nat(), { maxLength: 8 }),
          fc.array(serverMood, { maxLength: 5 }),
          legs,
          (lines, cuts, moods, setup) => {
            const session = play(lines, cuts, moods, false, setup);
            for (const line of session.toServer) {
              const command = parseCommand(latin1(line));
              const argument = String.fromCharCode(...command.rawArgument);
              expect(formatCommand(command.verb, argument, { strictVerb: false })).toBe(line);
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'the client never receives a 227 naming anything but the public host, whatever the server sends',
    () => {
      fc.assert(
        fc.property(
          fc.array(verbLine, { maxLength: 20 }),
          fc.array(fc.nat(), { maxLength: 8 }),
          fc.array(serverMood, { maxLength: 5 }),
          legs,
          (lines, cuts, moods, setup) => {
            const session = play(lines, cuts, moods, false, setup);
            for (const reply of clientReplies(session)) {
              if (reply.code === 227) expect(reply.lines[0]).toContain(PUBLIC);
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'every line the client sends gets exactly one final reply, in order, however it is cut',
    () => {
      fc.assert(
        fc.property(
          // Without a CR in the lines: a CR at a chunk's end ends a line (ftplib's urgent ABOR).
          fc.array(
            verbLine.map((line) => line.replace(/\r/g, '!')),
            { maxLength: 20 },
          ),
          fc.array(fc.nat(), { maxLength: 8 }),
          fc.array(serverMood, { maxLength: 5 }),
          legs,
          (lines, cuts, moods, setup) => {
            const session = play(lines, cuts, moods, false, setup);
            const finals = clientReplies(session).filter((reply) => reply.code >= 200);
            // The greeting, then one per line: the proxy's own exchanges with the server show none.
            expect(finals.length).toBe(1 + lines.length);
            expect(session.ended).toEqual([]);
            // Chunking changes nothing either peer can see, the server's timing kept apart.
            const cut = play(lines, cuts, moods, true, setup);
            const whole = play(lines, [], moods, true, setup);
            expect(cut.clientText()).toBe(whole.clientText());
            expect(cut.toServer).toEqual(whole.toServer);
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'each leg gets only its own security commands: off sends none, on sends its own first, match-client the client’s',
    () => {
      fc.assert(
        fc.property(
          fc.array(verbLine, { maxLength: 20 }),
          fc.array(fc.nat(), { maxLength: 8 }),
          fc.array(serverMood, { maxLength: 5 }),
          legs,
          (lines, cuts, moods, setup) => {
            const session = play(lines, cuts, moods, false, setup);
            const security = session.toServer.filter((line) => /^(AUTH|PBSZ|PROT) /.test(line));
            const fromClient = lines
              .map((line) => parseCommandOrUndefined(line))
              .filter((verb) => verb === 'PBSZ' || verb === 'PROT' || verb === 'AUTH');
            if (setup.upstreamTls === 'off') expect(security).toEqual([]);
            if (setup.upstreamTls === 'on') {
              expect(session.toServer.slice(0, 3)).toEqual([
                'AUTH TLS\r\n',
                'PBSZ 0\r\n',
                'PROT P\r\n',
              ]);
              expect(security).toHaveLength(3);
              expect(session.core.dataProtection.server).toBe(true);
            }
            if (setup.upstreamTls === 'match-client')
              expect(security).toHaveLength(fromClient.length);
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'behind upstreamData passive the server is never asked to connect out; behind epsv it gets EPSV only',
    () => {
      fc.assert(
        fc.property(
          fc.array(verbLine, { maxLength: 20 }),
          fc.array(fc.nat(), { maxLength: 8 }),
          fc.array(serverMood, { maxLength: 5 }),
          legs.filter((setup) => setup.upstreamData !== 'client'),
          (lines, cuts, moods, setup) => {
            const session = play(lines, cuts, moods, false, setup);
            const verbs = session.toServer.map((line) => line.split(/[ \r]/)[0]);
            expect(verbs).not.toContain('PORT');
            expect(verbs).not.toContain('EPRT');
            if (setup.upstreamData === 'epsv') expect(verbs).not.toContain('PASV');
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});

/** The verb of a client line as the proxy reads it, or undefined for a line that is none. */
function parseCommandOrUndefined(line: string): string | undefined {
  try {
    return parseCommand(latin1(line)).verb;
  } catch {
    return undefined;
  }
}
