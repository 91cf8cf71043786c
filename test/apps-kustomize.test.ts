/**
 * Every app and environment of the example fleet, rendered by us and by the real kustomize from the
 * same base and the same overlay written as a kustomization.yaml: the objects must be equal.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { buildAppBase, environmentOverlay, resolveFleet, ADDON_CATALOG } from '../charts/index.js';
import { toKustomization } from '../engines/kustomize/kustomization.js';
import { exampleFleet, objects, render } from './support/fleet.js';

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const key = (o: any) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

describe('example apps equal what kustomize builds', () => {
  const fleet = resolveFleet(exampleFleet.spec, ADDON_CATALOG);
  const files = render();
  for (const team of fleet.teams) {
    for (const app of team.apps) {
      for (const env of team.environments.filter((e) => app.environments[e.name] !== undefined)) {
        it(`${team.name}/${app.name}/${env.name}`, (t) => {
          if (!kubectl) return t.skip('kubectl not found: kustomize equivalence not checked');
          const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-kustomize-'));
          t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
          fs.mkdirSync(path.join(dir, 'base'));
          fs.writeFileSync(path.join(dir, 'base', 'resources.yaml'), buildAppBase(app).map((o) => stringify(o)).join('---\n'));
          fs.writeFileSync(path.join(dir, 'base', 'kustomization.yaml'), 'resources:\n  - resources.yaml\n');
          const k = toKustomization(environmentOverlay(team, env.name, app.environments[env.name]), ['../base']);
          fs.mkdirSync(path.join(dir, 'overlay'));
          fs.writeFileSync(path.join(dir, 'overlay', 'kustomization.yaml'), stringify(k.kustomization));
          for (const [name, content] of Object.entries(k.files)) fs.writeFileSync(path.join(dir, 'overlay', name), content);
          const r = spawnSync('kubectl', ['kustomize', path.join(dir, 'overlay')], { encoding: 'utf8' });
          assert.equal(r.status, 0, r.stderr);
          const theirs = parseAllDocuments(r.stdout).map((d) => d.toJS()).sort((a, b) => key(a).localeCompare(key(b)));
          const prefix = `apps/${team.name}/${app.name}/${env.name}/`;
          // The database ExternalSecret is the platform's, added beside the overlay's output.
          const ours = objects(new Map([...files].filter(([f]) => f.startsWith(prefix))))
            .map((o) => o.obj)
            .filter((o) => o.kind !== 'ExternalSecret')
            .sort((a, b) => key(a).localeCompare(key(b)));
          assert.deepEqual(ours, theirs);
        });
      }
    }
  }
});
