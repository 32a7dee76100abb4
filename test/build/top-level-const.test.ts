import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { topLevelConstAsVar } from '../../scripts/tsup-library.js';

type OnLoad = (args: { path: string }) => { contents: string; loader: string };

const directory = mkdtempSync(join(tmpdir(), 'ftpwire-const-'));
mkdirSync(join(directory, 'src'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Runs the plugin's load hook on `source` as esbuild would for a package's src/ file. */
function transform(source: string): string {
  let hook: OnLoad | undefined;
  const build = {
    onLoad(_options: unknown, callback: OnLoad) {
      hook = callback;
    },
  };
  (topLevelConstAsVar.setup as (build: unknown) => void)(build);
  const path = join(directory, 'src', 'module.ts');
  writeFileSync(path, source);
  return hook!({ path }).contents;
}

describe('the ESM build emits top-level const as var (scripts/tsup-library.ts)', () => {
  const source = [
    'export const LF = 0x0a;',
    'const text = `',
    "const inside = 'a template, not code';",
    '`;',
    'export function f(): number {',
    '  const local = 2;',
    '  return local + LF + text.length;',
    '}',
    'export const { a, b } = { a: 1, b: 2 };',
    'let mutable = 1;',
    'const',
    '  split = 3;',
    '',
  ].join('\n');

  it('rewrites each top-level const statement and nothing else', () => {
    expect(transform(source).split('\n')).toEqual([
      'export var   LF = 0x0a;',
      'var   text = `',
      "const inside = 'a template, not code';",
      '`;',
      'export function f(): number {',
      '  const local = 2;',
      '  return local + LF + text.length;',
      '}',
      'export var   { a, b } = { a: 1, b: 2 };',
      'let mutable = 1;',
      'var  ',
      '  split = 3;',
      '',
    ]);
  });

  it('keeps every line its length, so source maps stay exact', () => {
    expect(
      transform(source)
        .split('\n')
        .map((line) => line.length),
    ).toEqual(source.split('\n').map((line) => line.length));
  });
});
