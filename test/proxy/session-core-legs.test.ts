// Each leg on its own terms, without sockets: TLS toward the server decided apart from the
// client's (upstreamTls on/off), and data connections toward the server opened as the proxy
// chooses (upstreamData passive/epsv). Each test plays both peers and checks what the server
// received and what the client was told, in order.
import { describe, expect, it } from 'vitest';
import { type CoreUnderTest, coreUnderTest, greeted, type HarnessOptions } from './core-harness.ts';

/** A session whose client has done AUTH TLS, answered by the proxy itself. */
function clientOnTls(options: HarnessOptions): CoreUnderTest {
  const session = greeted(options);
  session.client('AUTH TLS\r\n');
  session.core.tlsReady();
  return session;
}

describe('upstreamTls off: FTPS for the client, plain FTP to the server', () => {
  it('answers AUTH TLS itself and upgrades the client’s leg alone; the server never hears of it', () => {
    const session = greeted({ upstreamTls: 'off' });
    session.client('AUTH TLS\r\n');
    expect(session.toServer).toEqual([]);
    expect(session.clientLines().at(-1)).toBe('234 Proceed with negotiation.');
    expect(session.tlsLegs).toEqual(['client']);
    session.core.tlsReady();
    expect(session.core.secure).toBe(true);
    expect(session.core.serverSecure).toBe(false);
    session.client('PBSZ 0\r\nPROT P\r\nUSER anonymous\r\n');
    expect(session.toServer).toEqual(['USER anonymous\r\n']);
    session.server('230 Login successful.\r\n');
    expect(session.clientLines().slice(2)).toEqual([
      '200 PBSZ=0',
      '200 Protection level set to Private.',
      '230 Login successful.',
    ]);
    // Data: TLS toward the client, clear toward the server.
    expect(session.core.dataProtection).toEqual({ client: true, server: false });
  });

  it('AUTH SSL (vsftpd, pre-RFC 4217 clients) protects the client’s data leg at once', () => {
    const session = greeted({ upstreamTls: 'off' });
    session.client('AUTH SSL\r\n');
    session.core.tlsReady();
    expect(session.core.dataProtection).toEqual({ client: true, server: false });
  });

  it('the 234 waits its turn: it goes once the replies owed before it have', () => {
    const session = greeted({ upstreamTls: 'off' });
    session.client('NOOP\r\n');
    session.client('AUTH TLS\r\n');
    expect(session.tlsLegs).toEqual([]);
    expect(session.clientLines()).toEqual(['220 ready']);
    session.server('200 NOOP ok\r\n');
    expect(session.clientLines().slice(1)).toEqual([
      '200 NOOP ok',
      '234 Proceed with negotiation.',
    ]);
    expect(session.tlsLegs).toEqual(['client']);
  });

  it('CVE-2011-0411: a command pipelined behind AUTH ends the session; no 234, no handshake', () => {
    const session = greeted({ upstreamTls: 'off' });
    session.client('AUTH TLS\r\nUSER injected\r\n');
    expect(session.toServer).toEqual([]);
    expect(session.tlsLegs).toEqual([]);
    expect(session.clientLines().at(-1)).toBe(
      '421 Closing: the control connection broke the protocol.',
    );
    expect(session.ended[0]?.error?.code).toBe('ERR_PROTOCOL');
  });

  it('replies the server sends during the client’s handshake wait for it, then go in order', () => {
    const session = greeted({ upstreamTls: 'off' });
    session.client('AUTH TLS\r\n');
    const before = session.clientText();
    session.server('211 a reply nobody asked for\r\n');
    // The client's connection carries its handshake: nothing may be written into it.
    expect(session.clientText()).toBe(before);
    session.core.tlsReady();
    expect(session.clientLines().at(-1)).toBe('211 a reply nobody asked for');
  });

  it.each([
    ['PBSZ 0', '503 Use AUTH TLS first.'],
    ['PROT P', '503 Use AUTH TLS first.'],
  ])('%s before AUTH is a bad sequence (RFC 2228), answered here', (line, reply) => {
    const session = greeted({ upstreamTls: 'off' });
    session.client(`${line}\r\n`);
    expect(session.toServer).toEqual([]);
    expect(session.clientLines().at(-1)).toBe(reply);
  });

  it.each([
    ['PROT S', '536 Protection level not supported; use C or P.'],
    ['PROT E', '536 Protection level not supported; use C or P.'],
    ['PROT X', '504 Unknown protection level; use C or P.'],
    ['PBSZ big', '501 PBSZ expects a decimal buffer size.'],
    ['PBSZ 16384', '200 PBSZ=0'],
  ])('%s on the client’s protected leg: %s', (line, reply) => {
    const session = clientOnTls({ upstreamTls: 'off' });
    session.client(`${line}\r\n`);
    expect(session.toServer).toEqual([]);
    expect(session.clientLines().at(-1)).toBe(reply);
    expect(session.core.dataProtection).toEqual({ client: false, server: false });
  });

  it('a PROT pipelined behind a transfer takes effect only after the transfer’s reply', () => {
    const session = clientOnTls({ upstreamTls: 'off' });
    session.client('PROT P\r\nPASV\r\n');
    session.server('227 ok (10,0,0,1,117,51)\r\n');
    session.client('RETR file\r\nPROT C\r\n');
    // The transfer's data connection is set up at the level before the PROT C.
    expect(session.core.dataProtection.client).toBe(true);
    expect(session.clientLines().at(-1)).toMatch(/^227 /);
    session.server('150 Opening\r\n226 Done\r\n');
    expect(session.core.dataProtection.client).toBe(false);
    expect(session.clientLines().slice(-3)).toEqual([
      '150 Opening',
      '226 Done',
      '200 Protection level set to Clear.',
    ]);
  });

  it('FEAT lists the proxy’s AUTH TLS, PBSZ and PROT in place of the server’s', () => {
    const session = greeted({ upstreamTls: 'off' });
    session.client('FEAT\r\n');
    session.server(
      '211-Features:\r\n EPSV\r\n AUTH SSL\r\n auth tls\r\n PBSZ\r\n PROT\r\n UTF8\r\n211 End\r\n',
    );
    expect(session.clientLines().slice(1)).toEqual([
      '211-Features:',
      ' EPSV',
      ' UTF8',
      ' AUTH TLS',
      ' PBSZ',
      ' PROT',
      '211 End',
    ]);
  });

  it('FEAT without a certificate lists none of them; a plain server’s FEAT gains them', () => {
    const bare = greeted({ upstreamTls: 'off', tls: false });
    bare.client('FEAT\r\n');
    bare.server('211-Features:\r\n AUTH TLS\r\n EPSV\r\n211 End\r\n');
    expect(bare.clientLines().slice(1)).toEqual(['211-Features:', ' EPSV', '211 End']);
    const plain = greeted({ upstreamTls: 'off' });
    plain.client('FEAT\r\n');
    plain.server('211 No features\r\n');
    expect(plain.clientLines().slice(1)).toEqual([
      '211-Features:',
      ' AUTH TLS',
      ' PBSZ',
      ' PROT',
      '211 End',
    ]);
  });

  it('implicit TLS toward the client, plain toward the server', () => {
    const session = greeted({ upstreamTls: 'off', implicitTls: true });
    expect(session.core.secure).toBe(true);
    expect(session.core.serverSecure).toBe(false);
    session.client('PBSZ 0\r\nPROT P\r\n');
    expect(session.toServer).toEqual([]);
    expect(session.core.dataProtection).toEqual({ client: true, server: false });
  });
});

