/**
 * Inputs a hostile reviewer tried that used to pass: a team namespace that is a system, Argo CD or
 * add-on namespace or another team's, credentials planted in what gets rendered, `__proto__` and very
 * deep values. Each is refused before anything is written, naming the file and field (or file and line).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADDON_CATALOG, formatProblem, validateFleet } from '../charts/index.js';
import { nonJsonAt } from '../charts/validate/rules.js';
import { scanText } from '../engines/secret-scan/index.js';
import { runCli } from '../render/cli.js';
import { fleetCopy, withSpec } from './support/fleet.js';

const any = (v: unknown) => v as any;
const problems = (change: (s: any) => void) => {
  const s = any(fleetCopy());
  change(s);
  return validateFleet(withSpec(s), ADDON_CATALOG).map(formatProblem);
};

describe('team namespaces that belong to someone else', () => {
  for (const [team, env, owner] of [['kube', 'system', 'Kubernetes'], ['cert', 'manager', 'the cert-manager add-on'], ['argo', 'cd', undefined]] as const) {
    it(`refuses "${team}-${env}"`, () => {
      const found = problems((s) => {
        if (owner === undefined) s.argocd = { ...s.argocd, namespace: 'argo-cd' };
        s.environments.push({ name: env, promotionOrder: 9 });
        s.clusters.push({ ...structuredClone(s.clusters[1]), name: `spoke-${env}`, environment: env, endpoint: `https://${'F'.repeat(31)}${env.length}.gr7.us-west-2.eks.amazonaws.com` });
        s.teams[0].name = team;
        s.teams[0].environments = [env];
        delete s.teams[0].quota;
        delete s.teams[0].access;
        for (const app of s.teams[0].apps) app.environments = { [env]: {} };
        for (const app of s.teams[0].apps) delete app.database;
      });
      const line = found.find((p) => p.includes("teams[0].name") && p.includes(`"${team}-${env}"`));
      assert.ok(line, found.join('\n'));
      assert.match(line!, new RegExp(`^environments/teams\\.ts: teams\\[0\\]\\.name: the team's namespace in ${env}, "${team}-${env}", belongs to ${owner ?? 'Argo CD'}`));
    });
  }

  it('refuses two teams with one namespace (a-b in c, a in b-c)', () => {
    const found = problems((s) => {
      s.environments.push({ name: 'b-c', promotionOrder: 9 }, { name: 'c', promotionOrder: 10 });
      s.clusters.push({ ...structuredClone(s.clusters[1]), name: 'spoke-bc', environment: 'b-c', endpoint: `https://${'E'.repeat(32)}.gr7.us-west-2.eks.amazonaws.com` });
      s.clusters.push({ ...structuredClone(s.clusters[1]), name: 'spoke-c', environment: 'c', endpoint: `https://${'D'.repeat(32)}.gr7.us-west-2.eks.amazonaws.com` });
      s.teams = [
        { name: 'a', group: 'a', environments: ['b-c'], apps: [] },
        { name: 'a-b', group: 'ab', environments: ['c'], apps: [] },
      ];
    });
    assert.ok(found.includes('environments/teams.ts: teams[1].name: the team\'s namespace in c, "a-b-c", is also team "a"\'s namespace in b-c; rename one of the teams'), found.join('\n'));
  });
});

describe('values that are not plain data', () => {
  it('names a __proto__ key, a Map and nesting past the limit', () => {
    assert.match(nonJsonAt(JSON.parse('{"a": {"__proto__": {"x": 1}}}'))!, /^\.a\.__proto__ is not allowed as a key$/);
    assert.match(nonJsonAt({ m: new Map() })!, /^\.m is a Map, not plain data/);
    let deep: any = {};
    const root = deep;
    for (let i = 0; i < 100; i++) deep = deep.x = {};
    assert.match(nonJsonAt(root)!, /is nested more than 64 levels deep$/);
    assert.equal(nonJsonAt({ a: [1, 'x', null, { b: true }] }), undefined);
  });
});

describe('credentials in the rendered output', () => {
  it('finds token shapes, literal credential values and passwords in URLs, and lets references pass', () => {
    const text = [
      'env:',
      '  - name: DB_PASSWORD',
      '    value: hunter2',
      '  - name: DB_HOST',
      '    value: db.internal',
      'grafana:',
      '  adminPassword: s3cr3t',
      '  existingSecret: grafana-admin',
      'oidc:',
      '  clientSecret: $argocd-oidc:clientSecret',
      'url: postgres://app:pw123@db:5432/x',
      'annotations:',
      '  note: ghp_0123456789abcdefghijABCDEFGHIJ012345',
      'password: ""',
    ].join('\n');
    assert.deepEqual(scanText(text).map((f) => f.line), [3, 7, 11, 13]);
  });

  it('stops synth before the write: a token planted in add-on values', () => {
    const s = any(fleetCopy());
    s.environments.find((e: any) => e.name === 'prod').addons.velero = { values: { configuration: { backupStorageLocation: [{ config: { token: 'glpat-abcdefghijklmnopqrstu' } }] } } };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-'));
    const errors: string[] = [];
    const error = console.error;
    console.error = (m: string) => { errors.push(m); };
    try {
      assert.equal(runCli(['synth', '--out', path.join(dir, 'dist')], withSpec(s)), 1);
    } finally {
      console.error = error;
    }
    assert.equal(fs.existsSync(path.join(dir, 'dist')), false, 'nothing was written');
    assert.match(errors.join('\n'), /addons\/values\/environments\/prod\/velero\/values\.yaml:\d+: \[no-credentials\] a GitLab token/);
    assert.doesNotMatch(errors.join('\n'), /glpat-abcdefghijklmnopqrstu/, 'the value itself is never printed');
  });
});

describe('objects Kubernetes would refuse for their size', () => {
  it('finds an object over 1 MiB as JSON, with its size, and lets one under it pass', async () => {
    const { objectSizeFindings } = await import('../charts/policy/object-size-rules.js');
    const big = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { blob: 'x'.repeat(1024 * 1024) } };
    const small = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'small' }, data: { blob: 'x'.repeat(1000) } };
    const found = objectSizeFindings(new Map([['apps/t/a/staging/configmap-big.yaml', [big, small]]]));
    assert.deepEqual(found.map((f) => `${f.file}: ${f.object}: [${f.rule}] ${f.message.split(';')[0]}`), [
      'apps/t/a/staging/configmap-big.yaml: ConfigMap/big: [object-size] is 1.00 MiB as JSON',
    ]);
  });

  it('keeps the guardrails AppProject linear in teams x environments, not x clusters', () => {
    const s = any(fleetCopy());
    for (let i = 0; i < 30; i++) {
      s.clusters.push({ ...structuredClone(s.clusters[1]), name: `spoke-s${i}`, endpoint: `https://${(i + 1).toString(16).toUpperCase().padStart(32, '0')}.gr7.us-west-2.eks.amazonaws.com` });
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-'));
    const log = console.log;
    console.log = () => {};
    try {
      assert.equal(runCli(['synth', '--out', dir], withSpec(s)), 0);
    } finally {
      console.log = log;
    }
    const text = fs.readFileSync(path.join(dir, 'hub/argocd/projects/guardrails.yaml'), 'utf8');
    assert.equal((text.match(/namespace: webstore-/g) ?? []).length, 2, 'one destination per team namespace, whatever the number of spokes');
  });
});
