/**
 * Property-based tests (fast-check, fixed seeds): random valid fleets render into schema-valid objects;
 * input order never changes a byte of the output; and a corrupted input is either rendered or refused
 * with a `FleetValidationError`, never a crash of another kind.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ADDON_CATALOG, AddonDefinition, AppSpec, ClusterAddonSetting, ClusterSpec, EnvironmentDatabases, EnvironmentSpec, fleetOutputs, FleetSource, FleetSpec, FleetValidationError, formatProblem, TeamSpec } from '../charts/index.js';
import { isEnabled } from '../charts/model/resolve.js';
import { addonPin, addonVersionFor, LISTED_KUBERNETES_MINORS, rangeHolds } from '../charts/model/addon-versions.js';
import { RESERVED_PROJECTS } from '../charts/validate/teams.js';
import { renderFiles, renderTree } from '../render/render.js';
import { planFleet } from '../render/plan/plan.js';
import { crdsAvailable, CRDS_DIR, registerXrd, schemaProblems } from './support/schemas.js';
import { exampleFleet, objects } from './support/fleet.js';
import { TEST_CA } from './support/ca.js';
import { runs } from './support/fc-runs.js';

const FILES = exampleFleet.files;
const source = (spec: FleetSpec): FleetSource => ({ spec, files: FILES });
const render = (spec: FleetSpec, catalog: readonly AddonDefinition[] = ADDON_CATALOG) => renderFiles(fleetOutputs(source(spec), { catalog }));

// --- generating valid fleets through the public model ------------------------------------------------

type SpokeEnv = 'staging' | 'prod';
const SPOKE_ENVS: readonly SpokeEnv[] = ['staging', 'prod'];
const REGIONS = ['us-west-2', 'us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
const byName = new Map(ADDON_CATALOG.map((a) => [a.name, a]));
/** Add-ons a spoke may run (and an environment of spokes may enable). */
const SPOKE_ADDONS = ADDON_CATALOG.filter((a) => (a.placement ?? 'any') !== 'hub').map((a) => a.name);
/** Add-ons the hub may run, apart from argo-cd, which depends on the Argo CD mode. */
const HUB_ADDONS = ADDON_CATALOG.filter((a) => (a.placement ?? 'any') !== 'spokes' && a.name !== 'argo-cd').map((a) => a.name);

const label = (max: number) => fc.stringMatching(new RegExp(`^[a-z]([a-z0-9-]{0,${max - 2}}[a-z0-9])?$`));
/** A name that is also an image repository path component (no '--'): team and app names. */
const shortName = fc.stringMatching(/^[a-z][a-z0-9]{0,4}(-[a-z0-9]{1,4})?$/);
const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
const chartVersion = fc
  .tuple(fc.boolean(), fc.nat(30), fc.nat(40), fc.nat(9))
  .map(([v, a, b, c]) => `${v ? 'v' : ''}${a}.${b}.${c}`);
/** Helm values: a few keys with scalars and one nested level (strings that YAML could misread included). */
const helmValues = fc.dictionary(
  fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,8}$/),
  fc.oneof(
    fc.integer({ min: -5, max: 1000 }),
    fc.boolean(),
    fc.constantFrom('yes', 'no', 'on', '1e3', '0x10', 'null', '~', ''),
    fc.stringMatching(/^[a-z0-9 .:-]{0,12}$/),
    fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.integer({ min: 0, max: 9 }), { maxKeys: 2 }),
  ),
  { minKeys: 1, maxKeys: 3 },
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** The add-ons in `names` plus everything they depend on, transitively. */
function closure(names: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const add = (n: string) => {
    if (out.has(n)) return;
    out.add(n);
    for (const d of byName.get(n)?.dependsOn ?? []) add(d);
  };
  for (const n of names) add(n);
  return out;
}

/**
 * Kubernetes minors a cluster may run: those the catalog lists version sets for, and one older than
 * them (where add-ons whose every checked version is newer cannot run).
 */
