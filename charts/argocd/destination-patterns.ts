/**
 * AppProject destinations by cluster-name pattern, so a team's project does not list every spoke of its
 * environments (teams x clusters bytes: 60 KB per team at L, ~50 MB in all at 4L) but one glob per
 * environment when the fleet's names allow an exact one.
 *
 * What Argo CD does, read in argoproj/argo-cd v3.4.4 (the version our catalog pins: argo-helm chart
 * 10.1.1, appVersion v3.4.4; the code quoted below is unchanged since v3.2.0):
 *
 * - `pkg/apis/application/v1alpha1/app_project_types.go`, `IsDestinationPermitted(destCluster *Cluster, ...)`
 *   builds `dst := ApplicationDestination{Server: destCluster.Server, Name: destCluster.Name, ...}` from the
 *   cluster Argo CD looked up (`util/argo/argo.go` `GetDestinationCluster`: by `server` when the
 *   Application gives `server`, by `name` otherwise), and `isDestinationMatched` permits when
 *   `(dst.Name != "" && globMatch(item.Name, dst.Name, true) || dst.Server != "" && globMatch(item.Server,
 *   dst.Server, true)) && globMatch(item.Namespace, dst.Namespace, true)` for some item. So a destination
 *   `{ name: <glob>, namespace }` matches an Application that only sets `server` (ours: the workloads
 *   ApplicationSet sets `destination.server: {{.server}}`), through the name of its cluster Secret.
 *   Argo CD 2.x compared the Application's own `destination.name`, empty when only `server` is set; the
 *   lookup came with argo-cd #21189 (commit bd37458, first in v3.0.0, argo-helm chart 8.0.0). On 2.x a
 *   name pattern would refuse our Applications (fail closed), so patterns are only used when the hub's
 *   Argo CD chart is 8.0.0 or later ({@link argoCdMatchesClusterNames}).
 * - `globMatch(pattern, val, allowNegation, separators...)`: a leading `!` negates (`!glob.Match(pattern[1:],
 *   val)`), `*` alone matches everything, else `util/glob.Match` = `github.com/gobwas/glob` v0.2.3
 *   `Compile(pattern)` with no separators (a pattern that does not compile matches nothing). Only patterns
 *   `<literal><* or ?...><literal>` are written and accepted here; {@link simpleGlobMatch} gives what
 *   gobwas/glob's compiled matchers do with them, including its `prefix_suffix` quirk.
 *
 * Least privilege is kept by construction: a pattern is emitted only when, among every cluster name this
 * hub's Argo CD knows (the fleet's cluster Secrets and `in-cluster`), it matches exactly clusters the team
 * may deploy to ({@link exactNameCover}); the policy `project-least-privilege` checks the same against the
 * rendered cluster Secrets. A cluster registered by hand outside the fleet model, with a name the pattern
 * matches, would be let in: the fleet's cluster Secrets are rendered from the same model, so that is the
 * one thing a pattern trusts that a server list did not.
 */
import { IN_CLUSTER_NAME } from '../../engines/applicationset/clusters.js';
import type { ResolvedCluster, ResolvedFleet, ResolvedTeam } from '../model/resolve.js';

/** A destination of an AppProject: a cluster by `server` or by `name` (here a glob), and a namespace. */
export type ProjectDestination =
  | { readonly server: string; readonly name?: undefined; readonly namespace: string }
  | { readonly name: string; readonly server?: undefined; readonly namespace: string };

/** The name Argo CD gives its own cluster when no cluster Secret has its URL (`util/db/cluster.go`). */
export { IN_CLUSTER_NAME };

// ---------------------------------------------------------------------------------------------------
// Argo CD's glob, on the patterns used here.
// ---------------------------------------------------------------------------------------------------

/** Characters a cluster name may have (DNS-1123), the only literals a cluster-name pattern here may use. */
const NAME_CHARS = /^[a-z0-9.-]*$/;

/** A cluster-name pattern of the one shape this module writes and the policy accepts: literal, one wildcard run, literal. */
const SIMPLE_PATTERN = /^([a-z0-9.-]*)(\*|\?+)?([a-z0-9.-]*)$/;

