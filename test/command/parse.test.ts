import { CommandError, CommandParser, parseCommand } from '@ftpwire/command';
import { describe, expect, it } from 'vitest';

const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text);

describe('parseCommand', () => {
  it('upper-cases the verb and keeps the argument byte for byte', () => {
    const command = parseCommand('retr  my file.txt \r\n');
    expect(command.verb).toBe('RETR');
    expect(command.argument).toBe(' my file.txt ');
    expect(Array.from(command.rawArgument)).toEqual(Array.from(bytes(' my file.txt ')));
  });

  it('parses a verb without argument, with CRLF, bare LF or no terminator', () => {
    for (const line of ['PASV\r\n', 'pasv\n', 'Pasv']) {
      expect(parseCommand(line)).toMatchObject({ verb: 'PASV', argument: '' });
      expect(parseCommand(bytes(line))).toMatchObject({ verb: 'PASV', argument: '' });
    }
  });

  it('treats a trailing space as an empty argument', () => {
    expect(parseCommand('NOOP \r\n')).toMatchObject({ verb: 'NOOP', argument: '' });
  });

  it('gives the same command for string and byte input', () => {
    for (const line of ['PORT 10,0,1,121,15,6\r\n', 'EPRT |2|::1|6446|', 'SITE CHMOD 755 a b']) {
      const { verb, argument } = parseCommand(line);
      expect(parseCommand(bytes(line))).toMatchObject({ verb, argument });
    }
  });

  it('decodes UTF-8 arguments (RFC 2640) and keeps undecodable bytes in rawArgument', () => {
    expect(parseCommand(bytes('STOR résumé.pdf\r\n')).argument).toBe('résumé.pdf');
    const latin1 = Uint8Array.of(0x52, 0x45, 0x54, 0x52, 0x20, 0x63, 0x61, 0x66, 0xe9); // "RETR caf\xe9"
    const command = parseCommand(latin1);
    expect(command.argument).toBe('caf\ufffd');
    expect(Array.from(command.rawArgument)).toEqual([0x63, 0x61, 0x66, 0xe9]);
  });

  it('keeps a lone CR inside the argument as data', () => {
    expect(parseCommand('RETR a\rb\r\n').argument).toBe('a\rb');
  });

  it('refuses lines that are not VERB [argument]', () => {
    for (const line of ['', '\r\n', ' USER x', 'US3R x', 'USER\tx', '227 PASV OK', '\xffABOR']) {
      expect(() => parseCommand(line), JSON.stringify(line)).toThrowError(
        expect.objectContaining({ code: 'ERR_MALFORMED_COMMAND' }),
      );
    }
  });

  it('refuses a second line (ERR_TRAILING_DATA) with the offset of the line feed', () => {
    try {
      parseCommand('USER a\r\nDELE b\r\n');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CommandError);
      expect(error).toMatchObject({ code: 'ERR_TRAILING_DATA', offset: 7 });
    }
    expect(() => parseCommand(bytes('USER a\nDELE b'))).toThrowError(
      expect.objectContaining({ code: 'ERR_TRAILING_DATA', offset: 6 }),
    );
  });

  it('quotes at most a few dozen escaped bytes of a malformed line', () => {
    try {
      parseCommand(bytes(`1${'x'.repeat(200)}`));
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(140);
      expect((error as Error).message).toContain('...');
    }
  });
});

describe('CommandParser', () => {
  it('returns the commands a chunk completes, with stream offsets', () => {
    const parser = new CommandParser();
    expect(parser.push(bytes('USER anonymous\r\nPA'))).toMatchObject([
      { verb: 'USER', argument: 'anonymous', offset: 0 },
    ]);
    expect(parser.idle).toBe(false);
    expect(parser.push(bytes('SS x\r\n'))).toMatchObject([
      { verb: 'PASS', argument: 'x', offset: 16 },
    ]);
    expect(parser.end()).toEqual([]);
  });

  it('delivers a last line without terminator at end()', () => {
    const parser = new CommandParser();
    parser.push(bytes('QUIT'));
    expect(parser.end()).toMatchObject([{ verb: 'QUIT', argument: '' }]);
  });

  it('throws on a malformed line unless onMalformedLine is given, then skips it', () => {
    expect(() => new CommandParser().push(bytes('\r\n'))).toThrowError(
      expect.objectContaining({ code: 'ERR_MALFORMED_COMMAND', offset: 0 }),
    );
    const malformed: CommandError[] = [];
    const parser = new CommandParser({ onMalformedLine: (error) => malformed.push(error) });
    expect(parser.push(bytes('NOOP\r\n?? what\r\nQUIT\r\n'))).toMatchObject([
      { verb: 'NOOP' },
      { verb: 'QUIT' },
    ]);
    expect(malformed).toMatchObject([{ code: 'ERR_MALFORMED_COMMAND', offset: 6 }]);
  });

  it('decodes Telnet IP and DM before ABOR when telnet is on (RFC 959 §4.1.3)', () => {
    const telnet: string[] = [];
    const parser = new CommandParser({
      telnet: true,
      onTelnetCommand: (command) => telnet.push(command.name),
    });
    const abor = Uint8Array.of(0xff, 0xf4, 0xff, 0xf2, ...bytes('ABOR\r\n'));
    expect(parser.push(abor)).toMatchObject([{ verb: 'ABOR', argument: '' }]);
    expect(telnet).toEqual(['IP', 'DM']);
  });

  it('refuses a line longer than maxLineLength as soon as it passes the limit', () => {
    const parser = new CommandParser({ maxLineLength: 16 });
    expect(() => parser.push(bytes(`STOR ${'a'.repeat(40)}`))).toThrowError(
      expect.objectContaining({ code: 'ERR_LINE_TOO_LONG', name: 'CommandError' }),
    );
    // The parser stays failed.
    expect(() => parser.push(bytes('NOOP\r\n'))).toThrowError(
      expect.objectContaining({ code: 'ERR_LINE_TOO_LONG' }),
    );
  });

  it('refuses an invalid maxLineLength', () => {
    expect(() => new CommandParser({ maxLineLength: 0 })).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
  });
});
