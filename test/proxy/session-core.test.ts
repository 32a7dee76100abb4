// The gateway's protocol decisions, without sockets: each test plays both peers byte by byte
// and checks exactly what the server received and what the client was told.
import { describe, expect, it } from 'vitest';
import { coreUnderTest, FakeChannel, greeted, latin1 } from './core-harness.ts';

const IAC = 0xff;
const IP = 0xf4;
const DM = 0xf2;
const NOP = 0xf1;

describe('SessionCore: one parse per line, canonical output', () => {
  it('forwards a command re-formatted: verb upper-cased, the argument byte for byte', () => {
    const session = greeted();
    session.client('retr  my file.txt \r\ncwd caf\xe9\r\n');
    // The argument keeps its leading and trailing spaces and its Latin-1 byte.
    expect(session.toServer).toEqual(['RETR  my file.txt \r\n', 'CWD caf\xe9\r\n']);
  });

  it.each([
    ['a tab before the verb', '\tPORT 6,6,6,6,0,25'],
    ['a space before the verb', ' PORT 6,6,6,6,0,25'],
    ['a quote inside the verb', 'PO"RT 6,6,6,6,0,25'],
    ['the verb in quotes', '"PORT" 6,6,6,6,0,25'],
    ['a quote inside EPRT', 'EP"RT |1|6.6.6.6|25|'],
    ['a NUL inside the verb', 'PO\0RT 6,6,6,6,0,25'],
    ['a tab after the verb', 'PORT\t6,6,6,6,0,25'],
    ['a digit in the verb', 'PORT1 6,6,6,6,0,25'],
  ])('bounce by spelling (%s): answered 500, never forwarded', (_name, line) => {
    const session = greeted();
    session.client(`${line}\r\nNOOP\r\n`);
    expect(session.toServer).toEqual(['NOOP\r\n']);
    expect(session.clientLines()).toEqual(['220 ready', '500 Syntax error: not a command line.']);
  });

  it.each([
    ['lower case', 'port 6,6,6,6,4,1'],
    ['mixed case', 'PoRt 6,6,6,6,4,1'],
    ['IAC NOP inside the verb', `PO${String.fromCharCode(IAC, NOP)}RT 6,6,6,6,4,1`],
    ['EPRT in lower case', 'eprt |1|6.6.6.6|1025|'],
  ])('bounce by spelling (%s): read as the server reads it, then refused 501', (_name, line) => {
    const session = greeted();
    session.client(`${line}\r\nNOOP\r\n`);
    expect(session.toServer).toEqual(['NOOP\r\n']);
    expect(session.clientLines()[1]).toBe(
      "501 The data address may only name the client's own address.",
    );
  });

  it('empty lines and junk are answered 500 and never forwarded, and pairing holds', () => {
    const session = greeted();
    session.client('\r\n\r\n\r\nPASV\r\n');
    expect(session.toServer).toEqual(['PASV\r\n']);
    session.server('227 Entering Passive Mode (10,0,1,121,117,51).\r\n');
    expect(session.clientLines()).toEqual([
      '220 ready',
      '500 Syntax error: not a command line.',
      '500 Syntax error: not a command line.',
      '500 Syntax error: not a command line.',
      '227 Entering Passive Mode (193,21,1,121,156,64).',
    ]);
    expect(session.channels[0]).toMatchObject({ target: 30003, armed: true, port: 40000 });
  });

  it('answers an unknown verb 502 unless it is allowed', () => {
    const strict = greeted();
    strict.client('XYZZY magic\r\n');
    expect(strict.toServer).toEqual([]);
    expect(strict.clientLines()[1]).toBe('502 Command not implemented by this proxy.');
    const lenient = greeted({ allowVerbs: ['xyzzy'] });
    lenient.client('xyzzy magic\r\n');
    expect(lenient.toServer).toEqual(['XYZZY magic\r\n']);
  });

  it('refuses an argument with a CR in it (it could end the line at the server)', () => {
    const session = greeted();
    session.client('DELE a\rSTOR b\r\n');
    expect(session.toServer).toEqual([]);
    expect(session.clientLines()[1]).toBe(
      '501 Syntax error: the argument may not contain CR or NUL.',
    );
  });

  it('refuses RFC 2228 security exchanges it could not read, and LPRT, REIN, CCC', () => {
    const session = greeted();
    session.client('ENC cGFzc3dvcmQ=\r\nMIC eA==\r\nADAT eA==\r\nLPSV\r\nREIN\r\nCCC\r\n');
    expect(session.toServer).toEqual([]);
    expect(
      session
        .clientLines()
        .slice(1)
        .map((line) => line.slice(0, 3)),
    ).toEqual(['502', '502', '502', '502', '502', '534']);
  });
});

