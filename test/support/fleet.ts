/** Helpers shared by the tests: the example fleet, rendering, and copies to corrupt. */
import { parseAllDocuments } from 'yaml';
import { exampleFleet as iacExampleFleet } from '../../environments/index.js';
import { ADDON_CATALOG, AddonDefinition, applyIacOutputs, fleetOutputs, FleetSource, FleetSpec, resolveFleet, ResolvedFleet } from '../../charts/index.js';
import { renderFiles } from '../../render/render.js';

/**
 * The example fleet with every cluster's facts in place (read from its IaC outputs), as a typed source
 * without `iac`: what most tests change and render. `iacExampleFleet` is the fleet as `main.ts` renders it.
 */
export const exampleFleet: FleetSource = (() => {
  const applied = applyIacOutputs(iacExampleFleet, ADDON_CATALOG);
  if (applied.problems.length > 0) throw new Error(`the example's IaC outputs: ${JSON.stringify(applied.problems)}`);
  const { iac: _iac, ...typed } = applied.source;
  return typed;
})();
export { iacExampleFleet };

/** A deep, mutable copy of the example fleet's spec, for tests to change. */
export function fleetCopy(): Mutable<FleetSpec> {
  return structuredClone(exampleFleet.spec) as Mutable<FleetSpec>;
}

/** A source with a changed spec and the example's file map. */
export function withSpec(spec: FleetSpec): FleetSource {
  return { spec, files: exampleFleet.files };
}

export function resolved(spec: FleetSpec = exampleFleet.spec, catalog: readonly AddonDefinition[] = ADDON_CATALOG): ResolvedFleet {
  return resolveFleet(spec, catalog);
}

/**
 * The example fleet's render, once per process and state of its spec: most test files render it, and
 * scripts/test.mjs runs many test files in one process. Keyed by the spec's JSON (it is plain data), so
 * a test that changed the example in place gets the render of what it changed.
 */
const exampleRenders = new Map<string, Map<string, string>>();

/** Renders a fleet to its files (path -> bytes). Every call returns a map of its own. */
export function render(source: FleetSource = exampleFleet, catalog?: readonly AddonDefinition[]): Map<string, string> {
  if (source !== exampleFleet || catalog !== undefined) return renderFiles(fleetOutputs(source, { catalog }));
  const key = JSON.stringify(exampleFleet.spec);
  let files = exampleRenders.get(key);
  if (files === undefined) {
    files = renderFiles(fleetOutputs(source, { catalog }));
    exampleRenders.set(key, files);
  }
  return new Map(files);
}

/**
 * The documents of a YAML text, parsed once per text in this process: tests render the fleet again and
 * again with small changes, and most files come out byte-identical, so their parse is shared. Every call
 * returns a fresh deep copy (structuredClone: plain data, as toJS gives), so a test that changes an
 * object never affects another.
 */
const parsedTexts = new Map<string, unknown[]>();
function parseDocuments(text: string): any[] {
  let docs = parsedTexts.get(text);
  if (docs === undefined) {
    docs = parseAllDocuments(text).map((doc) => doc.toJS());
    parsedTexts.set(text, docs);
  }
  return structuredClone(docs);
}

/** Every object of a render, with the file it is in. */
export function objects(files: Map<string, string>): Array<{ file: string; obj: any }> {
  const out: Array<{ file: string; obj: any }> = [];
  for (const [file, text] of files) {
    if (file.startsWith('addons/values/') || file.endsWith('.md') || file.endsWith('.json')) continue;
    for (const obj of parseDocuments(text)) out.push({ file, obj });
  }
  return out;
}

export type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
