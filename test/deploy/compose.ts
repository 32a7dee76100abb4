// The subset of YAML examples/docker/docker-compose.yml is written in, read without a YAML
// library: services as two-space keys, their scalar keys, and block lists (`command`, `ports`)
// of double-quoted strings.

export interface ComposeService {
  readonly name: string;
  readonly keys: Map<string, string>;
  readonly command: string[] | undefined;
  readonly ports: string[];
}

export function readCompose(text: string): ComposeService[] {
  const lines = text.split('\n');
  const start = lines.indexOf('services:');
  if (start < 0) throw new Error('no services:');
  const services: ComposeService[] = [];
  let current: { name: string; lines: string[] } | undefined;
  const finish = () => {
    if (!current) return;
    const keys = new Map<string, string>();
    const lists = new Map<string, string[]>();
    let list: string[] | undefined;
    for (const line of current.lines) {
      const key = /^ {4}([a-z_]+):\s*(.*)$/.exec(line);
      if (key) {
        keys.set(key[1]!, key[2]!);
        list = [];
        lists.set(key[1]!, list);
        continue;
      }
      const item = /^ {6}- "((?:[^"\\]|\\.)*)"$/.exec(line);
      if (item) list?.push(JSON.parse(`"${item[1]}"`) as string);
    }
    services.push({
      name: current.name,
      keys,
      command: lists.get('command'),
      ports: lists.get('ports') ?? [],
    });
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