/**
 * What `github.com/gobwas/glob` v0.2.3 `Compile(pattern).Match(value)` (no separators) gives, for the
 * patterns of shape `<literal><* or ?...><literal>` over DNS characters; undefined for any other pattern
 * (Argo CD accepts more syntax: `[...]`, `{a,b}`, `\\c`; it is not emulated, and the policy refuses it).
 *
 * gobwas/glob compiles these to (`compiler/compiler.go`, `match/*.go`, checked by running v0.2.3):
 * - `abc` (any pattern without a glob character, a URL too) to `text`: equality;
 * - `*` to `super`: anything; `abc*` to `prefix`: `strings.HasPrefix`; `*abc` to `suffix`: `HasSuffix`;
 * - `ab*yz` to `prefix_suffix`, whose `Match` is `HasPrefix(s, "ab") && HasSuffix(s, "yz")`: prefix and
 *   suffix may overlap, so `a*a` matches `a` and `prod-*-prod` matches `prod-prod` (unlike a shell glob);
 * - `ab??yz` to `row`: exactly as many runes as the pattern, literals in place, `?` any one rune;
 *   `?` alone to `single`, which also matches the empty string.
 */
export function simpleGlobMatch(pattern: string, value: string): boolean | undefined {
  // No glob character (a server URL, a namespace): gobwas/glob compiles it to `text`, equality.
  if (!isGlobPattern(pattern)) return value === pattern;
  const m = SIMPLE_PATTERN.exec(pattern);
  if (!m) return undefined;
  const [, prefix, wildcard, suffix] = m;
  if (wildcard === undefined) return value === pattern;
  if (wildcard === '*') return value.startsWith(prefix) && value.endsWith(suffix);
  // `?` alone compiles to `single`, whose Match also takes the empty string (no rune decoded).
  if (pattern === '?') return [...value].length <= 1;
  return [...value].length === prefix.length + wildcard.length + suffix.length && value.startsWith(prefix) && value.endsWith(suffix);
}

/**
 * Argo CD's `globMatch(pattern, val, true)` (`app_project_types.go`) for the patterns of
 * {@link simpleGlobMatch}: a leading `!` negates, `*` alone matches everything, else gobwas/glob.
 * Undefined when the pattern is outside that shape.
 */
export function argoGlobMatch(pattern: string, value: string): boolean | undefined {
  if (pattern.startsWith('!')) {
    const m = simpleGlobMatch(pattern.slice(1), value);
    return m === undefined ? undefined : !m;
  }
  if (pattern === '*') return true;
  return simpleGlobMatch(pattern, value);
}

/** Characters with a meaning in a gobwas/glob pattern, and `!` (negation at the start, in Argo CD). */
const GLOB_SPECIAL = /[*?[\]{}\\!,]/;

/** Whether a destination field is a pattern rather than one literal name, URL or namespace. */
export function isGlobPattern(value: string): boolean {
  return GLOB_SPECIAL.test(value);
}

// ---------------------------------------------------------------------------------------------------
// Exact name cover.
// ---------------------------------------------------------------------------------------------------

function commonPrefix(names: readonly string[]): string {
  let p = names[0] ?? '';
  for (const n of names) while (!n.startsWith(p)) p = p.slice(0, -1);
  return p;
}

function commonSuffix(names: readonly string[]): string {
  let s = names[0] ?? '';
  for (const n of names) while (!n.endsWith(s)) s = s.slice(1);
  return s;
}

/**
 * The narrowest pattern of one shape for names that share a prefix: the common prefix, `?` per character
 * when every name has the same length (`dev-????`) else `*`, and the common suffix of what is left.
 */
function shapeOf(names: readonly string[]): string {
  const prefix = commonPrefix(names);
  const rests = names.map((n) => n.slice(prefix.length));
  const suffix = commonSuffix(rests);
  const middles = rests.map((r) => r.length - suffix.length);
  const middle = middles.every((m) => m === middles[0]) ? '?'.repeat(middles[0]) : '*';
  return `${prefix}${middle}${suffix}`;
}

/** The names of `universe` a pattern matches, as Argo CD would. */
export function namesMatched(pattern: string, universe: readonly string[]): string[] | undefined {
  const out: string[] = [];
  for (const n of universe) {
    const m = argoGlobMatch(pattern, n);
    if (m === undefined) return undefined;
    if (m) out.push(n);
  }
  return out;
}

/**
 * Patterns and names that together match, among `universe` (every cluster name Argo CD knows), exactly
 * the names of `target`. Walking a trie of the universe from the root, at each node the targets below it
 * get one pattern ({@link shapeOf}: `prod-?` for `prod-1`...`prod-9`) when, among the names below the node
 * (the only ones a pattern starting with the node's prefix can match), it matches just them; else the walk
 * goes one character deeper, down to single names. A pattern with no literal character is never used.
 * Every entry is then checked again with {@link argoGlobMatch} against the whole universe. Undefined when
 * a name is not a DNS name (`[a-z0-9.-]`) or `target` is not within `universe`.
 */