const MINORS = ['1.29', ...LISTED_KUBERNETES_MINORS];

/**
 * The facts of the IaC contract (`AddonDefinition.facts`) a cluster's IaC would write, one value per fact
 * of the catalog, drawn from the fact's pattern (any non-empty string without one): values YAML could
 * misread included. A cluster gets those of the add-ons it runs.
 */
const factsArb = fc.record(Object.fromEntries(ADDON_CATALOG.flatMap((a) => a.facts ?? []).map((f) => [
  f.key,
  f.pattern === undefined ? fc.stringMatching(/^[A-Za-z0-9:/._-]{1,20}$/) : fc.stringMatching(new RegExp(`^(?:${f.pattern})$`)),
])) as Record<string, fc.Arbitrary<string>>);

const pinArb = fc.array(fc.record({ addon: fc.constantFrom(...SPOKE_ADDONS), version: chartVersion, values: maybe(helmValues) }), { maxLength: 3 });

const spokeArb = fc.record({
  name: label(20).filter((n) => n !== 'in-cluster'),
  environment: fc.constantFrom<SpokeEnv>(...SPOKE_ENVS),
  tenant: fc.nat(2),
  region: fc.constantFrom(...REGIONS),
  kubernetesVersion: fc.constantFrom(...MINORS),
  vpc: hex(17),
  endpoint: fc.stringMatching(/^[0-9A-F]{32}$/),
  /** Add-ons enabled on top of the environment's. */
  extra: fc.subarray(SPOKE_ADDONS, { maxLength: 6 }),
  /** Environment add-ons this cluster turns off (unless something enabled needs them). */
  off: fc.subarray(SPOKE_ADDONS, { maxLength: 4 }),
  pins: pinArb,
  facts: factsArb,
  tenantLabel: maybe(label(12)),
});

const appArb = fc.record({
  name: shortName,
  kind: fc.constantFrom('web', 'worker'),
  tag: fc.oneof(fc.stringMatching(/^v\d{1,2}\.\d{1,2}\.\d$/), fc.constant(undefined)),
  digest: hex(64),
  scale: fc.oneof(fc.record({ replicas: fc.integer({ min: 1, max: 3 }) }), fc.record({ min: fc.integer({ min: 1, max: 2 }), max: fc.integer({ min: 2, max: 4 }) })),
  ingress: fc.boolean(),
  internetEgress: fc.boolean(),
  connects: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  envs: fc.subarray([...SPOKE_ENVS]),
  overlays: fc.array(fc.record({ newTag: maybe(fc.stringMatching(/^\d\.\d{1,2}\.\d$/)), count: maybe(fc.integer({ min: 1, max: 3 })) }), { minLength: 2, maxLength: 2 }),
  database: fc.constantFrom(undefined, 'small', 'medium', 'large', 'per-environment'),
  config: maybe(fc.dictionary(fc.stringMatching(/^[A-Z][A-Z_]{0,8}$/), fc.stringMatching(/^[a-z0-9:/.]{0,12}$/), { maxKeys: 3 })),
});

const teamArb = fc.record({
  name: shortName.filter((n) => !RESERVED_PROJECTS.includes(n)),
  envs: fc.subarray([...SPOKE_ENVS]),
  generousQuota: fc.boolean(),
  access: fc.subarray([...SPOKE_ENVS]),
  apps: fc.uniqueArray(appArb, { maxLength: 3, selector: (a) => a.name }),
});

