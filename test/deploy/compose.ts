// The subset of YAML examples/docker/docker-compose.yml is written in, read without a YAML
// library: services as two-space keys, their scalar keys, `ports` lists, and `command` as a JSON
// array (JSON is YAML's flow syntax), which may span lines.

export interface ComposeService {
  readonly name: string;
  readonly keys: Map<string, string>;
  readonly command: string[] | undefined;
  readonly ports: string[];
}

/** The JSON array starting at `at` (a `[`), through its matching `]`, strings respected. */
function jsonArray(text: string, at: number): string {
  let depth = 0;
  let inString = false;
  for (let i = at; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return text.slice(at, i + 1);
  }
  throw new Error('unclosed command array');
}

export function readCompose(text: string): ComposeService[] {
  const lines = text.split('\n');
  const start = lines.indexOf('services:');
  if (start < 0) throw new Error('no services:');
  const services: ComposeService[] = [];
  let current: { name: string; lines: string[] } | undefined;
  const finish = () => {
    if (!current) return;
    const body = current.lines.join('\n');
    const keys = new Map<string, string>();
    const ports: string[] = [];
    let inPorts = false;
    for (const line of current.lines) {
      const key = /^ {4}([a-z_]+):\s*(.*)$/.exec(line);
      if (key) {
        keys.set(key[1]!, key[2]!);
        inPorts = key[1] === 'ports';
        continue;
      }
      const item = /^ {6}- "([^"]+)"$/.exec(line);
      if (inPorts && item) ports.push(item[1]!);
    }
    const at = body.search(/^ {4}command: \[/m);
    const command =
      at < 0 ? undefined : (JSON.parse(jsonArray(body, body.indexOf('[', at))) as string[]);
    services.push({ name: current.name, keys, command, ports });
  };
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    const service = /^ {2}([a-z0-9_-]+):$/.exec(line);
    if (service) {
      finish();
      current = { name: service[1]!, lines: [] };
    } else current?.lines.push(line);
  }
  finish();
  return services;
}