describe('SessionCore: replies, in order', () => {
  it("keeps its own answers in their turn among the server's", () => {
    const session = greeted();
    session.client('NOOP first\r\nCCC\r\nNOOP second\r\n');
    expect(session.toServer).toEqual(['NOOP first\r\n', 'NOOP second\r\n']);
    expect(session.clientLines()).toEqual(['220 ready']);
    session.server('200 first\r\n');
    expect(session.clientLines().slice(1)).toEqual([
      '200 first',
      '534 CCC is refused: this proxy keeps the control connection protected.',
    ]);
    session.server('200 second\r\n');
    expect(session.clientLines().at(-1)).toBe('200 second');
  });

  it('a line that is no command waits its turn behind a command waiting for its data port', () => {
    const session = greeted({ answerChannels: false });
    session.client('PASV\r\nNOOP\r\n\r\n');
    // The passive port is being opened: NOOP and the empty line wait, in order.
    expect(session.clientLines()).toEqual(['220 ready']);
    const channel = new FakeChannel(session.waitingChannels[0]!, 40000);
    session.core.channelOpened(channel);
    session.server('227 ok (10,0,0,1,117,51)\r\n200 NOOP ok\r\n');
    expect(session.clientLines().slice(1)).toEqual([
      '227 Entering Passive Mode (193,21,1,121,156,64).',
      '200 NOOP ok',
      '500 Syntax error: not a command line.',
    ]);
  });

  it('forwards a multi-line reply as parsed, every line ended with CRLF', () => {
    const session = greeted();
    session.client('FEAT\r\n');
    session.server('211-Features:\n EPSV\r\n 211 not the end\r\n211 End\n');
    expect(session.clientText()).toBe(
      '220 ready\r\n211-Features:\r\n EPSV\r\n 211 not the end\r\n211 End\r\n',
    );
  });

  it('withholds a 227 or 229 nobody asked for: they name the server’s side of the network', () => {
    const session = greeted();
    session.client('NOOP\r\nNOOP\r\nNOOP\r\n');
    session.server('227 Entering Passive Mode (10,0,0,1,1,1).\r\n');
    session.server('229 Entering Extended Passive Mode (|||30004|)\r\n');
    session.server('200 fine\r\n');
    expect(session.clientLines().slice(1)).toEqual([
      '502 The server answered with a data address nobody asked for; the proxy withheld it.',
      '502 The server answered with a data address nobody asked for; the proxy withheld it.',
      '200 fine',
    ]);
  });

  it('a 227 answering a PASV whose channel a newer PASV replaced is not passed on', () => {
    const session = greeted();
    session.client('PASV\r\nPASV\r\n');
    session.channels[0]!.close(); // what the I/O side does when the second PASV opens its own
    session.server(
      '227 Entering Passive Mode (10,0,0,1,117,51).\r\n227 Entering Passive Mode (10,0,0,1,117,52).\r\n',
    );
    expect(session.clientLines().slice(1)).toEqual([
      '425 Cannot open a passive data port.',
      '227 Entering Passive Mode (193,21,1,121,156,65).',
    ]);
  });

  it('rewrites the 229 to the proxy’s port and sends EPSV without the client’s argument', () => {
    const session = greeted();
    session.client('EPSV 2\r\n');
    expect(session.toServer).toEqual(['EPSV\r\n']);
    session.server('229 Entering Extended Passive Mode (|||30004|)\r\n');
    expect(session.clientLines()[1]).toBe('229 Entering Extended Passive Mode (|||40000|)');
    expect(session.channels[0]).toMatchObject({ target: 30004, armed: true });
  });

  it('withholds an unreadable 227 and closes its channel', () => {
    const session = greeted();
    session.client('PASV\r\n');
    session.server('227 Entering Passive Mode (10,0,0,1,256,1).\r\n');
    expect(session.clientLines()[1]).toBe("425 Cannot read the server's data address.");
    expect(session.channels[0]!.open).toBe(false);
  });

  it('with passiveMode rewrite, keeps the server’s port and opens no channel', () => {
    const session = greeted({ passiveMode: 'rewrite' });
    session.client('PASV\r\nEPSV\r\n');
    session.server('227 ok (10,0,0,1,117,51)\r\n229 ok (|||30004|)\r\n');
    expect(session.clientLines().slice(1)).toEqual([
      '227 Entering Passive Mode (193,21,1,121,117,51).',
      '229 ok (|||30004|)',
    ]);
    expect(session.channels).toEqual([]);
  });
});