const fleetArb = fc.record({
  name: label(20),
  mode: fc.constantFrom('self-managed', 'eks-capability'),
  progressiveSync: fc.boolean(),
  argocdAddon: fc.boolean(),
  accountIds: fc.uniqueArray(fc.stringMatching(/^\d{12}$/), { minLength: 4, maxLength: 4 }),
  hubRegion: fc.constantFrom(...REGIONS),
  hubKubernetesVersion: fc.constantFrom(...MINORS),
  hubFacts: factsArb,
  hubAddons: fc.subarray(HUB_ADDONS, { maxLength: 6 }),
  hubPins: fc.array(fc.record({ addon: fc.constantFrom(...HUB_ADDONS), version: chartVersion }), { maxLength: 2 }),
  envAddons: fc.tuple(fc.subarray(SPOKE_ADDONS, { maxLength: 8 }), fc.subarray(SPOKE_ADDONS, { maxLength: 8 })),
  envPins: fc.tuple(pinArb, pinArb),
  databases: fc.boolean(),
  backups: fc.tuple(fc.nat(35), fc.nat(35)),
  protect: fc.tuple(fc.boolean(), fc.boolean()),
  spokes: fc.uniqueArray(spokeArb, { minLength: 1, maxLength: 6, selector: (s) => s.name }),
  teams: fc.uniqueArray(teamArb, { maxLength: 3, selector: (t) => t.name }),
});

type FleetChoices = typeof fleetArb extends fc.Arbitrary<infer T> ? T : never;

