import {
  formatFeatureReply,
  formatPathnameReply,
  formatTimeVal,
  parseFeatureReply,
  parseModificationTimeReply,
  parsePathnameReply,
  parseReply,
  parseSizeReply,
  parseTimeVal,
  parseTransferSize,
  type Reply,
  ReplyError,
} from '@ftpwire/reply';
import { serverTranscripts } from '../../fixtures/replies.js';
import {
  modificationTimeReplies,
  pathnameReplies,
  sizeReplies,
  transferSizeReplies,
} from '../../fixtures/reply-meanings.js';
import { assertLaw, type FuzzTarget } from '../target.js';

const encoder = new TextEncoder();
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

type Outcome = { readonly value: unknown } | { readonly error: string };

/** Runs `parse`; a ReplyError becomes its code, anything else propagates (a broken law). */
function attempt(parse: () => unknown): Outcome {
  try {
    const value = parse();
    return {
      value: value instanceof Date ? value.getTime() : value instanceof Map ? [...value] : value,
    };
  } catch (error) {
    if (error instanceof ReplyError) return { error: error.code };
    throw error;
  }
}

const same = (a: Outcome, b: Outcome): boolean => JSON.stringify(a) === JSON.stringify(b);

/** ftplib's parse150 pattern as a JavaScript regex: `.` there excludes only LF. */
const PARSE150 = /^150 [^\n]* \((\d+) bytes\)/i;

function checkPathname(text: string, reply: Reply | undefined): void {
  const direct = attempt(() => parsePathnameReply(text));
  if (reply) {
    assertLaw(
      same(
        direct,
        attempt(() => parsePathnameReply(reply)),
      ),
      '257: text and Reply differ',
    );
  }
  if (!('value' in direct)) return;
  const path = direct.value as string;
  assertLaw(path !== '' && !/[\r\n\0]/.test(path), `257: read ${JSON.stringify(path)}`);
  assertLaw(
    parsePathnameReply(formatPathnameReply(path)) === path,
    `257: format then parse changed ${JSON.stringify(path)}`,
  );
}

function checkFeatures(text: string, reply: Reply | undefined): void {
  const direct = attempt(() => parseFeatureReply(text));
  if (reply) {
    assertLaw(
      same(
        direct,
        attempt(() => parseFeatureReply(reply)),
      ),
      'FEAT: text and Reply differ',
    );
  }
  if (!('value' in direct)) return;
  const features = new Map(direct.value as [string, string][]);
  for (const [name, value] of features) {
    assertLaw(name !== '' && name === name.toUpperCase(), `FEAT: key ${JSON.stringify(name)}`);
    assertLaw(!/^[ \t]|[ \t]$/.test(value), `FEAT: value ${JSON.stringify(value)} not trimmed`);
  }
  const formatted = attempt(() => formatFeatureReply(features));
  if ('value' in formatted) {
    const again = attempt(() => parseFeatureReply(formatted.value as string));
    assertLaw(same(again, direct), 'FEAT: format then parse changed the features');
  }
}

function checkSize(text: string, reply: Reply | undefined): void {
  const direct = attempt(() => parseSizeReply(text));
  if (reply)
    assertLaw(
      same(
        direct,
        attempt(() => parseSizeReply(reply)),
      ),
      'SIZE: text and Reply differ',
    );
  if (!('value' in direct)) return;
  const size = direct.value as number;
  assertLaw(Number.isSafeInteger(size) && size >= 0, `SIZE: read ${size}`);
  const digits = /^213 +(\d+)/.exec(text)?.[1];
  assertLaw(
    digits !== undefined && BigInt(digits) === BigInt(size),
    `SIZE: ${size} is not the digits`,
  );
}

function checkTime(text: string, reply: Reply | undefined): void {
  const direct = attempt(() => parseModificationTimeReply(text));
  if (reply) {
    assertLaw(
      same(
        direct,
        attempt(() => parseModificationTimeReply(reply)),
      ),
      'MDTM: text and Reply differ',
    );
  }
  if ('value' in direct) checkDate(direct.value as number, 'MDTM');
}

function checkDate(time: number, what: string): void {
  assertLaw(Number.isFinite(time), `${what}: an invalid Date`);
  const date = new Date(time);
  const year = date.getUTCFullYear();
  if (year >= 1000 && year <= 9999) {
    assertLaw(
      parseTimeVal(formatTimeVal(date)).getTime() === time,
      `${what}: round trip changed ${time}`,
    );
  }
}

function checkTransferSize(text: string, reply: Reply | undefined): void {
  const direct = attempt(() => parseTransferSize(text));
  if (reply) {
    assertLaw(
      same(
        direct,
        attempt(() => parseTransferSize(reply)),
      ),
      '150: text and Reply differ',
    );
  }
  if (!('value' in direct) || !reply || reply.lines.length > 1) return;
  // The model reads the line as ftplib's regex does (short lines only: it backtracks).
  const line = reply.lines[0]!;
  if (line.length > 2000) return;
  const match = PARSE150.exec(line);
  assertLaw(
    direct.value === (match ? Number(match[1]) : undefined),
    `150: read ${String(direct.value)}, ftplib's pattern ${match?.[1]}`,
  );
}

export const replyMeaningsTarget: FuzzTarget = {
  name: 'reply/meanings',
  errorClass: ReplyError,
  seeds: [
    ...pathnameReplies.map((f) => f.reply),
    ...transferSizeReplies.map((f) => f.reply),
    ...sizeReplies.map((f) => f.reply),
    ...modificationTimeReplies.map((f) => f.reply),
    ...serverTranscripts
      .flatMap((t) => t.replies)
      .filter((r) => r.code === 211)
      .map((r) => r.lines.join('\r\n')),
  ].map((text) => encoder.encode(text)),
  tokens: [
    '257 ',
    '211-',
    '211 ',
    '213 ',
    '150 ',
    '"',
    '""',
    ' ',
    '\r\n',
    ' (',
    ' bytes)',
    ' BYTES)',
    '0',
    '9',
    '20240229134501',
    '20161231235960',
    '1912',
    '.',
    ';',
    '\xc3\xa9',
  ],
  run(data) {
    const text = lenient.decode(data);
    // The text as sent, and behind each code, so that every parser sees its own code.
    for (const candidate of [
      text,
      `257 ${text}`,
      `211-x\r\n${text}\r\n211 End`,
      `213 ${text}`,
      `150 ${text}`,
    ]) {
      const framed = attempt(() => parseReply(candidate));
      const reply = 'value' in framed ? parseReply(candidate) : undefined;
      checkPathname(candidate, reply);
      checkFeatures(candidate, reply);
      checkSize(candidate, reply);
      checkTime(candidate, reply);
      checkTransferSize(candidate, reply);
    }
    const timeVal = attempt(() => parseTimeVal(text));
    if ('value' in timeVal) checkDate(timeVal.value as number, 'time-val');
  },
};