describe('SessionCore: active mode', () => {
  it('relays PORT naming the client: the server is told the proxy’s listener', () => {
    const session = greeted();
    session.client('PORT 198,51,100,7,200,1\r\n');
    expect(session.channels[0]!.request).toEqual({ mode: 'active', clientPort: 51201 });
    expect(session.toServer).toEqual(['PORT 127,0,0,1,156,64\r\n']);
    session.server('200 PORT ok\r\n');
    expect(session.channels[0]!.armed).toBe(true);
  });

  it.each([
    ['EPRT |2|::|5282|', 5282],
    ['EPRT |1|0.0.0.0|5282|', 5282],
  ])('lftp over IPv6: %s names the unspecified address, which means the client', (line, port) => {
    const session = greeted();
    session.client(`${line}\r\n`);
    expect(session.channels[0]!.request).toEqual({ mode: 'active', clientPort: port });
    expect(session.toServer).toEqual(['EPRT |1|127.0.0.1|40000|\r\n']);
  });

  it.each([
    ['PORT 198,51,100,7,0,25', 'a port below 1024'],
    ['EPRT |1|198.51.100.7|1023|', 'a port below 1024'],
    ['PORT 6,6,6,6,4,1', 'another host'],
    ['EPRT |2|2001:db8::1|5000|', 'another host'],
    ['PORT 198,51,100,7,4', 'an unreadable address'],
    ['PORT 198,51,100,7,0,0', 'port 0'],
  ])('refuses %s (%s) with 501 and forwards nothing', (line) => {
    const session = greeted();
    session.client(`${line}\r\n`);
    expect(session.toServer).toEqual([]);
    expect(session.clientLines()[1]).toMatch(/^501 /);
  });

  it('refuses PORT and EPRT with 502 when active mode is refused', () => {
    const session = greeted({ activeMode: 'refuse' });
    session.client('PORT 198,51,100,7,4,1\r\nEPRT |1|198.51.100.7|1025|\r\n');
    expect(session.toServer).toEqual([]);
    expect(
      session
        .clientLines()
        .slice(1)
        .map((line) => line.slice(0, 3)),
    ).toEqual(['502', '502']);
  });
});

