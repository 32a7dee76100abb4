// Just enough of the Dockerfile language to check what an image would hold without a container
// engine: instructions with line continuations and comments, ARG defaults in FROM, COPY with
// its flags, WORKDIR, USER, and the JSON forms of ENTRYPOINT and CMD.

export interface Instruction {
  readonly keyword: string;
  readonly text: string;
  readonly line: number;
}

export function parseDockerfile(source: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = '';
  let start = 0;
  source.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) return;
    if (pending === '') start = index + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      return;
    }
    const whole = pending + line;
    pending = '';
    const space = whole.indexOf(' ');
    instructions.push({
      keyword: whole.slice(0, space).toUpperCase(),
      text: whole.slice(space + 1).trim(),
      line: start,
    });
  });
  return instructions;
}

export interface Copy {
  readonly sources: string[];
  readonly destination: string;
  readonly from: string | undefined;
}

export function parseCopy(text: string): Copy {
  const words = text.split(/\s+/);
  let from: string | undefined;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift()!;
    if (flag.startsWith('--from=')) from = flag.slice(7);
  }
  const destination = words.pop()!;
  return { sources: words, destination, from };
}

/** `["node", "x.js"]`: the exec form, the only one the checks accept. */
export function execForm(text: string): string[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every((word) => typeof word === 'string')) {
    throw new Error(`not the exec form: ${text}`);
  }
  return parsed;
}
