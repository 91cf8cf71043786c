/**
 * Synthetic fleets for the benchmark, built through the public model so they exercise the real code
 * path and pass every check: S (10 apps x 3 environments, 10 clusters), M (100 x 3, 100), L (1,000 x 3,
 * 500 clusters, every catalog add-on), 4L (4,000 x 3, 2,000 clusters, every add-on), and any
 * `APPSxCLUSTERS` (see {@link parseSize}).
 */
import {
  ADDON_CATALOG, AppSpec, ClusterAddonSetting, ClusterSpec, EnvironmentSpec, FleetSource, TeamSpec,
} from '../charts/index.js';

/**
 * The cluster CA every synthetic spoke carries (self-managed Argo CD requires one): base64 of a made-up
 * self-signed PEM certificate (CN=kubernetes). Public data; no key exists.
 */
const SYNTHETIC_CA =
  'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJnRENDQVNXZ0F3SUJBZ0lVSVMxVFVNMlkzT293YUVmaFd4aUJhT3dPUW04d0NnWUlLb1pJemowRUF3SXcKRlRFVE1CRUdBMVVFQXd3S2EzVmlaWEp1WlhSbGN6QWVGdzB5TmpFeU1ERXhPREV4TkROYUZ3MHpOakV4TWpneApPREV4TkROYU1CVXhFekFSQmdOVkJBTU1DbXQxWW1WeWJtVjBaWE13V1RBVEJnY3Foa2pPUFFJQkJnZ3Foa2pPClBRTUJCd05DQUFTM3p0MUMrVUw2Q3VmVGgzaDdEaHVDbjkrbmY5SVg3SXNNdGV0L1VMZGI5MmNDTTg1VFo1TGQKNkROWjFTNjJ2aGhxMTV3MVE4dGpmY1dXeXBZazVWNFRvMU13VVRBZEJnTlZIUTRFRmdRVStuVVFpWXB4VFAxQwprQ2d3RCtLeXFrdlN6OTR3SHdZRFZSMGpCQmd3Rm9BVStuVVFpWXB4VFAxQ2tDZ3dEK0t5cWt2U3o5NHdEd1lEClZSMFRBUUgvQkFVd0F3RUIvekFLQmdncWhrak9QUVFEQWdOSkFEQkdBaUVBaVE3M2sxWjh3Nlgzc2tqZ1BwY1AKQThCVC92a1NFd0kzQU96bklQVjAzTmtDSVFEa05tYkpGdlBIYVJJaDNDb0xXMkw5YnBObDQ4UERVTU80SUdtagp1ZUxOaWc9PQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg==';

export interface FleetSize {
  readonly name: string;
  readonly apps: number;
  readonly clusters: number;
  /** Enable every add-on of the catalog (where its placement allows). */
  readonly allAddons: boolean;
}

export const SIZES: readonly FleetSize[] = [
  { name: 'S', apps: 10, clusters: 10, allAddons: false },
  { name: 'M', apps: 100, clusters: 100, allAddons: false },
  { name: 'L', apps: 1000, clusters: 500, allAddons: true },
];

/**
 * 4L: 4,000 apps x 3 environments, 2,000 clusters, every add-on. Kept out of {@link SIZES} (the sizes the
 * tests and the default bench render whole) because one render of it takes seconds and gigabytes.
 */
export const SIZE_4L: FleetSize = { name: '4L', apps: 4000, clusters: 2000, allAddons: true };
/** Every size with a name: S, M, L, 4L. */
export const NAMED_SIZES: readonly FleetSize[] = [...SIZES, SIZE_4L];

/** Apps from which a custom size enables every add-on, as L and 4L do (S and M enable 7). */
export const ALL_ADDONS_FROM_APPS = 1000;
/** The fewest clusters a fleet has: the hub and one spoke per environment (dev, staging, prod). */
export const MIN_CLUSTERS = 4;

