/**
 * Argo CD single sign-on and RBAC: the generated policy.csv denies by default, lets each team's group act
 * only on its own project's Applications and makes the admin groups admins; the values reach only the
 * hub's argo-cd values; the EKS capability gets its configuration as a file for the IaC.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { ADDON_CATALOG, validateFleet } from '../charts/index.js';
import { rbacPolicyCsv, teamApplicationPolicies } from '../charts/argocd/sso-rbac.js';
import { exampleFleet, fleetCopy, render, withSpec } from './support/fleet.js';

const HUB_VALUES = 'addons/values/clusters/hub/argo-cd/values.yaml';

/** Argo CD's decision on a policy.csv with `policy.default: ''`: allowed only by an explicit allow line (glob on the object). */
function allowed(csv: string, group: string, resource: string, action: string, object: string): boolean {
  const rows = csv.split('\n').filter((l) => l.trim() !== '').map((l) => l.split(',').map((f) => f.trim()));
  const subjects = new Set([group]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [kind, from, to] of rows) if (kind === 'g' && subjects.has(from) && !subjects.has(to)) { subjects.add(to); grew = true; }
  }
  if (subjects.has('role:admin')) return true; // Argo CD's built-in admin role
  const glob = (pattern: string, value: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);
  return rows.some(([kind, sub, res, act, obj, effect]) =>
    kind === 'p' && subjects.has(sub) && res === resource && (act === '*' || act === action) && glob(obj, object) && effect === 'allow');
}

describe('Argo CD RBAC policy', () => {
  const teams = [{ name: 'webstore', group: 'webstore-developers' }, { name: 'payments', group: 'payments-devs' }];
  const csv = rbacPolicyCsv(['platform-admins'], teams);

  it('is sorted and does not depend on the order of teams or groups', () => {
    const lines = csv.trimEnd().split('\n');
    assert.deepEqual(lines, [...lines].sort());
    assert.equal(rbacPolicyCsv(['platform-admins', 'platform-admins'], [...teams].reverse()), csv);
  });

  it('makes the admin groups admins', () => {
    assert.match(csv, /^g, platform-admins, role:admin$/m);
    assert.ok(allowed(csv, 'platform-admins', 'clusters', 'delete', '*'));
  });

  it('lets a team see and sync its own Applications and nothing else', () => {
    assert.ok(allowed(csv, 'webstore-developers', 'applications', 'get', 'webstore/frontend'));
    assert.ok(allowed(csv, 'webstore-developers', 'applications', 'sync', 'webstore/backend'));
    assert.ok(!allowed(csv, 'webstore-developers', 'applications', 'get', 'payments/api'), 'another team\'s project');
    assert.ok(!allowed(csv, 'webstore-developers', 'applications', 'delete', 'webstore/frontend'));
    assert.ok(!allowed(csv, 'webstore-developers', 'applications', 'sync', 'addons/cert-manager-hub'), 'a platform project');
    assert.ok(!allowed(csv, 'webstore-developers', 'projects', 'update', 'webstore'));
    assert.ok(!allowed(csv, 'webstore-developers', 'clusters', 'get', '*'));
    assert.ok(allowed(csv, 'payments-devs', 'applications', 'sync', 'payments/api'));
    assert.ok(!allowed(csv, 'payments-devs', 'applications', 'get', 'webstore/frontend'));
  });

  it('denies every other group (default deny)', () => {
    assert.ok(!allowed(csv, 'someone-else', 'applications', 'get', 'webstore/frontend'));
    assert.doesNotMatch(csv, /role:readonly|\*\/\*/);
  });
});

describe('Argo CD single sign-on in the example fleet (self-managed)', () => {
  const files = render();

  it('renders OIDC and the RBAC into the hub\'s argo-cd values only', () => {
    const values = parse(files.get(HUB_VALUES)!);
    assert.equal(values.configs.cm.url, 'https://argocd.example.com');
    const oidc = parse(values.configs.cm['oidc.config']);
    assert.deepEqual(oidc, {
      name: 'SSO', issuer: 'https://login.example.com', clientID: 'argocd', clientSecret: '$argocd-oidc:clientSecret',
      requestedScopes: ['openid', 'profile', 'email', 'groups'], requestedIDTokenClaims: { groups: { essential: true } },
    });
    assert.equal(values.configs.rbac['policy.default'], '');
    assert.equal(values.configs.rbac.scopes, '[groups]');
    assert.equal(values.configs.rbac['policy.csv'], rbacPolicyCsv(['platform-admins'], [{ name: 'webstore', group: 'webstore-developers' }]));
    const argoValues = [...files.keys()].filter((f) => f.startsWith('addons/values/clusters/') && f.endsWith('/argo-cd/values.yaml'));
    assert.deepEqual(argoValues, [HUB_VALUES]);
  });

  it('keeps the catalog\'s argo-cd values (health checks, params) in the default layer', () => {
    const defaults = parse(files.get('addons/values/default/argo-cd/values.yaml')!);
    assert.ok(Object.keys(defaults.configs.cm).some((k) => k.startsWith('resource.customizations.health.')));
    assert.equal(defaults.configs.params['applicationsetcontroller.enable.progressive.syncs'], true);
  });

  it('gives the team\'s AppProject role the same actions on the same Applications as its global role', () => {
    const project = parse(files.get('hub/argocd/projects/webstore.yaml')!);
    const role = project.spec.roles.find((r: any) => r.name === 'developers');
    assert.deepEqual(role.groups, ['webstore-developers']);
    assert.deepEqual(role.policies, teamApplicationPolicies('proj:webstore:developers', 'webstore'));
  });

  it('writes no secret value: the client secret is a reference', () => {
    for (const [file, text] of files) if (file.startsWith('addons/values/')) assert.doesNotMatch(text, /clientSecret: (?!\$)/, file);
  });

  it('renders nothing for SSO without it', () => {
    const spec = fleetCopy();
    delete (spec.argocd as any).sso;
    delete (spec.argocd as any).adminGroups;
    assert.equal(render(withSpec(spec)).get(HUB_VALUES), undefined);
  });
});

