// Every `@example` in the packages' TSDoc is code a user will paste, so each one is
// type-checked as a module of its own (against the sources, through the "@ftpwire/source"
// condition) and then run, with its result comments turned into assertions:
//
//   parseEpsvReply('229 Entering Extended Passive Mode (|||30004|)'); // => 30004
//   decodeHostPort('10,0,1,121,256,6'); // throws AddressError ERR_INVALID_HOST_PORT at offset 11
//
// `// => value` after a statement (on its line or the next) asserts that the expression, or
// the variable a `const` declares, equals `value` (vitest `toEqual`, after `await`);
// `// throws` asserts that the statement throws, with the error class name, `ERR_` code and
// `offset N` when written. Every result comment must be reached when the example runs. The
// same program checks that every name each entry point exports has an `@example`, which the
// docs build (`pnpm docs:api`, scripts/typedoc-require-example.mjs) enforces too.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it, vi } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const entryPoints = [
  'packages/lines/src/index.ts',
  'packages/reply/src/index.ts',
  'packages/command/src/index.ts',
  'packages/address/src/index.ts',
  'packages/listing/src/index.ts',
  'packages/nat/src/index.ts',
  'packages/nat/src/node.ts',
  'packages/proxy/src/index.ts',
].map((file) => join(root, file));