/**
 * A size by name: S, M, L, 4L, or `APPSxCLUSTERS` (`200x50`: 200 apps x 3 environments, 50 clusters
 * counting the hub; at least 1 app and 4 clusters). A custom size enables every add-on when it has at
 * least {@link ALL_ADDONS_FROM_APPS} apps, like L, else the 7 of S and M. Throws on anything else.
 */
export function parseSize(name: string): FleetSize {
  const named = NAMED_SIZES.find((s) => s.name === name);
  if (named) return named;
  const m = /^(\d+)x(\d+)$/.exec(name);
  if (!m) throw new Error(`unknown fleet size "${name}": S, M, L, 4L or APPSxCLUSTERS (e.g. 200x50)`);
  const apps = Number(m[1]);
  const clusters = Number(m[2]);
  if (apps < 1 || clusters < MIN_CLUSTERS) throw new Error(`fleet size "${name}": at least 1 app and ${MIN_CLUSTERS} clusters (the hub and a spoke per environment)`);
  return { name, apps, clusters, allAddons: apps >= ALL_ADDONS_FROM_APPS };
}

const ENVS = ['dev', 'staging', 'prod'];
const APPS_PER_TEAM = 20;
const TENANTS = 10;

const accountId = (i: number) => String(200000000000 + i);

/**
 * The value the IaC of a synthetic cluster writes for an add-on's fact of the IaC contract (`AddonDefinition.facts`),
 * as a real IaC would name it: per cluster (queues, node role), per account (the backup bucket, the
 * Prometheus workspace). Throws on a fact it does not know, so a new one gets a value here rather than
 * the bench fleets going invalid.
 */
export function syntheticFact(key: string, account: string, cluster: string): string {
  switch (key) {
    case 'karpenter_sqs_queue_name': return `${cluster}-karpenter`;
    case 'karpenter_node_iam_role_name': return `${cluster}-karpenter-node`;
    case 'velero_backup_s3_bucket_name': return `bench-backups-${account}`;
    case 'aws_node_termination_handler_queue_url': return `https://sqs.us-west-2.amazonaws.com/${account}/${cluster}-nth`;
    case 'adot_collector_amp_remote_write_url': return `https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-bench-${account}/api/v1/remote_write`;
    default: throw new Error(`bench/synthetic-fleet.ts: no synthetic value for the add-on fact "${key}": add one to syntheticFact`);
  }
}

/**
 * A synthetic fleet. `promote: true` is the inner-loop change a developer makes: the first app's new
 * tag reaches prod (one Deployment file changes, and the README's image matrix). `addSpoke: true` is a
 * change of the platform: one more spoke joins (its cluster Secret, IaC contract and IAM, the README),
 * no app changes.
 */
