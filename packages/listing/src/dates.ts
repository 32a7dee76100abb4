const CASE_BIT = 0x20;
const DAY = 86_400_000;

/**
 * How far past `now` a year-less date may lie and still be this year: a server's wall clock
 * runs up to 14 hours ahead of UTC (UTC+14), and its clock may be a little fast.
 */
const FUTURE_SLACK = DAY;

/** The three folded letters of each month, packed as `(c1 << 16) | (c2 << 8) | c3`. */
const MONTHS = new Map(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map(
    (name, index) => [
      (name.charCodeAt(0) << 16) | (name.charCodeAt(1) << 8) | name.charCodeAt(2),
      index,
    ],
  ),
);

/** The month (0-11) whose English abbreviation is `text[at, at + 3)`, in any case, or -1. */
export function monthAt(text: string, at: number): number {
  const key =
    ((text.charCodeAt(at) | CASE_BIT) << 16) |
    ((text.charCodeAt(at + 1) | CASE_BIT) << 8) |
    (text.charCodeAt(at + 2) | CASE_BIT);
  return MONTHS.get(key) ?? -1;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 1) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 3 || month === 5 || month === 8 || month === 10 ? 30 : 31;
}

/**
 * Milliseconds since 1970 of a UTC date and time, computed (H. Hinnant's days-from-civil) rather
 * than through `Date.UTC`: a call into the runtime per line cost more than the rest of a line.
 * `month` is 0-11; the day must exist in the month.
 */
function utc(year: number, month: number, day: number, hour: number, minute: number): number {
  const y = month < 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 10) % 12) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return (era * 146_097 + dayOfEra - 719_468) * DAY + hour * 3_600_000 + minute * 60_000;
}

/** The UTC year of `now`, for a listing whose lines all share one `now`. */
let yearFor = Number.NaN;
let yearOfNow = 0;
function yearOf(now: number): number {
  if (now !== yearFor) {
    yearFor = now;
    yearOfNow = new Date(now).getUTCFullYear();
  }
  return yearOfNow;
}

/**
 * The time of a year-less `ls -l` date (`Nov 27 09:12`): the latest such moment not after
 * `now` (plus the slack of a server clock ahead of UTC). `ls` prints the time only for dates
 * within the last six months, FileZilla Server within the last 350 days; either way the latest
 * past date is the right one. February 29 goes back to the last leap year. NaN when the day
 * does not exist in the month.
 */
export function recentDate(
  month: number,
  day: number,
  hour: number,
  minute: number,
  now: number,
): number {
  let year = yearOf(now);
  for (let tries = 0; tries < 9; tries++, year--) {
    if (day > daysInMonth(year, month)) continue;
    const time = utc(year, month, day, hour, minute);
    if (time <= now + FUTURE_SLACK) return time;
  }
  return Number.NaN;
}

/** A date with its year given, or NaN when the day does not exist in that month. */
export function fullDate(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
): number {
  if (month < 0 || month > 11 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  return utc(year, month, day, hour, minute);
}

/**
 * A two-digit year as POSIX `strptime` `%y` reads it: 69-99 are 1969-1999, 00-68 are
 * 2000-2068.
 */
export function fullYear(twoDigits: number): number {
  return twoDigits >= 69 ? 1900 + twoDigits : 2000 + twoDigits;
}
