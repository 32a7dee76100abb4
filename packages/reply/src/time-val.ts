import { ReplyError } from './errors.js';
import { quoteText } from './text.js';

const CODE = 'ERR_INVALID_TIME_VAL';
const ZERO = 0x30;
const DOT = 0x2e;

/** `text[start, start + 2)` as a number; the caller has checked that they are digits. */
function twoDigits(text: string, start: number): number {
  return (text.charCodeAt(start) - ZERO) * 10 + text.charCodeAt(start + 1) - ZERO;
}

function isDigit(unit: number): boolean {
  return unit >= ZERO && unit <= 0x39;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function invalid(text: string, start: number, end: number, at: number, what: string): ReplyError {
  return new ReplyError(CODE, `${what} in the time-val ${quoteText(text, start, end)}`, at);
}

/**
 * Reads the time-val `text[start, end)` as milliseconds since the epoch; errors carry offsets
 * in `text`, so a reply parser can point into the reply.
 */
export function readTimeVal(text: string, start: number, end: number): number {
  let digits = start;
  while (digits < end && digits - start < 14 && isDigit(text.charCodeAt(digits))) digits++;
  if (digits - start < 14) {
    throw invalid(text, start, end, digits, 'expected 14 digits YYYYMMDDHHMMSS');
  }
  let millisecond = 0;
  if (digits < end) {
    if (text.charCodeAt(digits) !== DOT || digits + 1 === end) {
      throw invalid(text, start, end, digits, 'expected the end or "." and fraction digits');
    }
    // RFC 3659 §2.3: any number of fraction digits. Kept to the millisecond by truncation, so
    // 23:59:59.9999 never becomes the next day.
    for (let i = digits + 1, scale = 100; i < end; i++, scale /= 10) {
      const unit = text.charCodeAt(i);
      if (!isDigit(unit)) throw invalid(text, start, end, i, 'expected a fraction digit');
      if (scale >= 1) millisecond += (unit - ZERO) * scale;
    }
  }
  const year = twoDigits(text, start) * 100 + twoDigits(text, start + 2);
  const month = twoDigits(text, start + 4);
  const day = twoDigits(text, start + 6);
  const hour = twoDigits(text, start + 8);
  const minute = twoDigits(text, start + 10);
  const second = twoDigits(text, start + 12);
  // RFC 3659 §2.3: years 1000-9999, months 01-12, days 01-31 (of that month), hours 00-23,
  // minutes 00-59, seconds 00-60 "with 60 being used only at a leap second".
  if (year < 1000) throw invalid(text, start, end, start, `year ${year} is before 1000`);
  if (month < 1 || month > 12) {
    throw invalid(text, start, end, start + 4, `month ${month} is not 01-12`);
  }
  const lastDay = daysInMonth(year, month);
  if (day < 1 || day > lastDay) {
    throw invalid(text, start, end, start + 6, `day ${day} is not 01-${lastDay} of month ${month}`);
  }
  if (hour > 23) throw invalid(text, start, end, start + 8, `hour ${hour} is over 23`);
  if (minute > 59) throw invalid(text, start, end, start + 10, `minute ${minute} is over 59`);
  // A leap second is inserted only as 23:59:60 UTC on the last day of a month (ITU-R TF.460);
  // any other 60 is a wrong clock, not a leap second.
  const leap = second === 60 && hour === 23 && minute === 59 && day === lastDay;
  if (second > 59 && !leap) {
    throw invalid(
      text,
      start,
      end,
      start + 12,
      `second ${second} is over 59 (60 only at 23:59 on a month's last day)`,
    );
  }
  // Date.UTC carries second 60 into the next minute: a leap second reads as the first
  // second after it, as POSIX time counts it.
  return Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
}

/**
 * Reads an RFC 3659 §2.3 time-val, `YYYYMMDDHHMMSS[.F+]`, always in UTC, as MLSD's `modify`
 * and `create` facts and the 213 reply to MDTM carry it. Fraction digits are kept to the
 * millisecond (the rest are dropped, never rounded up). Exactly the grammar: no spaces, no
 * sign, no time zone. A date that does not exist (month 13, February 30, hour 24, second 61)
 * throws `ReplyError` `ERR_INVALID_TIME_VAL` at the offending field; so does second 60 anywhere
 * but 23:59:60 on the last day of a month, the only place a leap second is inserted. A leap
 * second reads as the first millisecond of the next minute, as POSIX time counts it (a `Date`
 * has no second 60).
 *
 * @param text the time-val alone, without the reply code or fact name around it
 * @example
 * ```ts
 * import { parseTimeVal } from '@ftpwire/reply';
 *
 * parseTimeVal('20240229134501').toISOString(); // => '2024-02-29T13:45:01.000Z'
 * parseTimeVal('20240229134501.1234').toISOString(); // => '2024-02-29T13:45:01.123Z'
 * parseTimeVal('20161231235960').toISOString(); // => '2017-01-01T00:00:00.000Z'
 * parseTimeVal('20230229134501'); // throws ReplyError ERR_INVALID_TIME_VAL at offset 6
 * ```
 */
export function parseTimeVal(text: string): Date {
  return new Date(readTimeVal(text, 0, text.length));
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * Formats a `Date` as an RFC 3659 §2.3 time-val in UTC: `YYYYMMDDHHMMSS`, then `.sss` only
 * when the date has milliseconds (RFC 3659: never add precision the value does not have).
 * Throws `ReplyError` `ERR_INVALID_TIME_VAL` for an invalid `Date` or a year outside
 * 1000-9999, which a time-val cannot express.
 *
 * @example
 * ```ts
 * import { formatTimeVal } from '@ftpwire/reply';
 *
 * formatTimeVal(new Date('2024-02-29T13:45:01Z')); // => '20240229134501'
 * formatTimeVal(new Date('2024-02-29T13:45:01.5Z')); // => '20240229134501.500'
 * formatTimeVal(new Date(Number.NaN)); // throws ReplyError ERR_INVALID_TIME_VAL
 * ```
 */
export function formatTimeVal(date: Date): string {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new ReplyError(CODE, 'cannot format an invalid Date', 0);
  const year = date.getUTCFullYear();
  if (year < 1000 || year > 9999) {
    throw new ReplyError(CODE, `a time-val has years 1000-9999, got ${year}`, 0);
  }
  const millisecond = date.getUTCMilliseconds();
  return (
    pad(year, 4) +
    pad(date.getUTCMonth() + 1, 2) +
    pad(date.getUTCDate(), 2) +
    pad(date.getUTCHours(), 2) +
    pad(date.getUTCMinutes(), 2) +
    pad(date.getUTCSeconds(), 2) +
    (millisecond === 0 ? '' : `.${pad(millisecond, 3)}`)
  );
}