describe('Argo CD single sign-on with the EKS capability', () => {
  it('writes the capability configuration (Identity Center, ADMIN role mapping) for the IaC', () => {
    const spec = fleetCopy() as any;
    spec.argocd = {
      mode: 'eks-capability',
      sso: { identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', region: 'us-east-1' } },
      adminGroups: ['c4a8e4f8-1071-70ab-1234-0123456789ab'],
    };
    spec.clusters[0].addons = { ...spec.clusters[0].addons, 'argo-cd': false };
    assert.deepEqual(validateFleet(withSpec(spec), ADDON_CATALOG), []);
    const files = render(withSpec(spec));
    const doc = JSON.parse(files.get('iam/argocd-capability/hub.json')!);
    assert.deepEqual(doc.configuration, {
      argoCd: {
        namespace: 'argocd',
        awsIdc: { idcInstanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', idcRegion: 'us-east-1' },
        rbacRoleMappings: [{ role: 'ADMIN', identities: [{ id: 'c4a8e4f8-1071-70ab-1234-0123456789ab', type: 'SSO_GROUP' }] }],
      },
    });
    assert.ok(![...files.keys()].some((f) => f.includes('/argo-cd/')), 'no argo-cd values');
  });
});

describe('Argo CD single sign-on validation', () => {
  const problems = (change: (s: any) => void) => {
    const spec = fleetCopy() as any;
    change(spec);
    return validateFleet(withSpec(spec), ADDON_CATALOG).map((p) => `${p.file}: ${p.path}: ${p.message}`);
  };

  it('accepts the example', () => {
    assert.deepEqual(validateFleet(exampleFleet, ADDON_CATALOG), []);
  });

  it('accepts both reference forms of the client secret and refuses literals without repeating them', () => {
    assert.deepEqual(problems((s) => { s.argocd.sso.oidc.clientSecret = '$oidc.clientSecret'; }), []);
    for (const literal of ['hunter2', 'sk_live_0123456789', '$not a ref', '']) {
      const found = problems((s) => { s.argocd.sso.oidc.clientSecret = literal; });
      assert.equal(found.length, 1, literal);
      assert.match(found[0], /argocd\.sso\.oidc\.clientSecret: must be a reference/);
      if (literal.length > 3) assert.ok(!found[0].includes(literal), 'the value is not repeated');
    }
  });

  it('refuses http URLs, groups that break policy.csv, admin groups without SSO and OIDC without openid', () => {
    assert.match(problems((s) => { s.argocd.sso.oidc.url = 'http://argocd.example.com'; }).join('\n'), /argocd\.sso\.oidc\.url: must be the external URL/);
    assert.match(problems((s) => { s.argocd.adminGroups = ['a, b']; }).join('\n'), /argocd\.adminGroups\[0\]: "a, b" cannot be written into Argo CD's policy\.csv/);
    assert.match(problems((s) => { s.argocd.adminGroups = ['x', 'x']; }).join('\n'), /argocd\.adminGroups\[1\]: "x" is already listed at argocd\.adminGroups\[0\]/);
    assert.match(problems((s) => { delete s.argocd.sso; }).join('\n'), /argocd\.adminGroups: admin groups need single sign-on/);
    assert.match(problems((s) => { s.argocd.sso.oidc.requestedScopes = ['profile']; }).join('\n'), /requestedScopes: must include "openid"/);
    assert.match(problems((s) => { s.teams[0].group = 'web,store'; }).join('\n'), /environments\/teams\.ts: teams\[0\]\.group: "web,store" cannot be written/);
  });

  it('refuses a bad Identity Center instance and a missing provider for the mode', () => {
    const capability = (s: any, sso: unknown) => { s.argocd = { mode: 'eks-capability', sso }; s.clusters[0].addons['argo-cd'] = false; };
    assert.match(problems((s) => capability(s, { identityCenter: { instanceArn: 'ssoins-1', region: 'us-east-1' } })).join('\n'), /argocd\.sso\.identityCenter\.instanceArn: must be the IAM Identity Center instance ARN/);
    assert.match(problems((s) => capability(s, {})).join('\n'), /argocd\.sso\.identityCenter: is missing/);
    assert.match(problems((s) => { s.argocd.sso = {}; }).join('\n'), /argocd\.sso\.oidc: is missing/);
  });
});