export function syntheticFleet(size: FleetSize, options: { readonly promote?: boolean; readonly addSpoke?: boolean } = {}): FleetSource {
  const accounts = [
    { name: 'central', id: accountId(0), kind: 'central' as const },
    ...Array.from({ length: TENANTS }, (_, i) => ({
      name: `tenant${i + 1}`, id: accountId(i + 1), kind: 'tenant' as const,
      crossplaneRoleArn: `arn:aws:iam::${accountId(i + 1)}:role/crossplane-provider-aws`,
    })),
  ];
  const spokeAddons = size.allAddons
    ? ADDON_CATALOG.filter((a) => (a.placement ?? 'any') !== 'hub').map((a) => a.name)
    : ['aws-load-balancer-controller', 'cert-manager', 'external-dns', 'external-secrets', 'karpenter', 'metrics-server', 'kube-prometheus-stack'];
  // What the IaC gives each cluster for its add-ons: the IAM role of those that call AWS, and the facts
  // of those that need some (karpenter's queue and node role, velero's bucket...).
  const iam = (account: string, cluster: string, names: string[]): Record<string, ClusterAddonSetting> =>
    Object.fromEntries(names.flatMap((n): Array<[string, ClusterAddonSetting]> => {
      const addon = ADDON_CATALOG.find((a) => a.name === n)!;
      const facts = Object.fromEntries((addon.facts ?? []).map((f) => [f.key, syntheticFact(f.key, account, cluster)]));
      const setting: ClusterAddonSetting = {
        ...(addon.iamRole ? { iamRoleArn: `arn:aws:iam::${account}:role/${cluster}-${n}` } : {}),
        ...(Object.keys(facts).length > 0 ? { facts } : {}),
      };
      return Object.keys(setting).length > 0 ? [[n, setting]] : [];
    }));

  const environments: EnvironmentSpec[] = [
    { name: 'control-plane', promotionOrder: 0 },
    ...ENVS.map((name, i) => ({
      name,
      promotionOrder: i + 1,
      addons: Object.fromEntries(spokeAddons.map((a) => [a, true])),
    })),
  ];

  const hubAddons = ['argo-cd', 'crossplane', 'external-secrets', 'metrics-server'];
  const clusters: ClusterSpec[] = [
    {
      name: 'hub', account: 'central', region: 'us-west-2', environment: 'control-plane', role: 'hub', kubernetesVersion: '1.31',
      vpcId: 'vpc-00000000000000001', addons: { ...Object.fromEntries(hubAddons.map((a) => [a, true])), ...iam(accountId(0), 'hub', hubAddons) },
    },
  ];
  for (let i = 0; i < size.clusters - 1 + (options.addSpoke ? 1 : 0); i++) {
    const env = ENVS[i % ENVS.length];
    const tenant = 1 + (i % TENANTS);
    const name = `${env}-${String(i).padStart(4, '0')}`;
    clusters.push({
      name, account: `tenant${tenant}`, region: 'us-west-2', environment: env, role: 'spoke', kubernetesVersion: '1.31',
      vpcId: `vpc-${(i + 16).toString(16).padStart(17, '0')}`,
      endpoint: `https://${(i + 1).toString(16).toUpperCase().padStart(32, '0')}.gr7.us-west-2.eks.amazonaws.com`,
      caData: SYNTHETIC_CA,
      argocdRoleArn: `arn:aws:iam::${accountId(tenant)}:role/${name}-argocd`,
      addons: iam(accountId(tenant), name, spokeAddons),
    });
  }

  const teams: TeamSpec[] = [];
  for (let t = 0; t * APPS_PER_TEAM < size.apps; t++) {
    const apps: AppSpec[] = [];
    for (let a = 0; a < APPS_PER_TEAM && t * APPS_PER_TEAM + a < size.apps; a++) {
      const name = `app${String(a).padStart(2, '0')}`;
      apps.push({
        name,
        webService: {
          image: { repository: `public.ecr.aws/team${t}/${name}`, tag: 'v1.0.0' },
          config: { MODE: 'bench' },
        },
        environments: {
          dev: { images: [{ name: `public.ecr.aws/team${t}/${name}`, newTag: 'v1.2.0' }], replicas: [{ name, count: 1 }] },
          staging: { images: [{ name: `public.ecr.aws/team${t}/${name}`, newTag: 'v1.1.0' }] },
          prod: {
            replicas: [{ name, count: 3 }],
            ...(options.promote && t === 0 && a === 0 ? { images: [{ name: `public.ecr.aws/team${t}/${name}`, newTag: 'v1.1.0' }] } : {}),
          },
        },
      });
    }
    teams.push({
      name: `team${String(t).padStart(3, '0')}`,
      group: `team${t}-developers`,
      environments: ENVS,
      quota: Object.fromEntries(ENVS.map((e) => [e, { requestsCpu: '64', requestsMemory: '128Gi', limitsCpu: '128', limitsMemory: '256Gi', pods: 500 }])),
      apps,
    });
  }

  return {
    spec: {
      name: 'bench',
      repos: {
        addons: { url: 'https://git.example.com/platform/fleet.git', revision: 'main', basePath: 'dist/' },
        workloads: { url: 'https://git.example.com/platform/fleet.git', revision: 'main', basePath: 'dist/' },
        // The bench measures rendering; its repository needs no credentials (plan checks them otherwise).
        public: true,
      },
      accounts, environments, clusters, teams,
    },
    files: { default: 'bench/synthetic-fleet.ts' },
  };
}
