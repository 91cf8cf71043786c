/** What the catalog tests share: an entry by name, and whether pins are newest first. */
import assert from 'node:assert/strict';
import { ADDON_CATALOG } from '../../charts/addons/catalog.js';
import type { AddonDefinition } from '../../charts/model/addon.js';
import { compareChartVersions } from '../../charts/model/addon-versions.js';

/** The catalog entry of an add-on; fails the test when there is none. */
export function catalogEntry(name: string): AddonDefinition {
  const a = ADDON_CATALOG.find((x) => x.name === name);
  assert.ok(a, `${name} is in the catalog`);
  return a;
}

/** Whether chart version `a` is newer than `b`. */
export const newer = (a: string, b: string): boolean => compareChartVersions(a, b) > 0;