describe('upstreamTls on: TLS toward the server, whatever the client does', () => {
  /** A session whose server has greeted and got the proxy's AUTH TLS. */
  function greetedOn(options: HarnessOptions = {}): CoreUnderTest {
    return greeted({ upstreamTls: 'on', tls: false, ...options });
  }

  it('sends AUTH TLS, PBSZ 0 and PROT P before the client’s commands, and hides the exchanges', () => {
    const session = greetedOn();
    expect(session.toServer).toEqual(['AUTH TLS\r\n']);
    // The client logs in meanwhile: its commands wait for the server's leg to be secure.
    session.client('USER anonymous\r\nPASS x\r\n');
    expect(session.toServer).toEqual(['AUTH TLS\r\n']);
    session.server('234 Proceed with negotiation.\r\n');
    expect(session.tlsLegs).toEqual(['server']);
    session.core.tlsReady();
    expect(session.core.serverSecure).toBe(true);
    expect(session.core.secure).toBe(false);
    expect(session.toServer.slice(1)).toEqual(['PBSZ 0\r\n', 'PROT P\r\n']);
    session.server('200 PBSZ set to 0.\r\n200 PROT now Private.\r\n');
    expect(session.toServer.slice(3)).toEqual(['USER anonymous\r\n', 'PASS x\r\n']);
    session.server('331 Please specify the password.\r\n');
    session.server('230 Login successful.\r\n');
    // The client saw its greeting and the answers to its own commands, nothing else.
    expect(session.clientLines()).toEqual([
      '220 ready',
      '331 Please specify the password.',
      '230 Login successful.',
    ]);
    expect(session.core.dataProtection).toEqual({ client: false, server: true });
  });

  it('a server that refuses AUTH TLS ends the session with 421: never a fall back to clear text', () => {
    const session = greetedOn();
    session.client('USER anonymous\r\n');
    session.server('530 Please login with USER and PASS.\r\n');
    expect(session.toServer).toEqual(['AUTH TLS\r\n']);
    expect(session.clientLines()).toEqual([
      '220 ready',
      '421 Service not available: the FTP server refused TLS.',
    ]);
    expect(session.ended[0]?.error?.code).toBe('ERR_TLS');
  });

  it('a server that refuses PROT P keeps its data connections clear; the session goes on', () => {
    const session = greetedOn();
    session.server('234 go\r\n');
    session.core.tlsReady();
    session.server('200 PBSZ=0\r\n534 PROT P refused.\r\n');
    expect(session.core.dataProtection).toEqual({ client: false, server: false });
    expect(session.log.some((line) => line.includes('refused PROT P'))).toBe(true);
    session.client('NOOP\r\n');
    expect(session.toServer.at(-1)).toBe('NOOP\r\n');
  });

  it('CVE-2021-22947: server bytes behind its 234 to the proxy’s AUTH end the session', () => {
    const session = greetedOn();
    session.server('234 go\r\n230 injected\r\n');
    expect(session.tlsLegs).toEqual([]);
    expect(session.clientText()).not.toContain('injected');
    expect(session.ended[0]?.error?.code).toBe('ERR_PROTOCOL');
  });

  it('a preliminary reply to a hidden command reaches nobody', () => {
    const session = greetedOn();
    session.server('234 go\r\n');
    session.core.tlsReady();
    session.server('150 odd\r\n200 PBSZ=0\r\n200 PROT P\r\n');
    expect(session.clientLines()).toEqual(['220 ready']);
    expect(session.core.dataProtection.server).toBe(true);
  });

  it('the client’s own AUTH TLS is answered for its leg alone; PROT sets its leg only', () => {
    const session = greetedOn({ tls: true });
    session.server('234 go\r\n');
    session.core.tlsReady();
    session.server('200 PBSZ=0\r\n200 PROT now Private.\r\n');
    session.client('AUTH TLS\r\n');
    expect(session.tlsLegs).toEqual(['server', 'client']);
    session.core.tlsReady();
    session.client('PBSZ 0\r\nPROT C\r\n');
    expect(session.toServer).toEqual(['AUTH TLS\r\n', 'PBSZ 0\r\n', 'PROT P\r\n']);
    expect(session.clientLines().slice(1)).toEqual([
      '234 Proceed with negotiation.',
      '200 PBSZ=0',
      '200 Protection level set to Clear.',
    ]);
    expect(session.core.dataProtection).toEqual({ client: false, server: true });
  });

  it('a greeting that refuses the session ends it before any AUTH', () => {
    const session = coreUnderTest({ upstreamTls: 'on', tls: false });
    session.server('421 Too many users.\r\n');
    expect(session.toServer).toEqual([]);
    expect(session.clientLines()).toEqual(['421 Too many users.']);
    expect(session.ended).toHaveLength(1);
  });
});

