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
