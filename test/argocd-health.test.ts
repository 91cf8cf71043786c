/**
 * The Lua health checks of charts/argocd/health-checks.ts, run on a real Lua VM against sample objects
 * the way Argo CD runs them: the object as the global `obj`, only the base and table libraries open (no
 * `string`, `math`, `io`, `os`, `debug`: Argo CD opens no standard library for `argocd-cm` scripts unless
 * `useOpenLibs` is set, and the EKS Argo CD capability never sets it), the returned table's `status` and
 * `message` read back.
 *
 * The VM is fengari (Lua 5.3 in JavaScript, a devDependency); Argo CD runs gopher-lua (Lua 5.1), so a
 * second test keeps the scripts to what both dialects read alike. When `lua5.1` is on the PATH the same
 * cases also run on it. Without fengari installed the VM tests skip and say why.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import {
  APPLICATION_HEALTH_LUA,
  CLAIM_HEALTH_LUA,
  healthCheckConfig,
  healthCheckKey,
  hubHealthChecks,
  KYVERNO_POLICY_HEALTH_LUA,
  KYVERNO_VALIDATING_POLICY_HEALTH_LUA,
  OVERRIDDEN_BUILT_INS,
  PACKAGE_HEALTH_LUA,
} from '../charts/argocd/health-checks.js';
import { readFileSync } from 'node:fs';
import { ADDON_CATALOG } from '../charts/addons/catalog.js';
import { DATABASE_API_GROUP, POSTGRES_CLAIM } from '../charts/crossplane/postgres-api.js';
import { parse } from 'yaml';
import { render } from './support/fleet.js';

interface Health {
  readonly status: string | undefined;
  readonly message: string | undefined;
}

/** The few fengari functions the harness uses (the package has no type declarations). */
interface Fengari {
  lua: {
    lua_pushnil(L: unknown): void;
    lua_pushboolean(L: unknown, b: boolean): void;
    lua_pushnumber(L: unknown, n: number): void;
    lua_pushstring(L: unknown, s: Uint8Array): void;
    lua_createtable(L: unknown, narr: number, nrec: number): void;
    lua_rawseti(L: unknown, index: number, i: number): void;
    lua_setfield(L: unknown, index: number, k: Uint8Array): void;
    lua_setglobal(L: unknown, name: Uint8Array): void;
    lua_getfield(L: unknown, index: number, k: Uint8Array): number;
    lua_pcall(L: unknown, nargs: number, nresults: number, errfunc: number): number;
    lua_pop(L: unknown, n: number): void;
    lua_type(L: unknown, index: number): number;
    lua_tojsstring(L: unknown, index: number): string;
    lua_close(L: unknown): void;
    LUA_OK: number;
    LUA_TTABLE: number;
    LUA_TSTRING: number;
    LUA_TNIL: number;
  };
  lauxlib: {
    luaL_newstate(): unknown;
    luaL_requiref(L: unknown, name: Uint8Array, open: unknown, global: number): void;
    luaL_loadstring(L: unknown, s: Uint8Array): number;
  };
  lualib: { luaopen_base: unknown; luaopen_table: unknown };
  to_luastring(s: string): Uint8Array;
}

function loadFengari(): Fengari | undefined {
  try {
    return createRequire(import.meta.url)('fengari') as Fengari;
  } catch {
    return undefined;
  }
}

const fengari = loadFengari();
const NO_FENGARI = fengari ? false : 'npm package fengari is not installed (npm ci installs it): the Lua health checks were not run';