describe('upstreamData passive: the server never connects out', () => {
  it('PORT goes as PASV; the client gets its 200 once the server has answered', () => {
    const session = greeted({ upstreamData: 'passive' });
    session.client('PORT 198,51,100,7,200,1\r\n');
    expect(session.channels[0]!.request).toEqual({ mode: 'active-passive', clientPort: 51201 });
    expect(session.toServer).toEqual(['PASV\r\n']);
    expect(session.clientLines()).toEqual(['220 ready']);
    session.server('227 Entering Passive Mode (10,0,1,121,117,51).\r\n');
    expect(session.clientLines().at(-1)).toBe('200 PORT command successful.');
    expect(session.channels[0]).toMatchObject({ target: 30003, armed: true });
    session.client('RETR file\r\n');
    expect(session.channels[0]!.commandsSent).toBe(1);
    session.server('150 Opening\r\n226 Done\r\n');
    expect(session.clientLines().slice(-2)).toEqual(['150 Opening', '226 Done']);
  });

  it('EPRT goes as EPSV; the 229 becomes a 200', () => {
    const session = greeted({ upstreamData: 'passive' });
    session.client('EPRT |1|198.51.100.7|5000|\r\n');
    expect(session.toServer).toEqual(['EPSV\r\n']);
    session.server('229 Entering Extended Passive Mode (|||30004|)\r\n');
    expect(session.clientLines().at(-1)).toBe('200 EPRT command successful.');
    expect(session.channels[0]).toMatchObject({ target: 30004, armed: true });
  });

  it('PASV and EPSV stay as they are', () => {
    const session = greeted({ upstreamData: 'passive' });
    session.client('PASV\r\n');
    session.server('227 ok (10,0,0,1,117,51)\r\n');
    session.client('EPSV\r\n');
    session.server('229 ok (|||30004|)\r\n');
    expect(session.toServer).toEqual(['PASV\r\n', 'EPSV\r\n']);
    expect(session.clientLines().slice(1)).toEqual([
      '227 Entering Passive Mode (193,21,1,121,156,64).',
      '229 Entering Extended Passive Mode (|||40001|)',
    ]);
  });

  it('a server that refuses the PASV: the client hears the refusal, the channel is dropped', () => {
    const session = greeted({ upstreamData: 'passive' });
    session.client('PORT 198,51,100,7,200,1\r\n');
    session.server('425 Cannot open passive connection.\r\n');
    expect(session.clientLines().at(-1)).toBe('425 Cannot open passive connection.');
    expect(session.channels[0]!.open).toBe(false);
  });

  it('an answer of the wrong kind is withheld: a 227 to the EPSV sent for an EPRT', () => {
    const session = greeted({ upstreamData: 'passive' });
    session.client('EPRT |1|198.51.100.7|5000|\r\n');
    session.server('227 Entering Passive Mode (10,0,0,1,117,51).\r\n');
    expect(session.clientLines().at(-1)).toBe(
      '502 The server answered with a data address nobody asked for; the proxy withheld it.',
    );
    expect(session.channels[0]!.open).toBe(false);
  });

  it.each([
    ['PORT 6,6,6,6,4,1', "501 The data address may only name the client's own address."],
    ['PORT 198,51,100,7,0,25', '501 The data address may not name a port below 1024.'],
    ['EPRT |1|6.6.6.6|5000|', "501 The data address may only name the client's own address."],
  ])('the rules stay: %s is refused, nothing is sent', (line, reply) => {
    const session = greeted({ upstreamData: 'passive' });
    session.client(`${line}\r\n`);
    expect(session.toServer).toEqual([]);
    expect(session.channels).toEqual([]);
    expect(session.clientLines().at(-1)).toBe(reply);
  });

  it('a client the proxy cannot connect to gets 425 for its transfer, never the server’s 226', () => {
    const session = greeted({ upstreamData: 'passive' });
    session.client('PORT 198,51,100,7,200,1\r\n');
    session.server('227 ok (10,0,0,1,117,51)\r\n');
    session.client('RETR file\r\n');
    const channel = session.channels[0]!;
    channel.clientFailure = 'connect ECONNREFUSED';
    channel.clientUnreachable = true;
    session.server('150 Opening\r\n226 Done\r\n');
    expect(session.clientLines().at(-1)).toBe('425 Cannot open the data connection to the client.');
  });

  it('active mode refused stays refused', () => {
    const session = greeted({ upstreamData: 'passive', activeMode: 'refuse' });
    session.client('PORT 198,51,100,7,200,1\r\n');
    expect(session.toServer).toEqual([]);
    expect(session.clientLines().at(-1)).toMatch(/^502 /);
  });
});

