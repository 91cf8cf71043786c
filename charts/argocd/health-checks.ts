/**
 * Lua health checks Argo CD lacks for what the hub applies, as `argocd-cm` customizations
 * (`resource.customizations.health.<group>_<kind>`). Without them Argo CD v3.5.1 reports a database
 * claim that never becomes Ready as Healthy (no health at all), a Provider that is missing one of its
 * two conditions as a Lua error (the built-in `pkg.crossplane.io/Provider` script concatenates a nil
 * reason), a Function as Healthy without checking Installed, and child Applications of the root as
 * having no health, so sync waves wait for none of them. It has no check either for Kyverno's cluster-wide
 * policies (`kyverno.io/ClusterPolicy`, `policies.kyverno.io/ValidatingPolicy`: only the namespaced
 * `kyverno.io/Policy` is built in), which the kyverno add-on's companions apply on the spokes.
 *
 * Argo CD's own checks win where they exist and are right: Karpenter's NodePool and EC2NodeClass,
 * cert-manager's Certificate, Issuer and ClusterIssuer, External Secrets' ExternalSecret, SecretStore and
 * ClusterSecretStore are built in at v3.4.4 and v3.5.1 (`resource_customizations/<group>/<kind>/health.lua`)
 * and get none here. The two that override a built-in do so on purpose ({@link OVERRIDDEN_BUILT_INS}).
 *
 * The scripts are Lua 5.1 (Argo CD runs gopher-lua) and use no standard library: Argo CD opens only
 * the base, table and a safe os library for scripts from `argocd-cm` unless `useOpenLibs` is set, and
 * the EKS Argo CD capability never sets it. They use `ipairs`, comparisons and `..` only.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/health/
 */

/** An API group and kind Argo CD gets a health check for. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** A health check: the kind it is for and its Lua source. */
export interface HealthCheck extends GroupKind {
  readonly lua: string;
}

/** The `argocd-cm` key of a kind's health check: `resource.customizations.health.<group>_<kind>`. */
export function healthCheckKey(gk: GroupKind): string {
  return `resource.customizations.health.${gk.group}_${gk.kind}`;
}

/** The first usable text of a condition: its message, else its reason. Shared by the scripts below. */
const CONDITION_TEXT = `local function text(c, default)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  if c ~= nil and c.reason ~= nil and c.reason ~= "" then
    return c.reason
  end
  return default
end`;

/**
 * The start every condition-based script shares: an object being deleted is Progressing ("Being
 * deleted"), one without conditions keeps the script's default, else the two conditions of the given
 * types are found (`nil` when absent) in the locals named.
 */
function conditionsOf(first: string, firstType: string, second: string, secondType: string): string {
  return `if obj.metadata ~= nil and obj.metadata.deletionTimestamp ~= nil then
  hs.message = "Being deleted"
  return hs
end
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
local ${first} = nil
local ${second} = nil
for _, c in ipairs(obj.status.conditions) do
  if c.type == "${firstType}" then
    ${first} = c
  elseif c.type == "${secondType}" then
    ${second} = c
  end
end`;
}

/**
 * A Crossplane claim (or composite resource): Synced False is Degraded (with Crossplane's error),
 * ReconcilePaused is Suspended, Ready True is Healthy, anything else Progressing with the Ready
 * condition's message. No conditions yet is Progressing.
 */
export const CLAIM_HEALTH_LUA = `-- Crossplane claim: Synced and Ready conditions (cdk8s-fleet, charts/argocd/health-checks.ts)
local hs = { status = "Progressing", message = "Waiting for Crossplane to report the claim's conditions" }
${CONDITION_TEXT}
${conditionsOf('ready', 'Ready', 'synced', 'Synced')}
if synced ~= nil and synced.status == "False" then
  if synced.reason == "ReconcilePaused" then
    hs.status = "Suspended"
  else
    hs.status = "Degraded"
  end
  hs.message = text(synced, "Crossplane cannot reconcile the claim")
  return hs
end
if ready == nil then
  return hs
end
if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = text(ready, "Available")
  return hs
end
hs.message = text(ready, "Waiting for the composite resource to become Ready")
return hs
`;

