import { AddonDefinition } from './addon.js';

/** A dependency cycle between add-ons, in order, first name repeated at the end. */
export type DependencyCycle = readonly string[];

/**
 * Sync wave of each add-on: 0 without dependencies, else one more than its highest dependency.
 * Unknown dependencies are ignored here (validation reports them); cycles are returned, not thrown.
 */
export function addonWaves(catalog: readonly AddonDefinition[]): { waves: Map<string, number>; cycles: DependencyCycle[] } {
  const byName = new Map(catalog.map((a) => [a.name, a]));
  const waves = new Map<string, number>();
  const cycles: DependencyCycle[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];

  const visit = (name: string): number => {
    const seen = state.get(name);
    if (seen === 'done') return waves.get(name)!;
    if (seen === 'visiting') {
      cycles.push([...stack.slice(stack.indexOf(name)), name]);
      return 0;
    }
    state.set(name, 'visiting');
    stack.push(name);
    let wave = 0;
    for (const dep of [...(byName.get(name)?.dependsOn ?? [])].sort()) {
      if (byName.has(dep)) wave = Math.max(wave, visit(dep) + 1);
    }
    stack.pop();
    state.set(name, 'done');
    waves.set(name, wave);
    return wave;
  };
  for (const name of [...byName.keys()].sort()) visit(name);
  return { waves, cycles };
}