/** Runs a health script on fengari with Argo CD's libraries: base and table only. */
function runFengari(script: string, obj: unknown): Health {
  const { lua, lauxlib, lualib, to_luastring } = fengari!;
  const L = lauxlib.luaL_newstate();
  try {
    lauxlib.luaL_requiref(L, to_luastring('_G'), lualib.luaopen_base, 1);
    lua.lua_pop(L, 1);
    lauxlib.luaL_requiref(L, to_luastring('table'), lualib.luaopen_table, 1);
    lua.lua_pop(L, 1);
    push(obj);
    lua.lua_setglobal(L, to_luastring('obj'));
    if (lauxlib.luaL_loadstring(L, to_luastring(script)) !== lua.LUA_OK) throw new Error(`Lua syntax: ${lua.lua_tojsstring(L, -1)}`);
    if (lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK) throw new Error(`Lua error: ${lua.lua_tojsstring(L, -1)}`);
    assert.equal(lua.lua_type(L, -1), lua.LUA_TTABLE, 'a health script returns a table');
    return { status: field('status'), message: field('message') };
  } finally {
    lua.lua_close(L);
  }

  function field(name: string): string | undefined {
    const t = lua.lua_getfield(L, -1, to_luastring(name));
    const value = t === lua.LUA_TNIL ? undefined : lua.lua_tojsstring(L, -1);
    lua.lua_pop(L, 1);
    return value;
  }

  function push(v: unknown): void {
    if (v === null || v === undefined) lua.lua_pushnil(L);
    else if (typeof v === 'boolean') lua.lua_pushboolean(L, v);
    else if (typeof v === 'number') lua.lua_pushnumber(L, v);
    else if (typeof v === 'string') lua.lua_pushstring(L, to_luastring(v));
    else if (Array.isArray(v)) {
      lua.lua_createtable(L, v.length, 0);
      v.forEach((item, i) => {
        push(item);
        lua.lua_rawseti(L, -2, i + 1);
      });
    } else {
      const entries = Object.entries(v as Record<string, unknown>);
      lua.lua_createtable(L, 0, entries.length);
      for (const [k, item] of entries) {
        push(item);
        lua.lua_setfield(L, -2, to_luastring(k));
      }
    }
  }
}

/** A Lua 5.1 table constructor of a JSON value. */
function luaLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `{${v.map(luaLiteral).join(', ')}}`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, item]) => `[${JSON.stringify(k)}] = ${luaLiteral(item)}`).join(', ')}}`;
}

const LUA51 = spawnSync('lua5.1', ['-v'], { encoding: 'utf8' }).status === 0;

/** Runs a health script on the reference Lua 5.1 interpreter, in a sandbox with only base and table. */
function runLua51(script: string, obj: unknown): Health {
  const driver = `