/**
 * A Crossplane package (Provider, Function): Installed True and Healthy True is Healthy. A package that
 * cannot be fetched or unpacked (wrong registry or tag: Installed False, UnpackingPackage, with the
 * error as message) is Degraded, and so is a revision or runtime Crossplane reports as unhealthy
 * (`Package revision health is "False"`, `Package runtime health is "False"`). Crossplane also writes
 * Healthy False while a new revision's health is still "Unknown": that, and everything else, is
 * Progressing with Crossplane's message, so a sync wave waits instead of failing.
 */
export const PACKAGE_HEALTH_LUA = `-- Crossplane package: Installed and Healthy conditions (cdk8s-fleet, charts/argocd/health-checks.ts)
local hs = { status = "Progressing", message = "Waiting for the package to be installed" }
${CONDITION_TEXT}
-- Whether s starts with prefix, by comparison only (no string library): every string that starts
-- with prefix sorts between prefix and prefix's last byte plus one ('"' plus one is '#').
local function startsWith(s, prefix, after)
  return s ~= nil and s >= prefix and s < after
end
${conditionsOf('installed', 'Installed', 'healthy', 'Healthy')}
if installed == nil or installed.status ~= "True" then
  if installed ~= nil and installed.reason == "UnpackingPackage" and installed.message ~= nil and installed.message ~= "" then
    hs.status = "Degraded"
  end
  hs.message = text(installed, "Waiting for the package to be installed")
  return hs
end
if healthy ~= nil and healthy.status == "True" then
  hs.status = "Healthy"
  hs.message = text(healthy, "Installed and healthy")
  return hs
end
if healthy ~= nil and healthy.status == "False" then
  local m = healthy.message
  if startsWith(m, 'Package revision health is "False"', 'Package revision health is "False#') or startsWith(m, 'Package runtime health is "False"', 'Package runtime health is "False#') then
    hs.status = "Degraded"
  end
end
hs.message = text(healthy, "Installed; waiting for the package to become healthy")
return hs
`;

/**
 * `argoproj.io/Application`: the health the child Application reports itself (removed from Argo CD's
 * built-ins in v1.8; the snippet of Argo CD's "Resource Health" page), so the root's sync waves wait
 * for each child to be healthy.
 */
export const APPLICATION_HEALTH_LUA = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

/**
 * `kyverno.io/ClusterPolicy`: Kyverno v1.19.0 writes one condition, `Ready` (api/kyverno/v1/policy_status.go
 * `SetReady`, called by pkg/controllers/webhook/controller.go): True (reason Succeeded, message "Ready")
 * once the policy is in Kyverno's webhook configuration, else False (Failed, "Not Ready"). Kyverno checks a
 * policy when it is admitted, so a stored policy is never wrong, only not served yet: Ready True is
 * Healthy, anything else Progressing (as Argo CD's built-in check for the namespaced `kyverno.io/Policy`).
 * The `status.ready` boolean of older Kyverno releases (deprecated, cleared by `SetReady`) counts too.
 */
export const KYVERNO_POLICY_HEALTH_LUA = `-- Kyverno ClusterPolicy: the Ready condition (cdk8s-fleet, charts/argocd/health-checks.ts)
local hs = { status = "Progressing", message = "Waiting for Kyverno to serve the policy" }
${CONDITION_TEXT}
if obj.metadata ~= nil and obj.metadata.deletionTimestamp ~= nil then
  hs.message = "Being deleted"
  return hs
end
if obj.status == nil then
  return hs
end
if obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Ready" then
      if c.status == "True" then
        hs.status = "Healthy"
        hs.message = text(c, "Ready")
      else
        hs.message = "Not in Kyverno's webhook configuration yet: " .. text(c, "Not Ready")
      end
      return hs
    end
  end
end
if obj.status.ready == true then
  hs.status = "Healthy"
  hs.message = "Ready"
end
return hs
`;

