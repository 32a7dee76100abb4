/**
 * A lower bound for the listing targets: what any parser that reads a LIST or MLSD line as
 * text must at least spend on this machine's runtime. Each line is cut out as the ftpwire
 * contenders cut it, each of its characters read once with `charCodeAt` (where the line's
 * fields are), and one object made per line with the name sliced off: no field is checked,
 * no number or date read. It must see every entry of the listing, or the file throws at load.
 */
export function touchFloor(text: string): number {
  let sum = 0;
  for (let start = 0; start < text.length; ) {
    let lf = text.indexOf('\n', start);
    if (lf === -1) lf = text.length;
    const end = lf > start && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
    const line = text.slice(start, end);
    let lastSpace = 0;
    for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) === 0x20) lastSpace = i;
    const entry = { name: line.slice(lastSpace + 1), line };
    sum += entry.name.length + 1;
    start = lf + 1;
  }
  return sum;
}

/**
 * `touchFloor` that also makes the entry a LIST parser returns, with no field read or checked:
 * the same eleven fields in one object literal, a `Date` for `modified` (an own field: entries
 * are copied with `{ ...entry }` and `structuredClone`), the name sliced off and, for `ls -l`
 * lines, the owner and the group sliced (at fixed columns; a slice that short is a copy
 * wherever it is). The permission letters are not sliced: a parser can keep the handful a
 * listing uses. What the allocations cost on top of reading: no LIST parser that returns these
 * entries can be faster.
 */
export function entryFloor(text: string, unix: boolean): number {
  let sum = 0;
  for (let start = 0; start < text.length; ) {
    let lf = text.indexOf('\n', start);
    if (lf === -1) lf = text.length;
    const end = lf > start && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
    const line = text.slice(start, end);
    let lastSpace = 0;
    for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) === 0x20) lastSpace = i;
    const entry = {
      dialect: unix ? 'unix' : 'dos',
      name: line.slice(lastSpace + 1),
      rawName: undefined,
      type: 'file',
      size: lastSpace,
      modified: new Date(lastSpace * 60_000),
      link: undefined,
      permissions: unix ? 'rw-r--r--' : undefined,
      owner: unix ? line.slice(15, 19) : undefined,
      group: unix ? line.slice(24, 28) : undefined,
      line,
    };
    sum += entry.name.length + 1 + (entry.modified.getTime() > 0 ? 1 : 0);
    start = lf + 1;
  }
  return sum;
}
