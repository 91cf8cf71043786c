/**
 * The Renovate configuration finds every pin this project keeps in code: each regex manager is run
 * against its files as Renovate would (named groups, one match per dependency), so a catalog entry laid
 * out differently, a new Crossplane package or a new CRD source is not silently left out of updates.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { ADDON_CATALOG } from '../charts/index.js';
import { CROSSPLANE_PACKAGES } from '../charts/crossplane/crossplane-packages.js';

const config = JSON.parse(readFileSync(new URL('../renovate.json', import.meta.url), 'utf8'));

/** Every match of a manager's regexes in the files its fileMatch selects, as the named groups. */
function matches(manager: any, files: string[]): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const file of files.filter((f) => manager.fileMatch.some((p: string) => new RegExp(p).test(f)))) {
    const text = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
    for (const source of manager.matchStrings) for (const m of text.matchAll(new RegExp(source, 'g'))) out.push({ ...m.groups });
  }
  return out;
}

const ENTRIES = readdirSync(new URL('../charts/addons/entries/', import.meta.url)).map((f) => `charts/addons/entries/${f}`);
const FILES = [...ENTRIES, 'charts/crossplane/crossplane-packages.ts', 'crds.lock.json'];

describe('renovate.json', () => {
  const managers = config.customManagers as any[];

  it('finds every add-on chart of the catalog with its version and repository', () => {
    const found = managers.filter((m) => m.fileMatch.includes('^charts/addons/entries/[^/]+\\.ts$')).flatMap((m) => matches(m, FILES));
    const expected = ADDON_CATALOG.map((a) => ({ depName: a.chart, currentValue: a.version, repo: a.repoUrl })).sort((a, b) => a.depName.localeCompare(b.depName));
    const got = found.map((g) => ({ depName: g.depName, currentValue: g.currentValue, repo: g.registryUrl ?? g.registry })).sort((a, b) => a.depName.localeCompare(b.depName));
    assert.deepEqual(got, expected);
  });

  it('finds every Crossplane package', () => {
    const found = matches(managers.find((m) => m.fileMatch[0].includes('crossplane-packages')), FILES).map((g) => `${g.depName}:${g.currentValue}`).sort();
    assert.deepEqual(found, [...Object.values(CROSSPLANE_PACKAGES.providers), CROSSPLANE_PACKAGES.function].sort());
  });

  it('finds a release of every CRD source of the lock', { skip: existsSync(new URL('../crds.lock.json', import.meta.url)) ? false : 'no crds.lock.json' }, () => {
    const lock = JSON.parse(readFileSync(new URL('../crds.lock.json', import.meta.url), 'utf8'));
    const entries: Array<{ url: string }> = Array.isArray(lock) ? lock : lock.crds ?? [];
    const found = matches(managers.find((m) => m.fileMatch[0].includes('crds')), FILES);
    const githubEntries = entries.filter((e) => e.url.startsWith('https://raw.githubusercontent.com/'));
    assert.equal(found.length, githubEntries.length, 'one match per GitHub-hosted CRD');
    for (const g of found) assert.match(g.currentValue, /^v\d/);
  });

  it('keeps TypeScript on 5.x', () => {
    assert.ok(config.packageRules.some((r: any) => r.matchPackageNames?.includes('typescript') && r.allowedVersions === '<6'));
  });
});
