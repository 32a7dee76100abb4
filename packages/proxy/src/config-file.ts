import type { RawArguments as RawValues } from './arguments.js';
import { ProxyError, quote } from './errors.js';
import { OPTION_SPEC_BY_NAME as SPECS } from './option-specs.js';

/** Reads the file `--config` names, as text (the CLI's reads it with `readFileSync`). */
export type ReadConfigFile = (path: string) => string;

/** Options a file cannot set: they ask for something other than running a proxy. */
const COMMAND_ONLY = new Set(['--help', '--version', '--config']);

/**
 * Values from the file carry indexes from here down (-2, -3, ...), so that an error about one
 * can be traced back to its key: -1 already means "no argument in particular".
 */
const FIRST_FILE_INDEX = -2;

function invalid(message: string, index = -1): ProxyError {
  return new ProxyError('ERR_INVALID_OPTION', message, index);
}

/** One key's value as the command line would have given it. */
function textOf(value: unknown, file: string, key: string): string {
  if (typeof value === 'string') return value;
  // Numbers as their decimal text ("max-sessions": 64); the option's own parser checks them.
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw invalid(`${file}: "${key}" takes a string or a number, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : quote(String(value));
}

/**
 * The options of a JSON config file, by the table of command-line options: each key is an
 * option's long name without its dashes (`"passive-ports": "40000-40099"`); a flag takes `true`
 * or `false`; a repeatable option a list of values (or one); values are strings as on the
 * command line, numbers allowed. Unknown keys are errors naming the key.
 */
export function readConfigFile(
  text: string,
  file: string,
): { values: RawValues; keys: readonly string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(`${file}: not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid(`${file}: expected a JSON object of options, got ${describe(parsed)}`);
  }
  const values = new Map<string, { value: string; index: number }[]>();
  const keys: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    const name = `--${key}`;
    const spec = SPECS.get(name);
    if (spec === undefined || key.startsWith('-')) {
      const hint = key.startsWith('--') && SPECS.has(key) ? ` (write "${key.slice(2)}")` : '';
      throw invalid(`${file}: unknown key ${quote(key)}${hint}`);
    }
    if (COMMAND_ONLY.has(name)) throw invalid(`${file}: "${key}" cannot be set in a config file`);
    const index = FIRST_FILE_INDEX - keys.length;
    keys.push(key);
    if (spec.value === undefined) {
      if (typeof value !== 'boolean') {
        throw invalid(`${file}: "${key}" takes true or false, got ${describe(value)}`);
      }
      if (value) values.set(name, [{ value: '', index }]);
      continue;
    }
    if (Array.isArray(value)) {
      if (!spec.repeatable) throw invalid(`${file}: "${key}" takes one value, got a list`);
      values.set(
        name,
        value.map((item) => ({ value: textOf(item, file, key), index })),
      );
      continue;
    }
    values.set(name, [{ value: textOf(value, file, key), index }]);
  }
  return { values, keys };
}

/**
 * The command line with the file named by `--config` under it: an option given on the command
 * line replaces the file's value for that key entirely (a repeatable one too). Without
 * `--config` the command line is returned as it is.
 */
export function withConfigFile(
  argv: RawValues,
  readFile: ReadConfigFile | undefined,
): { values: RawValues; explain: (error: ProxyError) => ProxyError } {
  const config = argv.get('--config')?.[0];
  const unchanged = { values: argv, explain: (error: ProxyError) => error };
  // --help and --version answer without reading anything.
  if (config === undefined || argv.has('--help') || argv.has('--version')) return unchanged;
  if (readFile === undefined) {
    throw invalid(
      '--config needs a way to read the file: pass parseProxyArguments a reader',
      config.index,
    );
  }
  let text: string;
  try {
    text = readFile(config.value);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw invalid(`cannot read the config file ${config.value}: ${why}`, config.index);
  }
  const file = readConfigFile(text, config.value);
  const values = new Map(argv);
  values.delete('--config');
  for (const [name, entries] of file.values) if (!values.has(name)) values.set(name, entries);
  return {
    values,
    // An error about a value from the file names the file and the key, not an argument.
    explain: (error) => {
      const key = file.keys[FIRST_FILE_INDEX - error.offset];
      if (error.offset > FIRST_FILE_INDEX || key === undefined) return error;
      return new ProxyError(error.code, `${config.value}, key "${key}": ${error.message}`, -1);
    },
  };
}