describe('upstreamData epsv: EPSV toward the server for every data command', () => {
  it('a client’s PASV goes as EPSV; the client gets a 227 naming the proxy', () => {
    const session = greeted({ upstreamData: 'epsv' });
    session.client('PASV\r\n');
    expect(session.toServer).toEqual(['EPSV\r\n']);
    session.server('229 Entering Extended Passive Mode (|||30004|)\r\n');
    expect(session.clientLines().at(-1)).toBe('227 Entering Passive Mode (193,21,1,121,156,64).');
    expect(session.channels[0]).toMatchObject({ target: 30004, armed: true, port: 40000 });
  });

  it('a 227 to that EPSV is withheld, never rewritten', () => {
    const session = greeted({ upstreamData: 'epsv' });
    session.client('PASV\r\n');
    session.server('227 Entering Passive Mode (10,0,0,1,117,51).\r\n');
    expect(session.clientLines().at(-1)).toMatch(/^502 /);
  });

  it('PORT goes as EPSV too', () => {
    const session = greeted({ upstreamData: 'epsv' });
    session.client('PORT 198,51,100,7,200,1\r\n');
    expect(session.toServer).toEqual(['EPSV\r\n']);
    session.server('229 ok (|||30004|)\r\n');
    expect(session.clientLines().at(-1)).toBe('200 PORT command successful.');
  });

  it('EPSV ALL goes as the client sent it', () => {
    const session = greeted({ upstreamData: 'epsv' });
    session.client('EPSV ALL\r\n');
    expect(session.toServer).toEqual(['EPSV ALL\r\n']);
  });

  it('with passiveMode rewrite, PASV goes as EPSV and the 227 names the server’s port', () => {
    const session = greeted({ upstreamData: 'epsv', passiveMode: 'rewrite' });
    session.client('PASV\r\n');
    expect(session.toServer).toEqual(['EPSV\r\n']);
    session.server('229 ok (|||30004|)\r\n');
    expect(session.clientLines().at(-1)).toBe('227 Entering Passive Mode (193,21,1,121,117,52).');
    expect(session.channels).toEqual([]);
  });
});