/** Builds a valid fleet from the choices: every reference resolves, every rule of the model holds by construction. */
function buildFleet(c: FleetChoices): FleetSpec {
  const [centralId, ...tenantIds] = c.accountIds;
  const tenants = tenantIds.map((id, i) => ({ name: `tenant${i + 1}`, id, kind: 'tenant' as const, crossplaneRoleArn: `arn:aws:iam::${id}:role/crossplane-provider-aws` }));
  const spokes = c.spokes.filter((s) => s.name !== 'hub');
  if (spokes.length === 0) spokes.push({ ...c.spokes[0], name: 'spoke' });
  const spokeEnvs = SPOKE_ENVS.filter((e) => spokes.some((s) => s.environment === e));

  // Teams and apps first: databases decide which add-ons must run.
  const teams: TeamSpec[] = c.teams.map((t) => {
    const envs = SPOKE_ENVS.filter((e) => t.envs.includes(e) && spokeEnvs.includes(e));
    const teamEnvs = envs.length > 0 ? envs : [spokeEnvs[0]];
    const runsInOf = t.apps.map((a) => {
      const appEnvs = teamEnvs.filter((e) => a.envs.includes(e));
      return appEnvs.length > 0 ? appEnvs : [teamEnvs[0]];
    });
    const apps: AppSpec[] = t.apps.map((a, i) => {
      const runsIn = runsInOf[i];
      const repository = `public.ecr.aws/${t.name}/${a.name}`;
      const image = a.tag ? { repository, tag: a.tag } : { repository, digest: `sha256:${a.digest}` };
      const scale = 'replicas' in a.scale ? { replicas: a.scale.replicas } : { autoscaling: { minReplicas: a.scale.min, maxReplicas: Math.max(a.scale.min, a.scale.max) } };
      const base = { image, ...scale, ...(a.config && { config: a.config }) };
      const environments = Object.fromEntries(runsIn.map((e, k) => {
        const o = a.overlays[k];
        return [e, {
          ...(o.newTag && { images: [{ name: repository, newTag: o.newTag }] }),
          ...(o.count !== undefined && { replicas: [{ name: a.name, count: o.count }] }),
        }];
      }));
      const database = c.databases && a.database
        ? { engine: 'postgres' as const, size: a.database === 'per-environment' ? Object.fromEntries(runsIn.map((e) => [e, e === 'prod' ? 'medium' as const : 'small' as const])) : a.database }
        : undefined;
      return {
        name: a.name,
        ...(a.kind === 'web'
          ? { webService: { ...base, ...(a.ingress && { ingress: { host: `${a.name}.${t.name}.example.com` } }) } }
          : { worker: { ...base, livenessCommand: ['/app/healthcheck'] } }),
        environments,
        // An app calls only apps that run wherever it runs.
        connectsTo: t.apps.filter((_, j) => j !== i && a.connects[j] && runsIn.every((e) => runsInOf[j].includes(e))).map((b) => b.name),
        internetEgress: a.internetEgress,
        ...(database && { database }),
      };
    });
    return {
      name: t.name,
      group: `${t.name}-developers`,
      environments: teamEnvs,
      ...(t.generousQuota && {
        quota: Object.fromEntries(teamEnvs.map((e) => [e, { requestsCpu: '16', requestsMemory: '32Gi', limitsCpu: '32', limitsMemory: '64Gi', pods: 100 }])),
      }),
      access: Object.fromEntries(teamEnvs.filter((e) => t.access.includes(e)).map((e) => [e, 'edit' as const])),
      apps,
    };
  });
  const wantsDatabases = teams.some((t) => t.apps.some((a) => a.database));

  const environments: EnvironmentSpec[] = [
    { name: 'control-plane', promotionOrder: 0 },
    ...SPOKE_ENVS.map((name, i): EnvironmentSpec => {
      const tenant = tenants[i];
      const region = REGIONS[i];
      const databases: EnvironmentDatabases = {
        account: tenant.name,
        region,
        vpcId: `vpc-0${i}${'ab'.repeat(7)}c`,
        subnetIds: [`subnet-0${i}${'1'.repeat(15)}`, `subnet-0${i}${'2'.repeat(15)}`],
        allowedCidr: `10.${i + 1}.0.0/16`,
        endpointDomain: `c8xq2z1kqj5r.${region}.rds.amazonaws.com`,
        multiAz: c.protect[i],
        deletionProtection: c.protect[i],
        backupRetentionDays: c.protect[i] ? Math.max(7, c.backups[i]) : c.backups[i],
        finalSnapshot: c.protect[i],
      };
      const addons: Record<string, boolean | { version?: string; values?: Record<string, unknown> }> = Object.fromEntries(c.envAddons[i].map((a) => [a, true]));
      for (const p of c.envPins[i]) if (addons[p.addon] !== undefined) addons[p.addon] = { version: p.version, ...(p.values && { values: p.values }) };
      return { name, promotionOrder: i + 1, ...(c.databases && { databases }), addons };
    }),
  ];

  const irsa = (accountId: string, cluster: string, a: string) => `arn:aws:iam::${accountId}:role/${cluster}-${a}`;
  type Pins = ReadonlyArray<{ addon: string; version: string; values?: Record<string, unknown> }>;
  /**
   * Of the add-ons a cluster on Kubernetes `minor` would run, those it can: each needs a version for that
   * minor (its pin, the cluster's else its environment's, when the catalog checked it with a range that
   * holds the minor or does not know it; else the version set's), and everything it depends on, which
   * excludes `unavailable` (the argo-cd add-on under the EKS capability).
   */
  const runnable = (wanted: Set<string>, minor: string, pins: Pins, envSettings: EnvironmentSpec['addons'], unavailable: readonly string[] = []) => {
    const hasVersion = (a: string) => {
      const envSetting = envSettings?.[a];
      const pinned = pins.find((p) => p.addon === a)?.version ?? (typeof envSetting === 'object' ? envSetting.version : undefined);
      if (pinned === undefined) return addonVersionFor(byName.get(a)!, minor) !== undefined;
      const pin = addonPin(byName.get(a)!, pinned);
      return pin === undefined || rangeHolds(pin.kubernetes, minor);
    };
    const out = new Set([...wanted].filter((a) => !unavailable.includes(a) && hasVersion(a)));
    for (let dropped = true; dropped;) {
      dropped = false;
      for (const a of out) {
        if ((byName.get(a)!.dependsOn ?? []).every((d) => out.has(d))) continue;
        out.delete(a);
        dropped = true;
      }
    }
    return out;
  };
  /** One cluster's add-on settings so that exactly `enabled` runs, given what its environment enables. */
  const settings = (cluster: string, accountId: string, enabled: Set<string>, fromEnv: Set<string>, pins: Pins, facts: Record<string, string>) => {
    const out: Record<string, boolean | ClusterAddonSetting> = {};
    for (const a of [...fromEnv].filter((n) => !enabled.has(n))) out[a] = false;
    for (const a of enabled) {
      const pin = pins.find((p) => p.addon === a);
      const addonFacts = (byName.get(a)!.facts ?? []).map((f) => [f.key, facts[f.key]] as const);
      const s: ClusterAddonSetting = {
        ...(byName.get(a)!.iamRole && { iamRoleArn: irsa(accountId, cluster, a) }),
        ...(addonFacts.length > 0 && { facts: Object.fromEntries(addonFacts) }),
        ...(pin && { version: pin.version, ...(pin.values && { values: pin.values }) }),
      };
      if (Object.keys(s).length > 0) out[a] = s;
      else if (!fromEnv.has(a)) out[a] = true;
    }
    return out;
  };

  const hubEnabled = runnable(closure([
    ...c.hubAddons,
    ...(c.mode === 'self-managed' && c.argocdAddon ? ['argo-cd'] : []),
    ...(wantsDatabases ? ['crossplane'] : []),
  ]), c.hubKubernetesVersion, c.hubPins, undefined, c.mode === 'eks-capability' ? ['argo-cd'] : []);
  const clusters: ClusterSpec[] = [
    {
      name: 'hub',
      account: 'central',
      region: c.hubRegion,
      environment: 'control-plane',
      role: 'hub',
      kubernetesVersion: c.hubKubernetesVersion,
      vpcId: `vpc-${'0a'.repeat(8)}1`,
      addons: settings('hub', centralId, hubEnabled, new Set(), c.hubPins, c.hubFacts),
    },
    ...spokes.map((s, k): ClusterSpec => {
      const i = SPOKE_ENVS.indexOf(s.environment);
      const tenant = tenants[s.tenant % tenants.length];
      const fromEnv = new Set(c.envAddons[i]);
      const wanted = closure([...[...fromEnv].filter((a) => !s.off.includes(a)), ...s.extra, ...(wantsDatabases ? ['external-secrets', 'reloader'] : [])]);
      const enabled = runnable(wanted, s.kubernetesVersion, s.pins, environments.find((e) => e.name === s.environment)!.addons);
      // What apps with databases need runs on every minor: the generator never drops it.
      if (wantsDatabases) assert.ok(enabled.has('external-secrets') && enabled.has('reloader'), `external-secrets and reloader run on Kubernetes ${s.kubernetesVersion}`);
      return {
        name: s.name,
        account: tenant.name,
        region: s.region,
        environment: s.environment,
        role: 'spoke',
        kubernetesVersion: s.kubernetesVersion,
        vpcId: `vpc-${s.vpc}`,
        // One API server per spoke: the last two hex digits are the spoke's index.
        endpoint: `https://${s.endpoint.slice(0, 30)}${k.toString(16).toUpperCase().padStart(2, '0')}.gr7.${s.region}.eks.amazonaws.com`,
        caData: TEST_CA,
        argocdRoleArn: `arn:aws:iam::${tenant.id}:role/${s.name}-argocd-spoke`,
        ...(s.tenantLabel && { tenant: s.tenantLabel }),
        addons: settings(s.name, tenant.id, enabled, fromEnv, s.pins, s.facts),
      };
    }),
  ];

  return {
    name: c.name,
    argocd: { mode: c.mode as 'self-managed' | 'eks-capability', progressiveSync: c.progressiveSync },
    repos: {
      addons: { url: `https://git.example.com/platform/${c.name}.git`, revision: 'main', basePath: 'dist/' },
      workloads: { url: `git@git.example.com:teams/${c.name}-apps.git`, revision: 'v1.2.3' },
    },
    accounts: [{ name: 'central', id: centralId, kind: 'central' }, ...tenants],
    environments,
    clusters,
    teams,
  };
}

