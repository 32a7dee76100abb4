import { ReplyFraming } from '@ftpwire/reply';
import { describe, expect, it } from 'vitest';

/** What `line` answers for each line, fed as a string's char codes. */
function frame(lines: readonly string[], framing = new ReplyFraming()): number[] {
  return lines.map((line) =>
    framing.line(
      line.charCodeAt(0),
      line.charCodeAt(1),
      line.charCodeAt(2),
      line.charCodeAt(3),
      line.length,
    ),
  );
}

describe('ReplyFraming (RFC 959 §4.2)', () => {
  it('ends a single-line reply at "ddd text" and at a code alone', () => {
    expect(frame(['220 ready', '200', '226 '])).toEqual([220, 200, 226]);
  });

  it('opens at "ddd-" and closes only at the same code with a space or alone', () => {
    const framing = new ReplyFraming();
    expect(frame(['211-Features:', ' SIZE'], framing)).toEqual([0, 0]);
    expect(framing.open).toBe(211);
    expect(frame(['200 other', '211-again', '211x', '', '21', '211 End'], framing)).toEqual([
      0, 0, 0, 0, 0, 211,
    ]);
    expect(framing.open).toBe(0);
    expect(frame(['250-a', '250'], framing)).toEqual([0, 250]);
  });

  it('reads codes 100 to 699 and nothing else at a reply start', () => {
    expect(
      frame(['100 a', '699 b', '099 c', '700 d', '1x0 e', '12', '', '220\tx', 'USER x']),
    ).toEqual([100, 699, -1, -1, -1, -1, -1, -1, -1]);
  });

  it('reads bytes as it reads char codes, and never reads past the length', () => {
    const framing = new ReplyFraming();
    const bytes = new TextEncoder().encode('227 Entering Passive Mode (10,0,1,121,15,6).');
    expect(framing.line(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!, bytes.length)).toBe(227);
    // The unit at the length is the "-" of what follows the line; a code alone is whole.
    expect(framing.line(0x32, 0x32, 0x30, 0x2d, 3)).toBe(220);
    expect(framing.line(0x32, 0x32, 0x2d, 0x20, 2)).toBe(-1);
  });

  it('reset forgets an open reply', () => {
    const framing = new ReplyFraming();
    frame(['220-banner'], framing);
    framing.reset();
    expect(frame(['331 password'], framing)).toEqual([331]);
  });
});

describe('ReplyFraming lenientClose (curl, Apache commons-net)', () => {
  const glftpd = ['553-', '553- Directory excluded (precheck).', '150 Opening BINARY mode.'];

  it("closes glFTPd's 553- reply at its 150 line, with the closing line's code", () => {
    const framing = new ReplyFraming({ lenientClose: true });
    expect(frame(glftpd, framing)).toEqual([0, 0, 150]);
    expect(framing.open).toBe(0);
    expect(framing.lenientClose).toBe(true);
  });

  it('leaves it open by default, as RFC 959 reads it', () => {
    const framing = new ReplyFraming();
    expect(frame(glftpd, framing)).toEqual([0, 0, 0]);
    expect(framing.open).toBe(553);
    expect(framing.lenientClose).toBe(false);
  });

  it('takes only "ddd " with a code from 100 to 699: not a code alone, "ddd-", or other digits', () => {
    const framing = new ReplyFraming({ lenientClose: true });
    expect(
      frame(['211-Features:', '150', '226-x', '000 x', '700 y', ' 226 z', '226 End'], framing),
    ).toEqual([0, 0, 0, 0, 0, 0, 226]);
  });

  it('still closes at the opening code alone', () => {
    expect(frame(['250-a', '250'], new ReplyFraming({ lenientClose: true }))).toEqual([0, 250]);
  });
});
