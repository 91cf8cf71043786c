/** The project's own import graph, read from the sources: for the architecture tests. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Every .ts file below the given top-level folders (and the named files), relative to the root. */
export function sourceFiles(roots: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(ROOT, rel);
    if (fs.statSync(abs).isFile()) {
      if (rel.endsWith('.ts')) out.push(rel);
      return;
    }
    for (const e of fs.readdirSync(abs).sort()) walk(path.posix.join(rel, e));
  };
  for (const r of roots) walk(r);
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The specifiers a file imports: relative ones resolved to root-relative `.ts` paths, packages as written. */
export function importsOf(file: string): { local: string[]; packages: string[] } {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const local: string[] = [];
  const packages: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('.')) local.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts'));
    else packages.push(spec);
  }
  return { local, packages };
}

/** The import graph of the files: file -> local files it imports. */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  return new Map(files.map((f) => [f, importsOf(f).local]));
}

/** Strongly connected components with more than one member, or a self-import: the cycles. */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

/** The graph between folders: a file's folder -> the folders of what it imports (other folders only). */
export function folderGraph(graph: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const [f, deps] of graph) {
    const from = path.posix.dirname(f);
    if (!out.has(from)) out.set(from, new Set());
    for (const d of deps) if (path.posix.dirname(d) !== from) out.get(from)!.add(path.posix.dirname(d));
  }
  return new Map([...out].map(([k, v]) => [k, [...v].sort()]));
}