interface Example {
  /** `packages/<p>/src/<file>.ts:<line>`, the line of the opening fence. */
  readonly id: string;
  readonly code: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The fenced code blocks of every `@example` tag in a file's doc comments. */
function examplesOf(file: string): Example[] {
  const text = readFileSync(file, 'utf8');
  const examples: Example[] = [];
  // Our own sources, not peer text: a lazy match up to the next "*/" is fine here.
  for (const match of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const firstLine = text.slice(0, match.index).split('\n').length;
    const lines = match[0].split('\n').map((line) => line.replace(/^\s*\*? ?/, ''));
    let inExample = false;
    let fence: { start: number; lines: string[] } | undefined;
    lines.forEach((line, index) => {
      if (fence) {
        if (line.trimEnd() === '```') {
          examples.push({
            id: `${relative(root, file)}:${firstLine + fence.start}`,
            code: `${fence.lines.join('\n')}\n`,
          });
          fence = undefined;
        } else {
          fence.lines.push(line);
        }
        return;
      }
      if (line.startsWith('@')) inExample = line.startsWith('@example');
      else if (inExample && line.startsWith('```')) fence = { start: index, lines: [] };
    });
    if (fence) throw new Error(`${relative(root, file)}:${firstLine}: unclosed code fence`);
  }
  return examples;
}

const files = entryPoints
  .map((entry) => join(entry, '..'))
  .filter((dir, index, all) => all.indexOf(dir) === index)
  .flatMap(sourceFiles);
const examples = files.flatMap(examplesOf);

// Inside the repository so that `@ftpwire/*` and `node:` types resolve from its node_modules.
const workDir = join(root, '.tmp', `doc-examples-${process.pid}`);
rmSync(workDir, { recursive: true, force: true });
mkdirSync(workDir, { recursive: true });
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function slug(example: Example): string {
  return example.id.replace(/^packages\//, '').replace(/[^A-Za-z0-9]+/g, '-');
}

type Check =
  | { readonly kind: 'equals'; readonly at: number; readonly value: string }
  | {
      readonly kind: 'throws';
      readonly at: number;
      readonly name?: string;
      readonly code?: string;
      readonly offset?: number;
    };

/** Result comments: `// => value` and `// throws ...`. */
const RESULT_COMMENT = /^\/\/ (=>|throws\b)/;

function isExpression(text: string): boolean {
  try {
    new Function(`return (${text}\n);`);
    return true;
  } catch {
    return false;
  }
}

/**
 * The result comment that follows a statement (on its line or the next ones, before the next
 * statement). A value may go on over the following comment lines.
 */
function checkAfter(code: string, statement: ts.Statement): Check | undefined {
  // The comment on the statement's own line is "trailing", those on the next lines "leading".
  const comments = [
    ...(ts.getTrailingCommentRanges(code, statement.end) ?? []),
    ...(ts.getLeadingCommentRanges(code, statement.end) ?? []),
  ];
  const index = comments.findIndex((r) => RESULT_COMMENT.test(code.slice(r.pos, r.end)));
  if (index < 0) return undefined;
  const at = comments[index]!.pos;
  const marker = code.slice(at, comments[index]!.end);
  if (marker.startsWith('// throws')) {
    const words = marker.slice('// throws'.length).split(/[\s,:()]+/);
    const name = words.find((word) => /^[A-Z]\w*Error$/.test(word));
    const errorCode = words.find((word) => /^ERR_[A-Z0-9_]+$/.test(word));
    const offset = /\boffset (\d+)/.exec(marker)?.[1];
    return {
      kind: 'throws',
      at,
      ...(name === undefined ? {} : { name }),
      ...(errorCode === undefined ? {} : { code: errorCode }),
      ...(offset === undefined ? {} : { offset: Number(offset) }),
    };
  }
  let value = marker.slice('// =>'.length).trim();
  for (let next = index + 1; !isExpression(value) && next < comments.length; next++) {
    const range = comments[next]!;
    value += `\n${code.slice(range.pos, range.end).replace(/^\/\/\s?/, '')}`;
  }
  return { kind: 'equals', at, value };
}

/**
 * The example as a module whose default export runs it, with a check after each statement
 * that carries a result comment: at the top level and in nested blocks (`try`, `if`, loops),
 * not inside functions, where an `await` could not go. A result comment that no statement
 * takes (inside a callback, say) is an error, so no claim in an example goes unchecked.
 */
function runnable(example: Example): string {
  const { code } = example;
  const file = ts.createSourceFile('example.ts', code, ts.ScriptTarget.ES2022, true);
  const edits: { start: number; end: number; text: string; site: string }[] = [];
  const checked = new Set<number>();
  let bodyStart = 0;
  const where = (node: ts.Node) => {
    const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
    return JSON.stringify(`${example.id}, example line ${line + 1}`);
  };

  const visitStatements = (statements: readonly ts.Statement[]) => {
    for (const statement of statements) {
      if (ts.isImportDeclaration(statement)) {
        if (statement.parent !== file || edits.length > 0 || statement.pos < bodyStart) {
          throw new Error(`${where(statement)}: imports go first`);
        }
        bodyStart = statement.end;
        continue;
      }
      const check = checkAfter(code, statement);
      if (check === undefined) {
        ts.forEachChild(statement, function visit(node) {
          if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
          if (ts.isBlock(node)) visitStatements(node.statements);
          else ts.forEachChild(node, visit);
        });
        continue;
      }
      checked.add(check.at);
      const start = statement.getStart(file);
      const text = code.slice(start, statement.end);
      let replacement: string;
      if (check.kind === 'throws') {
        const expected = JSON.stringify({
          name: check.name,
          code: check.code,
          offset: check.offset,
        });
        replacement = `await __throws(async () => { ${text} }, ${expected}, ${where(statement)});`;
      } else if (ts.isExpressionStatement(statement)) {
        const expression = code.slice(
          statement.expression.getStart(file),
          statement.expression.end,
        );
        replacement = `await __equals(async () => (${expression}), () => (${check.value}), ${where(statement)});`;
      } else if (
        ts.isVariableStatement(statement) &&
        statement.declarationList.declarations.length === 1 &&
        ts.isIdentifier(statement.declarationList.declarations[0]!.name)
      ) {
        const name = statement.declarationList.declarations[0]!.name.text;
        replacement = `${text} await __equals(async () => ${name}, () => (${check.value}), ${where(statement)});`;
      } else {
        throw new Error(`${where(statement)}: a result comment follows an expression or one const`);
      }
      edits.push({
        start,
        end: statement.end,
        text: replacement,
        site: JSON.parse(where(statement)),
      });
    }
  };
  visitStatements(file.statements);

  for (const match of code.matchAll(/\/\/ (=>|throws\b)/g)) {
    const { line } = file.getLineAndCharacterOfPosition(match.index);
    if (!checked.has(match.index)) {
      throw new Error(`${example.id}, example line ${line + 1}: result comment not checked`);
    }
  }
  let body = code.slice(bodyStart);
  for (const edit of edits.reverse()) {
    body = body.slice(0, edit.start - bodyStart) + edit.text + body.slice(edit.end - bodyStart);
  }
  const sites = JSON.stringify(edits.map((edit) => edit.site));
  return `${code.slice(0, bodyStart)}\nexport const sites = ${sites};\nexport default async function (__equals, __throws) {\n${body}\n}\n`;
}

/** Check sites reached while an example runs: a check in a branch never taken proves nothing. */
const reached = new Set<string>();

async function equals(actual: () => Promise<unknown>, expected: () => unknown, where: string) {
  reached.add(where);
  expect(await actual(), where).toEqual(expected());
}

async function throws(
  run: () => Promise<void>,
  expected: { name?: string; code?: string; offset?: number },
  where: string,
) {
  reached.add(where);
  let thrown: unknown;
  try {
    await run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `${where}: expected a throw`).toBeInstanceOf(Error);
  const { name, code, offset } = thrown as { name: string; code?: unknown; offset?: unknown };
  if (expected.name !== undefined) expect(name, where).toBe(expected.name);
  if (expected.code !== undefined) expect(code, where).toBe(expected.code);
  if (expected.offset !== undefined) expect(offset, where).toBe(expected.offset);
}

describe('TSDoc @example blocks', () => {
  const sources = examples.map((example) => {
    const path = join(workDir, `${slug(example)}.ts`);
    writeFileSync(path, example.code);
    return { example, path };
  });

  // One program for all: the examples, and the entry points whose exports must have one.
  const program = (() => {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      join(root, 'tsconfig.json'),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => console.error(d.messageText) },
    );
    if (!parsed) throw new Error('cannot read tsconfig.json');
    return ts.createProgram([...sources.map((s) => s.path), ...entryPoints], parsed.options);
  })();

  it('are found: every package documents its API with examples', () => {
    expect(examples.length).toBeGreaterThan(100);
  });

  it('exist for every name each entry point exports', () => {
    const checker = program.getTypeChecker();
    const missing: string[] = [];
    let exported = 0;
    for (const entry of entryPoints) {
      const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
      for (const symbol of checker.getExportsOfModule(module)) {
        exported++;
        const target =
          symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        const documented = (target.declarations ?? []).some((declaration) =>
          ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'example'),
        );
        if (!documented) missing.push(`${relative(root, entry)}: ${symbol.name}`);
      }
    }
    expect(exported).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });

  it.each(sources)('$example.id type-checks', ({ path }) => {
    const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(path));
    const messages = diagnostics.map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `example line ${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(messages).toEqual([]);
  });

  it.each(sources)('$example.id runs and its results hold', async ({ example }) => {
    const path = join(workDir, `${slug(example)}.run.ts`);
    writeFileSync(path, runnable(example));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const module = (await import(path)) as {
        sites: string[];
        default: (e: typeof equals, t: typeof throws) => Promise<void>;
      };
      await module.default(equals, throws);
      expect(module.sites.filter((site) => !reached.has(site))).toEqual([]);
    } finally {
      log.mockRestore();
    }
  });
});