export function exactNameCover(target: readonly string[], universe: readonly string[]): string[] | undefined {
  const all = [...new Set(universe)].sort();
  const wanted = new Set(target);
  if (all.some((n) => !NAME_CHARS.test(n)) || [...wanted].some((n) => !all.includes(n))) return undefined;
  const out: string[] = [];
  const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  // Names sharing a prefix are contiguous in sorted order: a trie node is a range of `all`.
  const walk = (from: number, to: number, depth: number) => {
    const names = all.slice(from, to);
    const hits = names.filter((n) => wanted.has(n));
    if (hits.length === 0) return;
    if (hits.length === 1) { out.push(hits[0]); return; }
    const pattern = shapeOf(hits);
    if (/[^*?]/.test(pattern) && sameSet(namesMatched(pattern, names) ?? [], hits)) { out.push(pattern); return; }
    let i = from;
    if (all[i].length === depth) { if (wanted.has(all[i])) out.push(all[i]); i++; }
    while (i < to) {
      const c = all[i][depth];
      let j = i;
      while (j < to && all[j][depth] === c) j++;
      walk(i, j, depth + 1);
      i = j;
    }
  };
  walk(0, all.length, 0);
  const matched = new Set<string>();
  for (const p of out) {
    const names = namesMatched(p, all);
    if (names === undefined) return undefined;
    for (const n of names) matched.add(n);
  }
  if (matched.size !== wanted.size || [...matched].some((n) => !wanted.has(n))) return undefined;
  return out.sort();
}

// ---------------------------------------------------------------------------------------------------
// A team's destinations.
// ---------------------------------------------------------------------------------------------------

/** The first argo-helm chart of Argo CD 3.0.0, whose project check matches an Application's cluster by name too. */
export const NAME_MATCHING_ARGOCD_CHART = '8.0.0';

function semverAtLeast(version: string, min: string): boolean {
  const parse = (v: string) => v.replace(/^v/, '').split(/[.+-]/).slice(0, 3).map((x) => Number.parseInt(x, 10));
  const [a, b] = [parse(version), parse(min)];
  if (a.some(Number.isNaN)) return false;
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/**
 * Whether the hub's Argo CD matches a project destination's `name` against an Application that gives
 * only `server`: a self-managed hub running the argo-cd chart 8.0.0 (Argo CD 3.0) or later. The EKS
 * Argo CD capability and a hub without the argo-cd add-on run a version this model does not pin: they
 * keep server lists.
 */
export function argoCdMatchesClusterNames(fleet: ResolvedFleet): boolean {
  if (fleet.mode !== 'self-managed') return false;
  const argocd = fleet.hub.addons.get('argo-cd');
  return argocd !== undefined && semverAtLeast(argocd.version, NAME_MATCHING_ARGOCD_CHART);
}

/** Every cluster name the hub's Argo CD knows: its cluster Secrets' names, and `in-cluster`. */
export function knownClusterNames(clusters: readonly Pick<ResolvedCluster, 'name'>[]): string[] {
  return [...new Set([...clusters.map((c) => c.name), IN_CLUSTER_NAME])].sort();
}

/**
 * Where a team's Applications may deploy: its namespace of each environment on that environment's
 * workload spokes, and nowhere else. Per environment, the spokes are named by the exact cover of
 * {@link exactNameCover} when Argo CD matches names ({@link argoCdMatchesClusterNames}) and the cover is
 * shorter than the list; otherwise (one spoke, names with no shared shape) each spoke by `server`, as before.
 * At L (500 clusters `dev-0000`...) that is three destinations per team (`dev-????`...) instead of ~500.
 */
export function teamProjectDestinations(fleet: ResolvedFleet, team: ResolvedTeam): ProjectDestination[] {
  const byName = argoCdMatchesClusterNames(fleet);
  const universe = knownClusterNames(fleet.clusters);
  return team.environments.flatMap((env): ProjectDestination[] => {
    const namespace = team.namespace(env.name);
    const clusters = team.clusters(env.name);
    const listed = clusters.map((c) => ({ server: c.server, namespace }));
    if (!byName || clusters.length < 2) return listed;
    const cover = exactNameCover(clusters.map((c) => c.name), universe);
    if (cover === undefined || cover.length >= clusters.length) return listed;
    const servers = new Map(clusters.map((c) => [c.name, c.server]));
    // A cover entry without glob characters is one cluster: keep it by server, as listed ones are.
    return cover.map((p) => (isGlobPattern(p) ? { name: p, namespace } : { server: servers.get(p)!, namespace }));
  });
}
