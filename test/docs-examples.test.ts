/**
 * The TypeScript examples of docs/app-teams.md, and templates/team-repo/main.ts, type-check against this
 * repository's sources: each ```ts block is a module of its own, with `cdk8s-fleet/app` mapped to
 * charts/app-entry.ts and `cdk8s-fleet` to charts/index.ts (`paths`), so a change of the API that breaks
 * an example fails here with the page and line of the block.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(import.meta.dirname, '..');
const PAGE = 'docs/app-teams.md';

/** The ```ts blocks of a Markdown text: their code and the line (1-based) of their first code line. */
export function tsBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    blocks.push({ line: start + 1, code: lines.slice(start, end).join('\n') + '\n' });
    i = end;
  }
  return blocks;
}

/** The type errors of the given files (virtual ones by absolute path), as `<where>:<line>: <message>`. */
function typeErrors(virtual: Map<string, { code: string; where: (line: number) => string }>, real: string[]): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.Preserve, moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts'], types: ['node'], strict: true, skipLibCheck: true, noEmit: true, esModuleInterop: true,
    baseUrl: ROOT, paths: { 'cdk8s-fleet/app': ['charts/app-entry.ts'], 'cdk8s-fleet': ['charts/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, ...rest) => {
    const v = virtual.get(path.resolve(file));
    return v ? ts.createSourceFile(file, v.code, lang, true) : getSourceFile(file, lang, ...rest);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => virtual.has(path.resolve(file)) || fileExists(file);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => virtual.get(path.resolve(file))?.code ?? readFile(file);
  const program = ts.createProgram([...virtual.keys(), ...real], options, host);
  const errors: string[] = [];
  for (const file of [...virtual.keys(), ...real]) {
    const source = program.getSourceFile(file)!;
    for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line;
      const where = virtual.get(file)?.where(line) ?? `${path.relative(ROOT, file)}:${line + 1}`;
      errors.push(`${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
  }
  return errors;
}

describe('docs/app-teams.md examples', () => {
  const blocks = tsBlocks(fs.readFileSync(path.join(ROOT, PAGE), 'utf8'));

  it('finds the blocks with their lines', () => {
    assert.ok(blocks.length >= 3, `${blocks.length} ts blocks`);
    assert.deepEqual(tsBlocks('a\n```ts\nconst x = 1;\n```\n```sh\nls\n```\n'), [{ line: 3, code: 'const x = 1;\n' }]);
  });

  it('every ts block, and the team repository template\'s main.ts, type-checks against the sources; a broken block is reported with its page line', () => {
    const virtual = new Map(blocks.map((b) => [
      // Beside the tests, so the packages resolve from this repository's node_modules.
      path.join(ROOT, 'test', `.docs-example-${b.line}.ts`),
      { code: b.code.includes('import ') || b.code.includes('export ') ? b.code : `${b.code}export {};\n`, where: (l: number) => `${PAGE}:${b.line + l}` },
    ]));
    // One program for all (the library's types load once): a block known to be broken proves errors are caught and placed.
    const broken = "import { WebService } from 'cdk8s-fleet/app';\n\nexport const x: WebService = 3;\n";
    virtual.set(path.join(ROOT, 'test', '.docs-example-broken.ts'), { code: broken, where: (l: number) => `broken.md:${40 + l}` });
    const errors = typeErrors(virtual, [path.join(ROOT, 'templates', 'team-repo', 'main.ts')]);
    assert.deepEqual(errors.filter((e) => !e.startsWith('broken.md:')), []);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0], /^broken\.md:42: Type 'number' is not assignable/);
  });
});