local script = io.read("*a")
local env = {}
for _, k in ipairs({"assert", "error", "ipairs", "next", "pairs", "pcall", "select", "tonumber", "tostring", "type", "unpack", "rawequal", "rawget", "rawset"}) do env[k] = _G[k] end
env.table = table
env.obj = ${luaLiteral(obj)}
local chunk = assert(loadstring(script))
setfenv(chunk, env)
-- no string metatable either: method calls on strings fail as in Argo CD
local mt = getmetatable("")
local saved = mt.__index
mt.__index = nil
local ok, hs = pcall(chunk)
mt.__index = saved
if not ok then io.write("ERROR\\0", tostring(hs)) return end
io.write(tostring(hs.status), "\\0", tostring(hs.message))
`;
  const r = spawnSync('lua5.1', ['-e', driver], { input: script, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const [status, message] = r.stdout.split('\0');
  if (status === 'ERROR') throw new Error(`Lua error: ${message}`);
  return { status: status === 'nil' ? undefined : status, message: message === 'nil' ? undefined : message };
}

const condition = (type: string, status: string, reason?: string, message?: string) => ({
  type,
  status,
  lastTransitionTime: '2026-11-30T10:00:00Z',
  ...(reason ? { reason } : {}),
  ...(message ? { message } : {}),
});

const claim = (status?: unknown, metadata: Record<string, unknown> = {}) => ({
  apiVersion: `${DATABASE_API_GROUP}/v1alpha1`,
  kind: POSTGRES_CLAIM.kind,
  metadata: { name: 'backend', namespace: 'webstore-prod', ...metadata },
  spec: { parameters: { size: 'small' } },
  ...(status === undefined ? {} : { status }),
});

const pkg = (kind: 'Provider' | 'Function', conditions?: unknown[]) => ({
  apiVersion: 'pkg.crossplane.io/v1',
  kind,
  metadata: { name: kind === 'Provider' ? 'provider-aws-rds' : 'function-patch-and-transform' },
  spec: { package: 'xpkg.example/p:v1' },
  ...(conditions === undefined ? {} : { status: { conditions, currentRevision: 'provider-aws-rds-1a2b3c' } }),
});

const clusterPolicy = (status?: unknown, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'require-requests-limits', ...metadata },
  spec: { validationFailureAction: 'Enforce', rules: [] },
  ...(status === undefined ? {} : { status }),
});

const validatingPolicy = (conditionStatus?: unknown) => ({
  apiVersion: 'policies.kyverno.io/v1',
  kind: 'ValidatingPolicy',
  metadata: { name: 'require-probes' },
  spec: { validationActions: ['Deny'] },
  ...(conditionStatus === undefined ? {} : { status: { conditionStatus } }),
});

interface Case {
  readonly name: string;
  readonly script: string;
  readonly obj: unknown;
  readonly want: Health;
}

const WAITING = 'Claim is waiting for composite resource to become Ready';
const UNPACK = 'cannot unpack package: failed to fetch package digest from remote: GET https://xpkg.example/v2/p/manifests/v1: MANIFEST_UNKNOWN';

const CASES: readonly Case[] = [
  // The database claim.
  { name: 'claim Ready and Synced', script: CLAIM_HEALTH_LUA, obj: claim({ conditions: [condition('Synced', 'True', 'ReconcileSuccess'), condition('Ready', 'True', 'Available')] }), want: { status: 'Healthy', message: 'Available' } },
  { name: 'claim waiting for its composite', script: CLAIM_HEALTH_LUA, obj: claim({ conditions: [condition('Synced', 'True', 'ReconcileSuccess'), condition('Ready', 'False', 'Waiting', WAITING)] }), want: { status: 'Progressing', message: WAITING } },
  { name: 'claim not Ready, reason only', script: CLAIM_HEALTH_LUA, obj: claim({ conditions: [condition('Ready', 'False', 'Creating')] }), want: { status: 'Progressing', message: 'Creating' } },
  {
    name: 'claim that Crossplane cannot reconcile',
    script: CLAIM_HEALTH_LUA,
    obj: claim({ conditions: [condition('Synced', 'False', 'ReconcileError', 'cannot compose resources: no Composition selected'), condition('Ready', 'False', 'Waiting', WAITING)] }),
    want: { status: 'Degraded', message: 'cannot compose resources: no Composition selected' },
  },
  { name: 'claim paused', script: CLAIM_HEALTH_LUA, obj: claim({ conditions: [condition('Synced', 'False', 'ReconcilePaused', 'Reconciliation is paused via the pause annotation')] }), want: { status: 'Suspended', message: 'Reconciliation is paused via the pause annotation' } },
  { name: 'claim without status', script: CLAIM_HEALTH_LUA, obj: claim(), want: { status: 'Progressing', message: "Waiting for Crossplane to report the claim's conditions" } },
  { name: 'claim with an empty status', script: CLAIM_HEALTH_LUA, obj: claim({}), want: { status: 'Progressing', message: "Waiting for Crossplane to report the claim's conditions" } },
  { name: 'claim with only Synced', script: CLAIM_HEALTH_LUA, obj: claim({ conditions: [condition('Synced', 'True', 'ReconcileSuccess')] }), want: { status: 'Progressing', message: "Waiting for Crossplane to report the claim's conditions" } },
  { name: 'claim being deleted', script: CLAIM_HEALTH_LUA, obj: claim({ conditions: [condition('Ready', 'True', 'Available')] }, { deletionTimestamp: '2026-11-30T11:00:00Z' }), want: { status: 'Progressing', message: 'Being deleted' } },
  // Crossplane packages.
  { name: 'Provider installed and healthy', script: PACKAGE_HEALTH_LUA, obj: pkg('Provider', [condition('Installed', 'True', 'ActivePackageRevision'), condition('Healthy', 'True', 'HealthyPackageRevision')]), want: { status: 'Healthy', message: 'HealthyPackageRevision' } },
  { name: 'Provider without status', script: PACKAGE_HEALTH_LUA, obj: pkg('Provider'), want: { status: 'Progressing', message: 'Waiting for the package to be installed' } },
  {
    name: 'Provider whose package cannot be fetched (wrong registry or tag)',
    script: PACKAGE_HEALTH_LUA,
    obj: pkg('Provider', [condition('Installed', 'False', 'UnpackingPackage', UNPACK), condition('Healthy', 'False', 'UnhealthyPackageRevision', UNPACK)]),
    want: { status: 'Degraded', message: UNPACK },
  },
  { name: 'Provider unpacking', script: PACKAGE_HEALTH_LUA, obj: pkg('Provider', [condition('Installed', 'False', 'UnpackingPackage')]), want: { status: 'Progressing', message: 'UnpackingPackage' } },
  { name: 'Provider inactive', script: PACKAGE_HEALTH_LUA, obj: pkg('Provider', [condition('Installed', 'False', 'InactivePackageRevision', 'Package is inactive')]), want: { status: 'Progressing', message: 'Package is inactive' } },
  {
    name: 'Provider installed, health not known yet (Crossplane writes Healthy False)',
    script: PACKAGE_HEALTH_LUA,
    obj: pkg('Provider', [condition('Installed', 'True', 'ActivePackageRevision'), condition('Healthy', 'False', 'UnhealthyPackageRevision', 'Package revision health is "Unknown"')]),
    want: { status: 'Progressing', message: 'Package revision health is "Unknown"' },
  },
  {
    name: 'Provider unhealthy: its revision',
    script: PACKAGE_HEALTH_LUA,
    obj: pkg('Provider', [condition('Installed', 'True', 'ActivePackageRevision'), condition('Healthy', 'False', 'UnhealthyPackageRevision', 'Package revision health is "False" with message: cannot establish control of object')]),
    want: { status: 'Degraded', message: 'Package revision health is "False" with message: cannot establish control of object' },
  },
  {
    name: 'Provider unhealthy: its runtime (crash-looping pods)',
    script: PACKAGE_HEALTH_LUA,
    obj: pkg('Provider', [condition('Installed', 'True', 'ActivePackageRevision'), condition('Healthy', 'False', 'UnhealthyPackageRevision', 'Package runtime health is "False" with message: Deployment does not have minimum availability')]),
    want: { status: 'Degraded', message: 'Package runtime health is "False" with message: Deployment does not have minimum availability' },
  },
  { name: 'Provider health Unknown', script: PACKAGE_HEALTH_LUA, obj: pkg('Provider', [condition('Installed', 'True', 'ActivePackageRevision'), condition('Healthy', 'Unknown', 'UnknownPackageRevisionHealth')]), want: { status: 'Progressing', message: 'UnknownPackageRevisionHealth' } },
  // Argo CD's built-in Provider script fails here (it concatenates the missing Healthy reason).
  { name: 'Provider installed, no Healthy condition yet', script: PACKAGE_HEALTH_LUA, obj: pkg('Provider', [condition('Installed', 'True', 'ActivePackageRevision')]), want: { status: 'Progressing', message: 'Installed; waiting for the package to become healthy' } },
  { name: 'Provider being deleted', script: PACKAGE_HEALTH_LUA, obj: { ...pkg('Provider', [condition('Installed', 'True'), condition('Healthy', 'True')]), metadata: { name: 'p', deletionTimestamp: '2026-11-30T11:00:00Z' } }, want: { status: 'Progressing', message: 'Being deleted' } },
  { name: 'Function installed and healthy', script: PACKAGE_HEALTH_LUA, obj: pkg('Function', [condition('Installed', 'True', 'ActivePackageRevision'), condition('Healthy', 'True', 'HealthyPackageRevision')]), want: { status: 'Healthy', message: 'HealthyPackageRevision' } },
  // Argo CD's built-in wildcard for *.crossplane.io says Healthy here: it does not look at Installed.
  { name: 'Function healthy but not installed', script: PACKAGE_HEALTH_LUA, obj: pkg('Function', [condition('Installed', 'False', 'InactivePackageRevision', 'Package is inactive'), condition('Healthy', 'True', 'HealthyPackageRevision')]), want: { status: 'Progressing', message: 'Package is inactive' } },
  // Child Applications.
  { name: 'Application healthy', script: APPLICATION_HEALTH_LUA, obj: { kind: 'Application', status: { health: { status: 'Healthy' } } }, want: { status: 'Healthy', message: '' } },
  { name: 'Application degraded', script: APPLICATION_HEALTH_LUA, obj: { kind: 'Application', status: { health: { status: 'Degraded', message: 'crossplane-claims: backend is Degraded' } } }, want: { status: 'Degraded', message: 'crossplane-claims: backend is Degraded' } },
  { name: 'Application progressing', script: APPLICATION_HEALTH_LUA, obj: { kind: 'Application', status: { health: { status: 'Progressing' }, sync: { status: 'Synced' } } }, want: { status: 'Progressing', message: '' } },
  { name: 'Application without status', script: APPLICATION_HEALTH_LUA, obj: { kind: 'Application', metadata: { name: 'fleet-crossplane' } }, want: { status: 'Progressing', message: '' } },
  // Kyverno ClusterPolicy (status as Kyverno v1.19.0 SetReady writes it).
  { name: 'ClusterPolicy ready', script: KYVERNO_POLICY_HEALTH_LUA, obj: clusterPolicy({ conditions: [condition('Ready', 'True', 'Succeeded', 'Ready')], rulecount: { validate: 1, generate: 0, mutate: 0, verifyimages: 0 } }), want: { status: 'Healthy', message: 'Ready' } },
  { name: 'ClusterPolicy not in the webhook yet', script: KYVERNO_POLICY_HEALTH_LUA, obj: clusterPolicy({ conditions: [condition('Ready', 'False', 'Failed', 'Not Ready')] }), want: { status: 'Progressing', message: "Not in Kyverno's webhook configuration yet: Not Ready" } },
  { name: 'ClusterPolicy without status', script: KYVERNO_POLICY_HEALTH_LUA, obj: clusterPolicy(), want: { status: 'Progressing', message: 'Waiting for Kyverno to serve the policy' } },
  { name: 'ClusterPolicy with an empty status', script: KYVERNO_POLICY_HEALTH_LUA, obj: clusterPolicy({ autogen: {}, rulecount: { validate: 0, generate: 0, mutate: 0, verifyimages: 0 } }), want: { status: 'Progressing', message: 'Waiting for Kyverno to serve the policy' } },
  { name: 'ClusterPolicy of an older Kyverno (status.ready)', script: KYVERNO_POLICY_HEALTH_LUA, obj: clusterPolicy({ ready: true }), want: { status: 'Healthy', message: 'Ready' } },
  { name: 'ClusterPolicy being deleted', script: KYVERNO_POLICY_HEALTH_LUA, obj: clusterPolicy({ conditions: [condition('Ready', 'True', 'Succeeded', 'Ready')] }, { deletionTimestamp: '2026-11-30T11:00:00Z' }), want: { status: 'Progressing', message: 'Being deleted' } },
  // Kyverno ValidatingPolicy (status.conditionStatus as Kyverno v1.19.0 writes it).
  {
    name: 'ValidatingPolicy ready',
    script: KYVERNO_VALIDATING_POLICY_HEALTH_LUA,
    obj: validatingPolicy({ ready: true, conditions: [condition('WebhookConfigured', 'True', 'Succeeded', 'Webhook configured.'), condition('RBACPermissionsGranted', 'True', 'Succeeded', 'Policy is ready for reporting.')] }),
    want: { status: 'Healthy', message: 'Ready' },
  },
  {
    name: 'ValidatingPolicy not in the webhook yet',
    script: KYVERNO_VALIDATING_POLICY_HEALTH_LUA,
    obj: validatingPolicy({ ready: false, conditions: [condition('WebhookConfigured', 'False', 'Failed', 'Policy is not configured in the webhook.'), condition('RBACPermissionsGranted', 'True', 'Succeeded', 'Policy is ready for reporting.')] }),
    want: { status: 'Progressing', message: 'Policy is not configured in the webhook.' },
  },
  {
    name: 'ValidatingPolicy without the permissions to report',
    script: KYVERNO_VALIDATING_POLICY_HEALTH_LUA,
    obj: validatingPolicy({ ready: false, conditions: [condition('WebhookConfigured', 'True', 'Succeeded', 'Webhook configured.'), condition('RBACPermissionsGranted', 'False', 'Failed', 'Policy is not ready for reporting, missing permissions: pods.')] }),
    want: { status: 'Degraded', message: 'Policy is not ready for reporting, missing permissions: pods.' },
  },
  { name: 'ValidatingPolicy without status', script: KYVERNO_VALIDATING_POLICY_HEALTH_LUA, obj: validatingPolicy(), want: { status: 'Progressing', message: "Waiting for Kyverno to report the policy's status" } },
  { name: 'ValidatingPolicy with conditions only', script: KYVERNO_VALIDATING_POLICY_HEALTH_LUA, obj: validatingPolicy({ conditions: [condition('WebhookConfigured', 'True', 'Succeeded', 'Webhook configured.')] }), want: { status: 'Progressing', message: "Waiting for Kyverno to report the policy's status" } },
];

describe('Argo CD health checks (Lua, run on fengari)', () => {
  for (const c of CASES) {
    it(c.name, { skip: NO_FENGARI }, () => {
      assert.deepEqual(runFengari(c.script, c.obj), c.want);
    });
  }

  it('the harness has no string library, as in Argo CD: a script using it fails', { skip: NO_FENGARI }, () => {
    assert.throws(() => runFengari('return { status = string.upper("healthy") }', {}), /Lua error/);
    assert.throws(() => runFengari('local s = "x"; return { status = s:upper() }', {}), /Lua error/);
  });
});

describe('Argo CD health checks (Lua 5.1, when lua5.1 is installed)', () => {
  const skip = LUA51 ? false : 'lua5.1 is not on the PATH (optional: apt-get install lua5.1); fengari covers the cases';
  for (const c of CASES) {
    it(c.name, { skip }, () => {
      assert.deepEqual(runLua51(c.script, c.obj), c.want);
    });
  }
});

describe('Argo CD health checks: the scripts', () => {
  const scripts = { CLAIM_HEALTH_LUA, PACKAGE_HEALTH_LUA, APPLICATION_HEALTH_LUA, KYVERNO_POLICY_HEALTH_LUA, KYVERNO_VALIDATING_POLICY_HEALTH_LUA };

  for (const [name, lua] of Object.entries(scripts)) {
    it(`${name} reads alike in Lua 5.1 (gopher-lua) and uses no standard library`, () => {
      const code = lua.replace(/--[^\n]*/g, '').replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
      for (const [pattern, why] of [
        [/\b(string|math|io|os|debug|coroutine|utf8|require)\s*[.(]/, 'a standard library Argo CD does not open for argocd-cm scripts'],
        [/\w\s*:\s*\w+\s*\(/, 'a method call (strings have no methods without the string library)'],
        [/\bgoto\b|::\w+::/, 'goto (Lua 5.2+)'],
        [/\/\//, 'floor division (Lua 5.3+)'],
        [/[&|]|<<|>>|~(?!=)/, 'bitwise operators (Lua 5.3+)'],
        [/\b(load|loadstring|dofile|setfenv|getfenv)\b/, 'code loading'],
      ] as const) {
        assert.doesNotMatch(code, pattern, `${name}: ${why}`);
      }
      assert.doesNotMatch(lua, /[ \t]$/m, `${name}: no trailing spaces (they would turn the YAML block scalar into a quoted string)`);
    });
  }

  it('keys follow argocd-cm: resource.customizations.health.<group>_<kind>', () => {
    assert.equal(healthCheckKey({ group: 'pkg.crossplane.io', kind: 'Provider' }), 'resource.customizations.health.pkg.crossplane.io_Provider');
  });

  it("the argo-cd add-on's default values carry the checks in configs.cm, next to the existing values", () => {
    const argocd = ADDON_CATALOG.find((a) => a.name === 'argo-cd')!;
    const configs = (argocd.values as { configs: { cm: Record<string, string>; params: Record<string, unknown> } }).configs;
    assert.equal(configs.params['applicationsetcontroller.enable.progressive.syncs'], true);
    assert.deepEqual(configs.cm, healthCheckConfig(hubHealthChecks([{ group: DATABASE_API_GROUP, kind: POSTGRES_CLAIM.kind }])));
    assert.deepEqual(Object.keys(configs.cm), [
      `resource.customizations.health.${DATABASE_API_GROUP}_${POSTGRES_CLAIM.kind}`,
      'resource.customizations.health.pkg.crossplane.io_Provider',
      'resource.customizations.health.pkg.crossplane.io_Function',
      'resource.customizations.health.argoproj.io_Application',
      'resource.customizations.health.kyverno.io_ClusterPolicy',
      'resource.customizations.health.policies.kyverno.io_ValidatingPolicy',
    ]);
    assert.equal(configs.cm[healthCheckKey({ group: 'argoproj.io', kind: 'Application' })], APPLICATION_HEALTH_LUA);
  });

  it('reach the rendered default values of the argo-cd add-on unchanged, as YAML block scalars', () => {
    const text = render().get('addons/values/default/argo-cd/values.yaml')!;
    const values = parse(text) as { configs: { cm: Record<string, string> } };
    assert.deepEqual(values.configs.cm, healthCheckConfig(hubHealthChecks([{ group: DATABASE_API_GROUP, kind: POSTGRES_CLAIM.kind }])));
    for (const key of Object.keys(values.configs.cm)) assert.ok(text.includes(`    ${key}: |\n`), `${key} is a literal block`);
  });
});

describe("Argo CD health checks: the hub's set against Argo CD's built-in checks", () => {
  /** `resource_customizations/<group>/<kind>/health.lua` of argoproj/argo-cd at the tags the hub runs (the chart pin's appVersion and the CRDs' release). */
  const fixture = JSON.parse(readFileSync(new URL('./fixtures/argo-cd/builtin-health-checks.json', import.meta.url), 'utf8')) as {
    tags: Record<string, { commit: string; healthChecks: string[] }>;
  };
  /** The built-in checks Argo CD would use for a kind: the exact folder, else a folder with `_` wildcards (util/lua/lua.go). */
  const builtInFor = (checks: readonly string[], key: string): string[] =>
    checks.filter((p) => p === key || (p.includes('_') && new RegExp(`^${p.split('_').map((x) => x.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`).test(key)));
  const hubKeys = hubHealthChecks([{ group: DATABASE_API_GROUP, kind: POSTGRES_CLAIM.kind }]).map((c) => `${c.group}/${c.kind}`);

  for (const [tag, { healthChecks }] of Object.entries(fixture.tags)) {
    it(`duplicates no built-in check of ${tag}, except the overrides that say why`, () => {
      for (const key of hubKeys) {
        const builtIn = builtInFor(healthChecks, key);
        if (builtIn.length > 0) assert.ok(OVERRIDDEN_BUILT_INS[key], `${key} has a built-in check at ${tag} (${builtIn.join(', ')}): drop ours or say why in OVERRIDDEN_BUILT_INS`);
      }
      for (const key of Object.keys(OVERRIDDEN_BUILT_INS)) {
        assert.ok(hubKeys.includes(key), `${key} is overridden but not among the hub's checks`);
        assert.ok(builtInFor(healthChecks, key).length > 0, `${key} has no built-in check at ${tag} to override`);
      }
    });

    it(`leaves the kinds the add-ons deploy that ${tag} checks itself to Argo CD`, () => {
      for (const key of ['karpenter.sh/NodePool', 'karpenter.k8s.aws/EC2NodeClass', 'cert-manager.io/ClusterIssuer', 'cert-manager.io/Certificate', 'external-secrets.io/ExternalSecret', 'external-secrets.io/ClusterSecretStore', 'external-secrets.io/SecretStore']) {
        assert.ok(healthChecks.includes(key), `${key} is built in at ${tag}`);
        assert.ok(!hubKeys.includes(key), `${key}: no check of ours`);
      }
      for (const key of ['kyverno.io/ClusterPolicy', 'policies.kyverno.io/ValidatingPolicy']) assert.deepEqual(builtInFor(healthChecks, key), [], `${key} has no built-in check at ${tag}`);
    });
  }

  it('every check of the hub runs on an object without status and on one being deleted', { skip: NO_FENGARI }, () => {
    for (const check of hubHealthChecks([{ group: DATABASE_API_GROUP, kind: POSTGRES_CLAIM.kind }])) {
      const obj = { apiVersion: `${check.group}/v1`, kind: check.kind, metadata: { name: 'x' } };
      const fresh = runFengari(check.lua, obj);
      assert.ok(['Progressing', 'Healthy'].includes(fresh.status!), `${check.kind}: ${fresh.status}`);
      const deleting = runFengari(check.lua, { ...obj, metadata: { name: 'x', deletionTimestamp: '2026-11-30T11:00:00Z' } });
      assert.ok(deleting.status !== undefined, `${check.kind} returns a status while being deleted`);
    }
  });
});