describe('SessionCore: every resource a client can make it hold is bounded', () => {
  it('locally answered commands count against the pending bound: reading stops at it', () => {
    const session = greeted({ maxPendingCommands: 8 });
    session.client('NOOP\r\n'); // its reply is due first, so every local answer waits behind it
    session.client('LPSV\r\n'.repeat(1000));
    expect(session.core.pendingCommands).toBe(8);
    expect(session.clientHeld).toBe(true);
    expect(session.clientLines()).toEqual(['220 ready']);
    session.server('200 ok\r\n');
    // The backlog drains as replies go out, and reading resumes once nothing is held.
    expect(session.clientLines()).toHaveLength(1 + 1 + 1000);
    expect(session.clientHeld).toBe(false);
    expect(session.core.pendingCommands).toBe(0);
  });

  it('a client that does not read its replies is not read either', () => {
    const session = greeted();
    session.clientStopsReading();
    session.client('LPSV\r\n'.repeat(5000));
    // One reply went out and filled the buffer; nothing more is judged until it drains.
    expect(session.clientLines()).toHaveLength(2);
    expect(session.clientHeld).toBe(true);
    session.clientReadsAgain();
    expect(session.clientLines()).toHaveLength(1 + 5000);
    expect(session.clientHeld).toBe(false);
  });

  it('a line longer than maxLineLength ends the session with 421', () => {
    const session = greeted({ maxLineLength: 64 });
    session.client(`USER ${'a'.repeat(100)}`);
    expect(session.toServer).toEqual([]);
    expect(session.clientLines().at(-1)).toBe(
      '421 Closing: the control connection broke the protocol.',
    );
    expect(session.ended[0]?.error?.code).toBe('ERR_LINE_TOO_LONG');
  });
});

describe('SessionCore: TLS', () => {
  it('CVE-2011-0411: a command pipelined behind AUTH ends the session before any reply', () => {
    const session = greeted();
    session.client('AUTH TLS\r\nUSER injected\r\n');
    expect(session.toServer).toEqual(['AUTH TLS\r\n']);
    expect(session.ended[0]?.error?.code).toBe('ERR_PROTOCOL');
    session.server('234 go\r\n');
    expect(session.tlsStarted).toBe(0);
  });

  it('CVE-2021-22947: server bytes behind the 234 end the session; the handshake never starts', () => {
    const session = greeted();
    session.client('AUTH TLS\r\n');
    session.server('234 go\r\n150 injected\r\n');
    expect(session.tlsStarted).toBe(0);
    expect(session.clientText()).not.toContain('injected');
    expect(session.ended[0]?.error?.code).toBe('ERR_PROTOCOL');
  });

  it('starts TLS after a 234, and reads commands again once it is up', () => {
    const session = greeted();
    session.client('AUTH TLS\r\n');
    session.server('234 go\r\n');
    expect(session.tlsStarted).toBe(1);
    session.core.tlsReady();
    expect(session.core.secure).toBe(true);
    session.client('AUTH TLS\r\nPBSZ 0\r\nPROT P\r\n');
    expect(session.clientLines().at(-1)).toBe('503 The control connection is already protected.');
    session.server('200 PBSZ=0\r\n200 PROT now Private.\r\n');
    expect(session.core.dataProtected).toBe(true);
  });

  it('answers AUTH with a mechanism other than TLS 504, and AUTH without a certificate 502', () => {
    const withTls = greeted();
    withTls.client('AUTH GSSAPI\r\n');
    expect(withTls.clientLines()[1]).toBe('504 AUTH mechanism not supported; use AUTH TLS.');
    const withoutTls = greeted({ tls: false });
    withoutTls.client('AUTH TLS\r\n');
    expect(withoutTls.toServer).toEqual([]);
    expect(withoutTls.clientLines()[1]).toMatch(/^502 /);
  });

  it('PROT P: a transfer whose client-side TLS failed is reported 425, never a 226', () => {
    const session = greeted();
    session.client('PASV\r\n');
    session.server('227 ok (10,0,0,1,117,51)\r\n');
    session.client('RETR file\r\n');
    session.channels[0]!.clientFailure = 'the TLS handshake with the client failed';
    session.server('150 Opening\r\n226 Transfer complete.\r\n');
    expect(session.clientLines().slice(-2)).toEqual([
      '150 Opening',
      '425 Cannot open the data connection: its TLS handshake failed.',
    ]);
  });
});

