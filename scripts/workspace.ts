// The workspace's publishable packages, read from packages/*/package.json, shared by
// scripts/release.ts and scripts/size.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Exports map as package.json writes it: a target path, conditions, or a list of either. */
export type ExportsTarget = string | null | readonly ExportsTarget[] | ExportsConditions;
export interface ExportsConditions {
  readonly [condition: string]: ExportsTarget;
}

export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly sideEffects?: boolean | readonly string[];
  readonly files?: readonly string[];
  readonly main?: string;
  readonly module?: string;
  readonly types?: string;
  readonly typings?: string;
  readonly bin?: string | Readonly<Record<string, string>>;
  readonly exports?: ExportsTarget | Readonly<Record<string, ExportsTarget>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}

export interface WorkspacePackage {
  /** Absolute directory. */
  readonly dir: string;
  readonly manifest: Manifest;
}

export const root: string = fileURLToPath(new URL('..', import.meta.url));

/** Every package under packages/ that is not private, sorted by directory name. */
export function publishablePackages(): WorkspacePackage[] {
  const base = join(root, 'packages');
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const dir = join(base, name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
      return { dir, manifest };
    })
    .filter((pkg) => pkg.manifest.private !== true);
}

/**
 * The subpaths of an exports map (`"."`, `"./node"`, ...). A map whose keys are conditions
 * rather than subpaths stands for `"."` alone.
 */
export function exportSubpaths(manifest: Manifest): Map<string, ExportsTarget> {
  const map = manifest.exports;
  if (map === undefined) return new Map();
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return new Map([['.', map]]);
  const entries = Object.entries(map as Record<string, ExportsTarget>);
  if (entries.every(([key]) => !key.startsWith('.'))) return new Map([['.', map as ExportsTarget]]);
  return new Map(entries);
}

/** Every file path a target names, under any condition. */
export function targetPaths(target: ExportsTarget): string[] {
  if (target === null) return [];
  if (typeof target === 'string') return [target];
  if (Array.isArray(target)) return target.flatMap((item: ExportsTarget) => targetPaths(item));
  return Object.values(target as ExportsConditions).flatMap((item) => targetPaths(item));
}

/** Formats a byte count as the tables show it: `12,345 B`. */
export function formatBytes(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} B`;
}

/** A Markdown table, columns padded so that it also reads as plain text in a terminal. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: ReadonlySet<number> = new Set(),
): string {
  const widths = header.map((title, column) =>
    Math.max(3, title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells
      .map((cell, column) =>
        rightAligned.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join(' | ')} |`;
  const rule = `| ${widths
    .map((width, column) =>
      rightAligned.has(column) ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width),
    )
    .join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