const validFleet = fleetArb.map(buildFleet);

// --- shuffling -----------------------------------------------------------------------------------

/** A small seeded PRNG (mulberry32), so that a shuffle is reproducible from fast-check's seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(list: readonly T[], random: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Lists whose order carries no meaning in the model (by path, `*` for any key or index). Lists inside
 * overlays (patches, generators, images) and container commands are ordered by nature and stay put.
 * `environments.*.databases.subnetIds` is a set too, but the database claim keeps its input order
 * (shuffling it changes `hub/crossplane/claims/...`), so it is left out here until the render sorts it.
 */
const UNORDERED = [
  'accounts', 'environments', 'clusters', 'teams', 'teams.*.environments', 'teams.*.apps', 'teams.*.apps.*.connectsTo',
].map((p) => new RegExp(`^${p.replace(/\./g, '\\.').replace(/\*/g, '[^.]+')}$`));

/** A deep copy with every unordered list shuffled and every object's keys in a shuffled order. */
function shuffleInput(value: unknown, random: () => number, path = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v, i) => shuffleInput(v, random, path ? `${path}.${i}` : String(i)));
    return UNORDERED.some((r) => r.test(path)) ? shuffled(items, random) : items;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, shuffleInput(v, random, path ? `${path}.${k}` : k)] as const);
    return Object.fromEntries(shuffled(entries, random));
  }
  return value;
}