/**
 * `policies.kyverno.io/ValidatingPolicy`: Kyverno v1.19.0 (pkg/controllers/policystatus/controller.go and
 * vpol.go) writes `status.conditionStatus`: the conditions `WebhookConfigured` (False while the policy is not
 * in the webhook yet) and `RBACPermissionsGranted` (False when Kyverno's reports controller may not read the
 * resources the policy matches), and `ready`, true when every condition is True. A missing permission does
 * not fix itself: Degraded, with Kyverno's message. Ready is Healthy; anything else Progressing.
 */
export const KYVERNO_VALIDATING_POLICY_HEALTH_LUA = `-- Kyverno ValidatingPolicy: status.conditionStatus (cdk8s-fleet, charts/argocd/health-checks.ts)
local hs = { status = "Progressing", message = "Waiting for Kyverno to report the policy's status" }
${CONDITION_TEXT}
if obj.metadata ~= nil and obj.metadata.deletionTimestamp ~= nil then
  hs.message = "Being deleted"
  return hs
end
if obj.status == nil or obj.status.conditionStatus == nil then
  return hs
end
local cs = obj.status.conditionStatus
if cs.conditions ~= nil then
  for _, c in ipairs(cs.conditions) do
    if c.type == "RBACPermissionsGranted" and c.status == "False" then
      hs.status = "Degraded"
      hs.message = text(c, "Kyverno may not read the resources the policy matches")
      return hs
    end
  end
  for _, c in ipairs(cs.conditions) do
    if c.status ~= "True" then
      hs.message = text(c, "Waiting for Kyverno's conditions")
      return hs
    end
  end
end
if cs.ready == true then
  hs.status = "Healthy"
  hs.message = "Ready"
end
return hs
`;

/** Kyverno's cluster-wide policy kinds, which Argo CD has no health check for. */
export const KYVERNO_POLICY_KINDS: readonly GroupKind[] = [
  { group: 'kyverno.io', kind: 'ClusterPolicy' },
  { group: 'policies.kyverno.io', kind: 'ValidatingPolicy' },
];

/**
 * Built-in checks of Argo CD that the hub's checks replace on purpose, by `<group>/<kind>` key, with why.
 * Every other kind with a built-in check (test/fixtures/argo-cd/builtin-health-checks.json, read from
 * argoproj/argo-cd at v3.4.4 and v3.5.1) gets none here.
 */
export const OVERRIDDEN_BUILT_INS: Readonly<Record<string, string>> = {
  'pkg.crossplane.io/Provider': 'the built-in script concatenates a nil reason when one of the two conditions is missing (a Lua error)',
  'pkg.crossplane.io/Function': "the built-in `_.crossplane.io/_` wildcard reports a Function Healthy without reading Installed",
};

/** Crossplane's package kinds the hub installs. */
export const CROSSPLANE_PACKAGE_KINDS: readonly GroupKind[] = [
  { group: 'pkg.crossplane.io', kind: 'Provider' },
  { group: 'pkg.crossplane.io', kind: 'Function' },
];

/** The Application kind. */
export const APPLICATION_KIND: GroupKind = { group: 'argoproj.io', kind: 'Application' };

/**
 * The health checks of the hub: one per claim kind given (the platform's database claims), the
 * Crossplane packages, Applications and Kyverno's cluster-wide policies, in a stable order.
 */
export function hubHealthChecks(claimKinds: readonly GroupKind[]): HealthCheck[] {
  return [
    ...claimKinds.map((gk) => ({ ...gk, lua: CLAIM_HEALTH_LUA })),
    ...CROSSPLANE_PACKAGE_KINDS.map((gk) => ({ ...gk, lua: PACKAGE_HEALTH_LUA })),
    { ...APPLICATION_KIND, lua: APPLICATION_HEALTH_LUA },
    { ...KYVERNO_POLICY_KINDS[0], lua: KYVERNO_POLICY_HEALTH_LUA },
    { ...KYVERNO_POLICY_KINDS[1], lua: KYVERNO_VALIDATING_POLICY_HEALTH_LUA },
  ];
}

/** The `argocd-cm` data of health checks (the argo-cd chart's `configs.cm`, or an `argocd-cm` ConfigMap). */
export function healthCheckConfig(checks: readonly HealthCheck[]): Record<string, string> {
  return Object.fromEntries(checks.map((c) => [healthCheckKey(c), c.lua]));
}
