/**
 * The topology diagram of the generated README: a Mermaid flowchart (GitHub renders it as a picture) of
 * the AWS accounts, the hubs, the spokes they manage and the add-ons and apps each runs. Large fleets
 * collapse, first the spokes of one account and environment into one box, then those of one
 * environment, so that GitHub can still render it (its Mermaid refuses more than 50,000 characters or
 * 500 edges).
 */
import { ResolvedCluster, ResolvedFleet } from '../model/resolve.js';
import { appsIn, clusterOrder, managerOf } from './fleet-queries.js';
import { compareStrings, plural } from '../../engines/util/index.js';
import { compareVersions } from './markdown.js';

/** Limits of the Mermaid that GitHub runs (its `maxTextSize` and `maxEdges` settings). */
export const GITHUB_MERMAID_LIMITS = { maxTextSize: 50_000, maxEdges: 500 } as const;

/** The thresholds the diagram collapses at (resolved from `FleetReadmeOptions`). */
export interface TopologyLayout {
  /** The most cluster boxes the diagram draws before spokes share a box. */
  readonly maxDiagramClusters: number;
  /** The most add-ons (or apps) a node lists by name. */
  readonly maxNodeItems: number;
}

/** Mermaid label text: entity codes for the characters Mermaid or HTML would interpret. */
function mermaidText(text: string): string {
  return text.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/** A quoted Mermaid label from already escaped lines. */
function label(lines: readonly string[]): string {
  return `"${lines.join('<br/>')}"`;
}

/** Up to `max` items by name (a few per line), else none. */
function itemLines(items: readonly string[], max: number, perLine: number): string[] {
  if (items.length > max) return [];
  const out: string[] = [];
  for (let i = 0; i < items.length; i += perLine) out.push(items.slice(i, i + perLine).map(mermaidText).join(', '));
  return out;
}

/** Up to three distinct values, else their number. */
function valueSet(values: Iterable<string>, noun: string, cmp = compareStrings): string {
  const set = [...new Set(values)].sort(cmp);
  return set.length <= 3 ? set.join(', ') : `${set.length} ${noun}`;
}

/** One box of the diagram: a hub, a spoke, or the spokes of an account and environment (or of an environment). */
interface ClusterBox {
  readonly key: string;
  /** Subgraph key (the account) and its escaped label. */
  readonly group: string;
  readonly groupLabel: string;
  readonly clusters: readonly ResolvedCluster[];
  readonly hub: boolean;
  /** Name of the hub whose Argo CD manages the box's clusters. */
  readonly manager: string;
  /** Whether the box stands for a group of spokes rather than one cluster. */
  readonly collapsed: boolean;
}

type Collapse = 'cluster' | 'account-environment' | 'environment';

/** Allocates Mermaid ids: letters, digits and `_` only, unique, stable for the same input order. */
class MermaidIds {
  private readonly byKey = new Map<string, string>();
  private readonly used = new Set<string>();

  /** The id of `key` in the `prefix` namespace; the prefix keeps ids off Mermaid keywords (`end`, `graph`). */
  public id(prefix: string, key: string): string {
    const full = `${prefix}:${key}`;
    const known = this.byKey.get(full);
    if (known) return known;
    const base = `${prefix}_${key.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.used.add(id);
    this.byKey.set(full, id);
    return id;
  }
}

function accountLabel(c: ResolvedCluster): string {
  return mermaidText(`AWS account ${c.account.name} (${c.account.id})`);
}

/** The boxes of the diagram in drawing order: hubs, then spokes by account and reading order. */
function clusterBoxes(fleet: ResolvedFleet, collapse: Collapse): ClusterBox[] {
  const order = clusterOrder(fleet);
  const manager = managerOf(fleet);
  const clusters = [...fleet.clusters].sort(order);
  const single = (c: ResolvedCluster): ClusterBox => ({
    key: c.name, group: c.account.name, groupLabel: accountLabel(c), clusters: [c], hub: c.role === 'hub', manager: manager(c), collapsed: false,
  });
  const hubBoxes = clusters.filter((c) => c.role === 'hub').map(single);
  const spokes = clusters.filter((c) => c.role !== 'hub');
  if (collapse === 'cluster') return [...hubBoxes, ...spokes.map(single)];

  const byAccount = collapse === 'account-environment';
  const spokeAccounts = new Set(spokes.map((c) => c.account.name));
  const boxes = new Map<string, ClusterBox & { clusters: ResolvedCluster[] }>();
  for (const c of spokes) {
    const key = byAccount ? `${manager(c)}/${c.account.name}/${c.environment.name}` : `${manager(c)}/${c.environment.name}`;
    let box = boxes.get(key);
    if (!box) {
      box = {
        key,
        // '*' cannot start an account name, so the shared subgraph never meets an account's.
        group: byAccount ? c.account.name : '*spokes',
        groupLabel: byAccount ? accountLabel(c) : mermaidText(`${plural(spokeAccounts.size, 'AWS account')} with spokes`),
        clusters: [],
        hub: false,
        manager: manager(c),
        collapsed: true,
      };
      boxes.set(key, box);
    }
    box.clusters.push(c);
  }
  // Each box's clusters are in reading order, so its first cluster places it.
  const spokeBoxes = [...boxes.values()].sort((a, b) => compareStrings(a.group, b.group) || order(a.clusters[0], b.clusters[0]) || compareStrings(a.key, b.key));
  return [...hubBoxes, ...spokeBoxes];
}

function clusterLabel(fleet: ResolvedFleet, box: ClusterBox): string {
  if (!box.collapsed) {
    const c = box.clusters[0];
    const lines = [
      `<b>${mermaidText(c.name)}</b>`,
      mermaidText(`${c.role} · ${c.environment.name}`),
      mermaidText(`${c.region} · Kubernetes ${c.kubernetesVersion}`),
    ];
    if (box.hub) lines.push(mermaidText(`Argo CD (${fleet.mode})`));
    return label(lines);
  }
  return label([
    `<b>${mermaidText(valueSet(box.clusters.map((x) => x.environment.name), 'environments'))}</b>`,
    mermaidText(plural(box.clusters.length, 'spoke')),
    mermaidText(`${valueSet(box.clusters.map((x) => x.region), 'regions')} · Kubernetes ${valueSet(box.clusters.map((x) => x.kubernetesVersion), 'versions', compareVersions)}`),
  ]);
}

function addonsLabel(box: ClusterBox, max: number): string | undefined {
  const names = [...new Set(box.clusters.flatMap((c) => [...c.addons.keys()]))].sort(compareStrings);
  if (names.length === 0) return undefined;
  return label([mermaidText(plural(names.length, 'add-on')), ...itemLines(names, max, 3)]);
}

/** Apps by environment, then by team (names sorted): what a workload cluster of that environment runs. */
type AppsByEnvironment = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

function appsByEnvironment(fleet: ResolvedFleet): AppsByEnvironment {
  return new Map(
    fleet.environments.map((e) => [
      e.name,
      new Map(fleet.teams.map((t) => [t.name, appsIn(t, e.name).map((a) => a.name)] as const).filter(([, apps]) => apps.length > 0)),
    ]),
  );
}

function appsLabel(apps: AppsByEnvironment, box: ClusterBox, max: number): string | undefined {
  const byTeam = new Map<string, Set<string>>();
  for (const env of new Set(box.clusters.filter((c) => c.workloads).map((c) => c.environment.name))) {
    for (const [team, names] of apps.get(env) ?? []) {
      const set = byTeam.get(team) ?? new Set<string>();
      for (const n of names) set.add(n);
      byTeam.set(team, set);
    }
  }
  const teams = [...byTeam].sort(([a], [b]) => compareStrings(a, b)).map(([t, set]) => [t, [...set].sort(compareStrings)] as const);
  const total = teams.reduce((n, [, names]) => n + names.length, 0);
  if (total === 0) return undefined;
  const head = mermaidText(plural(total, 'app'));
  if (total <= max) return label([head, ...teams.map(([t, names]) => mermaidText(`${t}: ${names.join(', ')}`))]);
  if (teams.length <= max) return label([head, ...teams.map(([t, names]) => mermaidText(`${t}: ${plural(names.length, 'app')}`))]);
  return label([mermaidText(`${plural(total, 'app')} of ${plural(teams.length, 'team')}`)]);
}

/** The Mermaid flowchart of the fleet at one level of collapse, with its number of edges and spoke boxes. */
function flowchart(fleet: ResolvedFleet, collapse: Collapse, opts: TopologyLayout): { text: string; edges: number; spokeBoxes: number } {
  const ids = new MermaidIds();
  const boxes = clusterBoxes(fleet, collapse);
  const apps = appsByEnvironment(fleet);
  const hubs = boxes.filter((b) => b.hub);
  const hubIds = new Map(hubs.map((b) => [b.key, ids.id('cluster', b.key)]));
  const lines = [
    'flowchart LR',
    `  accTitle: Topology of fleet ${fleet.name}`,
    `  accDescr: ${plural(fleet.clusters.length, 'cluster')}, Argo CD on ${hubs.length === 1 ? 'the hub' : `${hubs.length} hubs`} manages ${plural(fleet.clusters.length - hubs.length, 'spoke')}.`,
    '  classDef hub fill:#fff3bf,stroke:#e67700,stroke-width:3px,color:#000',
    '  classDef spoke fill:#e7f5ff,stroke:#1971c2,color:#000',
    '  classDef addons fill:#f8f9fa,stroke:#868e96,color:#000',
    '  classDef apps fill:#ebfbee,stroke:#2f9e44,color:#000',
  ];
  const edges: string[] = [];
  for (const group of new Set(boxes.map((b) => b.group))) {
    const inGroup = boxes.filter((b) => b.group === group);
    lines.push(`  subgraph ${ids.id('account', group)}["${inGroup[0].groupLabel}"]`);
    for (const box of inGroup) {
      const id = box.hub ? hubIds.get(box.key)! : ids.id(box.collapsed ? 'spokes' : 'cluster', box.key);
      lines.push(`    ${id}[${clusterLabel(fleet, box)}]:::${box.hub ? 'hub' : 'spoke'}`);
      const addons = addonsLabel(box, opts.maxNodeItems);
      if (addons) {
        const addonsId = ids.id('addons', box.key);
        lines.push(`    ${addonsId}([${addons}]):::addons`);
        edges.push(`  ${id} -.- ${addonsId}`);
      }
      const appsText = appsLabel(apps, box, opts.maxNodeItems);
      if (appsText) {
        const appsId = ids.id('apps', box.key);
        lines.push(`    ${appsId}[${appsText}]:::apps`);
        edges.push(`  ${id} -.- ${appsId}`);
      }
      const manager = hubIds.get(box.manager);
      if (!box.hub && manager) edges.push(`  ${manager} -->|Argo CD| ${id}`);
    }
    lines.push('  end');
  }
  return { text: [...lines, ...edges].join('\n'), edges: edges.length, spokeBoxes: boxes.length - hubs.length };
}

/** The diagram at the finest level that fits the box limit and GitHub's Mermaid limits. */
function topologyDiagram(fleet: ResolvedFleet, opts: TopologyLayout): { text: string; collapse: Collapse } {
  const spokes = fleet.clusters.filter((c) => c.role !== 'hub').length;
  const levels: Collapse[] = spokes <= opts.maxDiagramClusters ? ['cluster', 'account-environment'] : ['account-environment'];
  for (const collapse of levels) {
    const chart = flowchart(fleet, collapse, opts);
    const fits = chart.spokeBoxes <= opts.maxDiagramClusters && chart.text.length <= GITHUB_MERMAID_LIMITS.maxTextSize && chart.edges <= GITHUB_MERMAID_LIMITS.maxEdges;
    if (fits) return { text: chart.text, collapse };
  }
  return { text: flowchart(fleet, 'environment', opts).text, collapse: 'environment' };
}

/**
 * The README's "Topology" section: a note on how to read the diagram at the level it was drawn, and the
 * Mermaid flowchart in a fenced block.
 */
export function topology(fleet: ResolvedFleet, opts: TopologyLayout): string {
  const { text, collapse } = topologyDiagram(fleet, opts);
  const spokes = plural(fleet.clusters.filter((c) => c.role !== 'hub').length, 'spoke');
  const note: Record<Collapse, string> = {
    cluster:
      'One box per cluster, grouped by AWS account. Yellow: a hub, whose Argo CD manages the spokes its arrows point to; grey: the add-ons a cluster runs; green: its apps (team: apps). Versions and images are in the tables below.',
    'account-environment': `${spokes} are too many to draw one by one: each blue box stands for the spokes of one account and environment (managed by the same hub), with their number; its add-ons and apps are those of any of them.`,
    environment: `${spokes} in many accounts are too many to draw one by one: each blue box stands for the spokes of one environment (managed by the same hub), with their number; its add-ons and apps are those of any of them.`,
  };
  return ['## Topology', '', note[collapse], '', '```mermaid', text, '```'].join('\n');
}