function shuffleCatalog(random: () => number): AddonDefinition[] {
  return shuffled(ADDON_CATALOG, random).map((a) => (a.dependsOn ? { ...a, dependsOn: shuffled(a.dependsOn, random) } : a));
}

// --- corrupting ------------------------------------------------------------------------------------

type Path = ReadonlyArray<string | number>;

/** Every field path of a value (leaves and the objects and lists above them), functions excluded. */
function fieldPaths(value: unknown, at: Path = []): Path[] {
  const out: Path[] = at.length > 0 ? [at] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...fieldPaths(v, [...at, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (typeof v !== 'function') out.push(...fieldPaths(v, [...at, k]));
  return out;
}

/** Wrong-typed or malformed values: where a string is expected a number, and so on. */
const corruption: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0, -1, 1.5, NaN, Infinity),
  fc.constant(''),
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.stringMatching(/^[A-Za-z][A-Za-z ]{2,20} [A-Z]$/),
  fc.constantFrom('x'.repeat(5000), 'a'.repeat(64), '../..', 'HEAD', 'latest', '0.0.0.0/0', '${{ x }}', 'a:b', '-', '__proto__'),
  fc.constant([]),
  fc.constant({}),
  fc.constantFrom([''], [null], [42], ['Not Valid']),
  fc.constantFrom({ name: 42 }, { count: 'x' }, { enabled: 'yes' }),
);

function corrupt(spec: FleetSpec, path: Path, value: unknown): FleetSpec {
  const copy = structuredClone(spec) as any;
  let target = copy;
  for (const k of path.slice(0, -1)) target = target[k];
  target[path[path.length - 1]] = structuredClone(value);
  return copy;
}

/** Renders, or returns the validation error; anything else thrown escapes. */
function renderOrRefuse(spec: FleetSpec): Map<string, string> | FleetValidationError {
  try {
    return render(spec);
  } catch (e) {
    if (e instanceof FleetValidationError) return e;
    throw e;
  }
}

// --- the properties --------------------------------------------------------------------------------

/**
 * Cases per property (test/support/fc-runs.ts), by what one case costs. The schema check's first use
 * (about 1.8 s: loading the validators) is most of `render`'s cost, so its cases stay at 30 (17 ms each);
 * `plan` renders and plans each fleet twice (50 ms), `shuffle` renders twice (40 ms), `corrupt` validates
 * and renders the example once (5 ms). Were 30, 20, 20 and 400: 1.5 s more for the same properties.
 */