describe('SessionCore: ABOR and urgent data', () => {
  it('ftplib abort(): ABOR sent with MSG_OOB loses its LF; the CR ends the line', () => {
    const session = greeted();
    session.client('RETR big\r\n');
    session.server('150 Opening\r\n');
    session.client('ABOR\r');
    expect(session.toServer).toEqual(['RETR big\r\n', 'ABOR\r\n']);
    expect(session.aborts).toBe(1);
    session.server('426 Connection closed; transfer aborted.\r\n226 Abort successful\r\n');
    expect(session.clientLines().slice(-2)).toEqual([
      '426 Connection closed; transfer aborted.',
      '226 Abort successful',
    ]);
    // The LF that was sent after all belongs to that line, not an empty one.
    session.client('\nNOOP\r\n');
    expect(session.toServer.at(-1)).toBe('NOOP\r\n');
    expect(session.clientLines()).not.toContain('500 Syntax error: not a command line.');
  });

  it('RFC 959 §4.1.3: IAC IP IAC DM ABOR is read as ABOR', () => {
    const session = greeted();
    session.client(Uint8Array.of(IAC, IP, IAC, DM, ...latin1('ABOR\r')));
    expect(session.toServer).toEqual(['ABOR\r\n']);
  });

  it('lftp: IAC IP IAC with the urgent DM lost, then ABOR, is read as ABOR', () => {
    const session = greeted();
    session.client(Uint8Array.of(IAC, IP, IAC, ...latin1('ABOR\r\n')));
    expect(session.toServer).toEqual(['ABOR\r\n']);
  });

  it('a CR LF cut between two chunks is one line end', () => {
    const session = greeted();
    session.client('NOOP\r');
    session.client('\nPWD\r\n');
    expect(session.toServer).toEqual(['NOOP\r\n', 'PWD\r\n']);
    expect(session.clientLines()).toEqual(['220 ready']);
  });
});

describe('SessionCore: the end', () => {
  it('the server lost mid-transfer: the client hears 426 and 421 before the close', () => {
    const session = greeted();
    session.client('RETR big\r\n');
    session.server('150 Opening\r\n');
    session.core.serverLost(new (class extends Error {})() as never);
    expect(session.clientLines().slice(-2)).toEqual([
      '426 Connection closed; transfer aborted.',
      '421 Service not available, closing control connection.',
    ]);
    expect(session.ended).toHaveLength(1);
  });

  it('each transfer’s final reply is told to its channel, which ends the data connection by it', () => {
    const session = greeted();
    session.client('PASV\r\n');
    session.server('227 Entering Passive Mode (10,0,1,121,117,51).\r\n');
    session.client('RETR file\r\n');
    session.server('150 Opening\r\n');
    const first = session.channels[0]!;
    expect(first.finalReplies).toEqual([]);
    session.server('226 Transfer complete.\r\n');
    session.client('PASV\r\n');
    session.server('227 Entering Passive Mode (10,0,1,121,117,52).\r\n');
    session.client('RETR gone\r\nNOOP\r\n');
    session.server('550 No such file.\r\n200 NOOP ok.\r\n');
    expect(first.finalReplies).toEqual([226]);
    expect(session.channels[1]!.finalReplies).toEqual([550]);
  });

  it('the server lost between commands: 421 only', () => {
    const session = greeted();
    session.core.serverLost(new (class extends Error {})() as never);
    expect(session.clientLines().slice(1)).toEqual([
      '421 Service not available, closing control connection.',
    ]);
  });

  it('QUIT answered 221 ends the session in order; a 421 from the server ends it too', () => {
    const session = greeted();
    session.client('QUIT\r\n');
    session.server('221 Goodbye.\r\n');
    expect(session.ended).toEqual([{ error: undefined }]);
    const dropped = greeted();
    dropped.client('NOOP\r\n');
    dropped.server('421 Timeout.\r\n');
    expect(dropped.clientLines().at(-1)).toBe('421 Timeout.');
    expect(dropped.ended[0]?.error?.code).toBe('ERR_PEER_CLOSED');
  });

  it('logs in on a 230 to USER or PASS, not on a 230 to anything else', () => {
    const session = coreUnderTest();
    session.server('220 ready\r\n');
    session.client('NOOP\r\n');
    session.server('230 not a login\r\n');
    expect(session.core.loggedIn).toBe(false);
    session.client('USER anonymous\r\n');
    session.server('230 Login successful.\r\n');
    expect(session.core.loggedIn).toBe(true);
  });
});