const RUNS = {
  render: runs(30),
  plan: runs(12),
  shuffle: runs(12),
  corrupt: runs(250),
};

describe('properties', () => {
  it('random valid fleets (1..6 spokes, add-ons, pins, teams and apps) validate, render, and every object is schema-valid', (t) => {
    const schemas = crdsAvailable();
    if (!schemas) t.diagnostic(`CRDs not found at ${CRDS_DIR}: rendering without the schema check`);
    let withTeams = 0;
    let withDatabases = 0;
    let withFacts = 0;
    let mixedMinors = 0;
    fc.assert(
      fc.property(validFleet, (spec) => {
        const files = render(spec);
        if (schemas) {
          const all = objects(files);
          // Claims are of kinds our own XRD defines: learn those first.
          for (const { obj } of all) if (obj.kind === 'CompositeResourceDefinition') registerXrd(obj);
          const problems = all.flatMap(({ file, obj }) => schemaProblems(obj).map((p) => `${file} ${obj.kind}/${obj.metadata?.name}: ${p}`));
          assert.deepEqual(problems, []);
        }
        // What was asked for is there: a cluster Secret per spoke, an ApplicationSet per add-on that runs
        // somewhere, a workloads ApplicationSet per team.
        for (const c of spec.clusters) {
          if (c.role === 'spoke') assert.ok(files.has(`hub/argocd/clusters/${c.name}.yaml`), `cluster Secret of ${c.name}`);
          const env = spec.environments.find((e) => e.name === c.environment);
          for (const a of ADDON_CATALOG) {
            if (isEnabled(c, env, a.name)) assert.ok(files.has(`hub/argocd/addons/${a.name}.yaml`), `ApplicationSet of ${a.name} (${c.name})`);
          }
        }
        for (const team of spec.teams ?? []) {
          assert.equal(files.has(`hub/argocd/workloads/${team.name}.yaml`), team.apps.length > 0, `workloads of ${team.name} when it has apps`);
        }
        if ((spec.teams ?? []).some((x) => x.apps.length > 0)) withTeams++;
        if ((spec.teams ?? []).some((x) => x.apps.some((a) => a.database))) withDatabases++;
        if (spec.clusters.some((c) => Object.values(c.addons ?? {}).some((a) => typeof a === 'object' && a.facts !== undefined))) withFacts++;
        if (new Set(spec.clusters.map((c) => c.kubernetesVersion)).size > 1) mixedMinors++;
      }),
      { seed: 20240611, numRuns: RUNS.render, includeErrorInReport: true },
    );
    t.diagnostic(`${RUNS.render} fleets: ${withTeams} with apps, ${withDatabases} with databases, ${withFacts} with add-on facts, ${mixedMinors} with several Kubernetes minors`);
    assert.ok(withTeams > RUNS.render / 6 && withDatabases > RUNS.render / 15, `the generator reaches apps (${withTeams}) and databases (${withDatabases})`);
    assert.ok(withFacts > RUNS.render / 6 && mixedMinors > RUNS.render / 6, `the generator reaches add-ons with facts (${withFacts}) and fleets on several minors (${mixedMinors})`);
  });

  it('Argo CD can expand what random valid fleets render, with one hub or split over two: the plan finds no problem', (t) => {
    let split = 0;
    fc.assert(
      fc.property(validFleet, fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (spec, sides) => {
        const one = renderTree(fleetOutputs(source(spec)));
        assert.deepEqual(planFleet(one.objects).problems, []);
        // Two hubs: a second hub in the central account takes some spokes (databases stay with the hub
        // of their environment's spokes, so a fleet with databases splits by environment).
        const wantsDatabases = (spec.teams ?? []).some((t) => t.apps.some((a) => a.database));
        const hubB: ClusterSpec = { ...spec.clusters[0], name: 'hub-b', vpcId: `vpc-${'0b'.repeat(8)}2` };
        const clusters = spec.clusters.map((c, i): ClusterSpec => {
          if (c.role === 'hub') return c;
          const b = wantsDatabases ? c.environment === 'prod' : sides[i % sides.length];
          return { ...c, hub: b ? 'hub-b' : 'hub' };
        });
        if (clusters.some((c) => c.hub === 'hub-b')) split++;
        const two = renderTree(fleetOutputs(source({ ...spec, clusters: [...clusters, hubB] })));
        assert.ok(![...two.files.keys()].some((f) => f.startsWith('hub/')), 'no hub/ folder with two hubs');
        assert.deepEqual(planFleet(two.objects).problems, []);
        // Every spoke is registered with exactly one hub, and with the one it names.
        for (const c of clusters.filter((x) => x.role === 'spoke')) {
          const homes = ['hub', 'hub-b'].filter((h) => two.files.has(`hubs/${h}/argocd/clusters/${c.name}.yaml`));
          assert.deepEqual(homes, [c.hub], c.name);
        }
      }),
      { seed: 20261128, numRuns: RUNS.plan, includeErrorInReport: true },
    );
    t.diagnostic(`${RUNS.plan} fleets: ${split} split over two hubs`);
    assert.ok(split > RUNS.plan / 4, `the generator splits fleets over two hubs (${split})`);
  });

  it('shuffling every unordered input list, the catalog and every map key order gives byte-identical output', () => {
    // Random fleets, and the example fleet with its generators, patches and Helm values.
    const fleets = fc.oneof({ arbitrary: validFleet, weight: 3 }, { arbitrary: fc.constant(exampleFleet.spec), weight: 1 });
    fc.assert(
      fc.property(fleets, fc.integer(), (spec, seed) => {
        const random = prng(seed);
        const expected = render(spec);
        const actual = render(shuffleInput(spec, random) as FleetSpec, shuffleCatalog(random));
        assert.deepEqual([...actual.keys()], [...expected.keys()], 'same files');
        for (const [file, bytes] of expected) assert.equal(actual.get(file), bytes, file);
      }),
      { seed: 7, numRuns: RUNS.shuffle, includeErrorInReport: true },
    );
  });

  describe('a corrupted field of the example fleet (a leaf, or an object or list above leaves)', () => {
    const paths = fieldPaths(exampleFleet.spec);

    it('fails when a render would crash: a corrupted field is rendered or refused with a FleetValidationError, never another error', (t) => {
      assert.ok(paths.length > 300, `${paths.length} field paths`);
      const outcomes = { rendered: 0, refused: 0 };
      fc.assert(
        fc.property(fc.nat(paths.length - 1), corruption, (i, value) => {
          const spec = corrupt(exampleFleet.spec, paths[i], value);
          let result: Map<string, string> | FleetValidationError;
          try {
            result = renderOrRefuse(spec);
          } catch (e) {
            assert.fail(`${paths[i].join('.')} = ${JSON.stringify(value)?.slice(0, 40)}: ${(e as Error)?.name}: ${(e as Error)?.message}`);
          }
          if (result instanceof FleetValidationError) {
            outcomes.refused++;
            assert.ok(result.problems.length > 0);
            for (const p of result.problems) {
              assert.match(formatProblem(p), /^(environments\/[a-z]+\.ts|charts\/addons\/catalog\.ts): \S.*: \S/, 'file: path: message');
            }
          } else {
            outcomes.rendered++;
          }
        }),
        { seed: 42, numRuns: RUNS.corrupt, includeErrorInReport: true },
      );
      t.diagnostic(`${RUNS.corrupt} corruptions: ${JSON.stringify(outcomes)}`);
      assert.ok(outcomes.refused > RUNS.corrupt / 2 && outcomes.rendered > RUNS.corrupt / 40, JSON.stringify(outcomes));
    });
  });
});
