import type { Construct } from 'constructs';
import type { WebServiceProps, WorkerProps } from './workload.js';
import type { Overlay } from '../../engines/kustomize/index.js';

/**
 * The fleet model: plain, typed data that describes accounts, clusters, environments and git repos.
 *
 * Nothing here renders anything. `validateFleet()` checks a model in one pass and `resolveFleet()`
 * applies defaults, so that the constructs in `charts/` only ever see a valid, fully resolved fleet.
 */

/** A git repository Argo CD reads from. */
export interface GitRepoSpec {
  /** Clone URL, `https://...` or `git@host:org/repo.git`. */
  readonly url: string;
  /**
   * Branch, tag or commit Argo CD follows. Never `HEAD` by accident: it must be given.
   */
  readonly revision: string;
  /**
   * Folder inside the repository that everything else is relative to. Empty or ending in `/`.
   * @default ''
   */
  readonly basePath?: string;
  /**
   * Folder below `basePath` that the ApplicationSets of this repository read.
   * @default - `addons` for the add-ons repository, `apps` for the workloads repository
   */
  readonly path?: string;
}

/** How Argo CD authenticates to a git server; the values themselves stay in AWS Secrets Manager. */
export type GitCredentialKind = 'https-token' | 'ssh-key' | 'github-app';

/** A field of an Argo CD `repository` / `repo-creds` Secret that holds (part of) a credential. */
export type GitCredentialField = 'username' | 'password' | 'sshPrivateKey' | 'githubAppID' | 'githubAppInstallationID' | 'githubAppPrivateKey';

/**
 * Credentials Argo CD reads git repositories with, declared by reference: the AWS Secrets Manager secret
 * that holds them and which JSON keys of it, never a value. Self-managed Argo CD gets them through External
 * Secrets (an ExternalSecret per entry, making the `repository` or `repo-creds` Secret in Argo CD's
 * namespace).
 */
export interface GitCredentialSpec {
  /** Name of the credential: DNS-1123 label, unique; names its ExternalSecret and Secret (`repo-<name>`, `repo-creds-<name>`). */
  readonly name: string;
  /**
   * The repository URL (`match: 'repository'`) or a URL prefix (`match: 'prefix'`, like
   * `https://git.example.com/platform/`). Never with credentials in it (`https://user:token@...`).
   */
  readonly url: string;
  /**
   * `repository`: exactly this repository (an Argo CD `repository` Secret; Argo CD compares URLs
   * normalised: lower case, without `.git`). `prefix`: every repository whose URL starts with `url` (a
   * `repo-creds` template; of several matching prefixes the longest wins).
   * @default 'repository'
   */
  readonly match?: 'repository' | 'prefix';
  /** `https-token` (username and token), `ssh-key` (private key) or `github-app` (app id, installation id, private key). */
  readonly kind: GitCredentialKind;
  /**
   * The AWS Secrets Manager secret holding the values, as a JSON object: its name
   * (`argocd/git/git.example.com`, in the hub's account, and in the hub's region unless other credentials
   * name ARNs: then in theirs) or its ARN (all ARNs in one region). The EKS capability needs the ARN.
   */
  readonly secret: string;
  /**
   * Which JSON key of the secret holds each field Argo CD needs.
   * @default - https-token: username `username`, password `token`; ssh-key: sshPrivateKey `sshPrivateKey`;
   * github-app: githubAppID `githubAppID`, githubAppInstallationID `githubAppInstallationID`,
   * githubAppPrivateKey `githubAppPrivateKey`
   */
  readonly keys?: Readonly<Partial<Record<GitCredentialField, string>>>;
}

/** An AWS account of the fleet. */
export interface AccountSpec {
  /** Short name used in cluster specs (`central`, `tenant1`). DNS-1123 label. */
  readonly name: string;
  /** The 12-digit AWS account id. */
  readonly id: string;
  /** `central` holds the hub; `tenant` accounts hold spokes. */
  readonly kind: 'central' | 'tenant';
  /**
   * IAM role Crossplane's AWS provider on the hub assumes to manage AWS resources in this account
   * (`assumeRoleChain` of the account's ProviderConfig). Required for accounts that hold databases,
   * except the hub's own account.
   * @default - none
   */
  readonly crossplaneRoleArn?: string;
}

/** Where and how an environment's databases run (RDS PostgreSQL managed by Crossplane on the hub). */
export interface EnvironmentDatabases {
  /** Account (name) the databases live in. */
  readonly account: string;
  /** AWS region. */
  readonly region: string;
  /** VPC of the databases (usually the spokes' VPC). */
  readonly vpcId: string;
  /** Private subnets for the DB subnet group, in at least two availability zones. */
  readonly subnetIds: readonly string[];
  /** The only CIDR allowed to reach port 5432: the spokes' VPC. */
  readonly allowedCidr: string;
  /**
   * DNS domain of RDS endpoints in this account and region, `<id>.<region>.rds.amazonaws.com` (an
   * output of the account's Terraform): the app's host is `<identifier>.<endpointDomain>`.
   */
  readonly endpointDomain: string;
  /** Standby in a second availability zone. */
  readonly multiAz: boolean;
  /** Refuse deletion of the instance. */
  readonly deletionProtection: boolean;
  /** Days of automated backups (0..35). */
  readonly backupRetentionDays: number;
  /** Take a final snapshot when the instance is deleted. */
  readonly finalSnapshot: boolean;
  /**
   * Weekly maintenance window (UTC), `ddd:hh24:mi-ddd:hh24:mi`, like `sun:05:00-sun:06:00`.
   * @default - one chosen by RDS
   */
  readonly maintenanceWindow?: string;
  /**
   * Daily backup window (UTC), `hh24:mi-hh24:mi`, at least 30 minutes, outside the maintenance window.
   * @default - one chosen by RDS
   */
  readonly backupWindow?: string;
  /**
   * Performance Insights (7 days, the free tier).
   * @default false
   */
  readonly performanceInsights?: boolean;
  /**
   * PostgreSQL logs exported to CloudWatch Logs.
   * @default - none
   */
  readonly cloudwatchLogExports?: ReadonlyArray<'postgresql' | 'upgrade'>;
}

/** Per-cluster or per-environment settings of one add-on. */
export interface AddonSetting {
  /**
   * Whether the add-on runs.
   * @default true when a setting object is given
   */
  readonly enabled?: boolean;
  /**
   * Chart version pin. Rendered only where it differs from what it overrides
   * (catalog default, then environment pin).
   * @default - the environment's pin, else the catalog's version
   */
  readonly version?: string;
  /**
   * Helm values layered over the catalog's defaults (default -> environment -> cluster).
   * Rendered into `dist/addons/values/...`; never put secrets here.
   * @default - no values file for this layer
   */
  readonly values?: Readonly<Record<string, unknown>>;
  /**
   * What disabling the add-on here does: `uninstall` (Argo CD deletes its resources) or `orphan` (they
   * keep running, unmanaged). Overrides the catalog's `onDisable`; a cluster's wins over its
   * environment's. Every cluster of one hub running the add-on must end up with the same value (one
   * ApplicationSet renders them all). See docs/addon-removal.md.
   * @default - the environment's, else the catalog's `onDisable`, else 'orphan'
   */
  readonly onDisable?: 'uninstall' | 'orphan';
  /**
   * The add-on's companion objects (`CompanionObject`, charts/model/companions.ts), by name, layered like values (catalog
   * default -> environment -> cluster): an object is deep-merged over the same-named one below it (or is
   * a new one), `false` removes it.
   * @default - the layer below's companions
   */
  readonly companions?: Readonly<Record<string, Readonly<Record<string, unknown>> | false>>;
}

/** Per-cluster setting of one add-on: adds the IAM role the add-on runs with. */
export interface ClusterAddonSetting extends AddonSetting {
  /**
   * IAM role the add-on's service account assumes (IRSA). Required for add-ons whose catalog entry
   * says `iamRole: true`; becomes the `<addon>_iam_role_arn` annotation of the cluster Secret.
   * @default - none; an error for add-ons that need one
   */
  readonly iamRoleArn?: string;
  /**
   * The add-on's facts of the IaC contract (the catalog entry's `facts`: annotation key -> value), like
   * `karpenter_node_iam_role_name`. Read from the cluster's IaC output when it has one; a value typed
   * here must agree with it.
   * @default - from the IaC output; an error for a fact the add-on needs
   */
  readonly facts?: Readonly<Record<string, string>>;
}

/** One EKS cluster, the hub or a spoke. */
export interface ClusterSpec {
  /** Cluster name: DNS-1123 label, unique in the fleet; also the EKS cluster name unless `awsClusterName` is set. */
  readonly name: string;
  /** Name of the account (see `FleetSpec.accounts`) the cluster runs in. */
  readonly account: string;
  /**
   * AWS region, for example `us-west-2`. A fact: with IaC outputs (`FleetSource.iac`) it comes from
   * the cluster's `aws_region`, and a value typed here must agree.
   * @default - from the cluster's IaC output; required without one
   */
  readonly region?: string;
  /** Environment name (see `FleetSpec.environments`). The hub's environment is `control-plane`. */
  readonly environment: string;
  /**
   * `hub` runs Argo CD (and Crossplane); `spoke` clusters run workloads. A fleet has one hub, or several
   * (one per region or account group), each with its own bootstrap under `dist/hubs/<hub>/`.
   */
  readonly role: 'hub' | 'spoke';
  /**
   * The hub whose Argo CD manages this spoke (a cluster name with role `hub`). A hub manages itself.
   * @default - the fleet's only hub; required on spokes when the fleet has several hubs
   */
  readonly hub?: string;
  /**
   * Kubernetes minor version, for example `1.31`. A fact: the IaC output's `kubernetes_version`.
   * @default - from the cluster's IaC output; required without one
   */
  readonly kubernetesVersion?: string;
  /**
   * VPC id, `vpc-...`. A fact: the IaC output's `aws_vpc_id`.
   * @default - from the cluster's IaC output; required without one
   */
  readonly vpcId?: string;
  /**
   * How the cluster's add-ons get AWS credentials: `irsa` (IAM roles for service accounts: the service
   * account carries `eks.amazonaws.com/role-arn`, the role trusts the cluster's OIDC provider) or
   * `pod-identity` (EKS Pod Identity: no service-account annotation; the IaC creates a Pod Identity
   * association per add-on, listed in `dist/iac/clusters/<cluster>.json`, and the role trusts
   * `pods.eks.amazonaws.com`). On a self-managed hub, `pod-identity` also puts Argo CD in single-role
   * mode: its own role reaches every spoke through an EKS access entry, no `awsAuthConfig.roleARN`.
   * @default - the fleet's `identity`
   */
  readonly identity?: AwsIdentity;
  /**
   * EKS cluster name in AWS.
   * @default - `name`
   */
  readonly awsClusterName?: string;
  /**
   * Tenant the cluster belongs to (the `tenant` label).
   * @default - the account name
   */
  readonly tenant?: string;
  /**
   * API server endpoint, `https://...eks.amazonaws.com`. Required for spokes when Argo CD is
   * self-managed; unused for the hub (in-cluster) and in `eks-capability` mode (cluster ARN).
   * @default - none
   */
  readonly endpoint?: string;
  /**
   * Base64 of the cluster's PEM CA certificate (public data), as
   * `aws eks describe-cluster --query cluster.certificateAuthority.data` prints it; written to the cluster
   * Secret's `tlsClientConfig.caData` (`insecure` is always false). Required for spokes when Argo CD is
   * self-managed; unused in `eks-capability` mode (the capability reaches clusters by ARN).
   * @default - none (the hub is in-cluster)
   */
  readonly caData?: string;
  /**
   * IAM role Argo CD on the hub assumes to reach this spoke (`awsAuthConfig.roleARN`).
   * Required for spokes when Argo CD is self-managed.
   * @default - none
   */
  readonly argocdRoleArn?: string;
  /**
   * Application controller shard that reconciles this cluster (0-based), when Argo CD is sharded.
   * @default - the sharding algorithm decides
   */
  readonly shard?: number;
  /**
   * The IaC has not created the cluster yet. It gets its IaC contract (`dist/iac/clusters/<cluster>.json`:
   * the roles to create, named `<EKS name>-<addon>` and `<EKS name>-argocd-spoke` in its account unless
   * given, their trust and permissions, its access entry) and nothing else: no cluster Secret, no
   * Application. Needs `region`; takes no fact the IaC writes (endpoint, CA, VPC, version). Remove it
   * when the cluster's IaC output is committed.
   * @default false
   */
  readonly pending?: boolean;
  /**
   * Whether team workloads are delivered to this cluster (the `workloads` label).
   * @default - true for spokes, false for the hub
   */
  readonly workloads?: boolean;
  /**
   * Add-ons on this cluster: `true`/`false`, or a setting with version pin, values and IAM role.
   * Overrides the environment's enablement.
   * @default {}
   */
  readonly addons?: Readonly<Record<string, boolean | ClusterAddonSetting>>;
}

/** An environment: a stage of promotion (`staging`, `prod`) or the hub's `control-plane`. */
export interface EnvironmentSpec {
  /** DNS-1123 label. */
  readonly name: string;
  /**
   * Position in the promotion order: lower goes first (`control-plane` 0, `staging` 1, `prod` 2).
   * The order of the `environments` list itself never matters.
   */
  readonly promotionOrder: number;
  /**
   * Databases of this environment: network and safety policy (multi-AZ, deletion protection, backups).
   * Required when an app running here asks for a database.
   * @default - no databases in this environment
   */
  readonly databases?: EnvironmentDatabases;
  /**
   * Add-on settings for every cluster of this environment: enablement, version pins and values.
   * @default {}
   */
  readonly addons?: Readonly<Record<string, boolean | AddonSetting>>;
}

/** How Argo CD runs on the hub. */
export interface ArgoCdSpec {
  /**
   * Namespace of Argo CD on the hub.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * `self-managed`: Argo CD runs from the `argo-cd` add-on and reaches spokes with `awsAuthConfig`.
   * `eks-capability`: the EKS managed Argo CD capability; cluster Secrets use the cluster ARN as `server`.
   * @default 'self-managed'
   */
  readonly mode?: 'self-managed' | 'eks-capability';
  /**
   * Roll add-on changes out environment by environment with ApplicationSet RollingSync, in the order
   * of `FleetSpec.environments`. Needs the ApplicationSet controller's progressive syncs enabled (the
   * argo-cd add-on's values set `applicationsetcontroller.enable.progressive.syncs`; with the EKS
   * capability, check that it supports them). What you give up: the ApplicationSet controller turns
   * automated sync off on the generated add-on Applications and syncs them itself, step by step, when
   * their ApplicationSet changes; so drift on a cluster is not healed (no selfHeal) and a failed step
   * waits for a person, until the next change.
   * @default false
   * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Progressive-Syncs/
   */
  readonly progressiveSync?: boolean;
  /**
   * Shard the application controller for large fleets: run `replicas` controllers, each reconciling
   * a share of the clusters (pin a cluster with `ClusterSpec.shard`).
   * @default - one controller
   * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/high_availability/#argocd-application-controller
   */
  readonly sharding?: ControllerSharding;
  /**
   * Single sign-on: an OIDC provider for self-managed Argo CD (`oidc`), or IAM Identity Center for the
   * EKS capability (`identityCenter`). With it the RBAC is default deny: `adminGroups` are Argo CD admins,
   * each team's `group` may only see and sync the Applications of its own project.
   * @default - no single sign-on (and no RBAC policy rendered)
   */
  readonly sso?: ArgoCdSso;
  /**
   * Identity-provider groups of the platform team: `role:admin` in Argo CD (self-managed), the `ADMIN`
   * role mapping of the EKS capability (Identity Center group ids). Never a team's group.
   * @default []
   */
  readonly adminGroups?: readonly string[];
}

/** Single sign-on of Argo CD; exactly one of `oidc` (self-managed) and `identityCenter` (EKS capability). */
export interface ArgoCdSso {
  /** Self-managed Argo CD: an OIDC provider, rendered into the hub's `argo-cd` values (`configs.cm."oidc.config"`). */
  readonly oidc?: ArgoCdOidc;
  /** EKS Argo CD capability: IAM Identity Center, rendered as the capability's configuration for the IaC (`iam/argocd-capability/<hub>.json`). */
  readonly identityCenter?: ArgoCdIdentityCenter;
}

/** An OIDC provider of self-managed Argo CD. Only references to secrets, never a value. */
export interface ArgoCdOidc {
  /** Argo CD's external URL (`configs.cm.url`), `https://...`: the provider redirects to `<url>/auth/callback`. */
  readonly url: string;
  /**
   * Name on the login button.
   * @default 'SSO'
   */
  readonly name?: string;
  /** The issuer, `https://...` (its `/.well-known/openid-configuration` must be served there). */
  readonly issuer: string;
  /** The OAuth client id registered for Argo CD. */
  readonly clientId: string;
  /**
   * The client secret as an Argo CD reference, never the value: `$oidc.clientSecret` (key of
   * `argocd-secret`) or `$<secret>:<key>` (a Secret in Argo CD's namespace labelled
   * `app.kubernetes.io/part-of: argocd`, for example made by External Secrets).
   */
  readonly clientSecret: string;
  /**
   * Scopes Argo CD requests.
   * @default ['openid', 'profile', 'email', 'groups']
   */
  readonly requestedScopes?: readonly string[];
  /**
   * The claim holding the user's groups (`scopes` of argocd-rbac-cm, and requested as an essential ID token claim).
   * @default 'groups'
   */
  readonly groupsClaim?: string;
}

/** IAM Identity Center of the EKS Argo CD capability (`configuration.argoCd.awsIdc`). */
export interface ArgoCdIdentityCenter {
  /** The Identity Center instance, `arn:aws:sso:::instance/ssoins-...`. */
  readonly instanceArn: string;
  /** The instance's region. */
  readonly region: string;
}

/** Argo CD application controller sharding. */
export interface ControllerSharding {
  /** Number of application controller replicas (shards). */
  readonly replicas: number;
  /**
   * How clusters are spread over shards when not pinned.
   * @default 'consistent-hashing'
   */
  readonly algorithm?: 'legacy' | 'round-robin' | 'consistent-hashing';
}

/** How pods get AWS credentials: IAM roles for service accounts, or EKS Pod Identity. */
export type AwsIdentity = 'irsa' | 'pod-identity';

/** The whole fleet. */
export interface FleetSpec {
  /** Fleet name, DNS-1123 label; prefixes the hub's own Argo CD objects. */
  readonly name: string;
  /**
   * How add-ons get AWS credentials on every cluster (see `ClusterSpec.identity`, which overrides it).
   * @default 'irsa'
   */
  readonly identity?: AwsIdentity;
  /** Argo CD on the hub. @default {} */
  readonly argocd?: ArgoCdSpec;
  /** Git repositories. */
  readonly repos: {
    /** The repository holding this project's `dist/` (add-on ApplicationSets, values, hub config). */
    readonly addons: GitRepoSpec;
    /** The repository holding team workloads. */
    readonly workloads: GitRepoSpec;
    /**
     * Credentials of private repositories, by URL or URL prefix (references to AWS Secrets Manager,
     * never values). Self-managed Argo CD only; with the EKS capability use AWS CodeConnections URLs.
     * @default []
     */
    readonly credentials?: readonly GitCredentialSpec[];
    /**
     * The repositories above can be read without credentials (public). When false, `npm run plan`
     * reports an Application reading them that no credential covers.
     * @default false
     */
    readonly public?: boolean;
  };
  /** AWS accounts. */
  readonly accounts: readonly AccountSpec[];
  /** Environments; their `promotionOrder` sets the rollout order. */
  readonly environments: readonly EnvironmentSpec[];
  /** Clusters: one hub (or several, each managing the spokes that name it) and any number of spokes. */
  readonly clusters: readonly ClusterSpec[];
  /**
   * Teams that run apps on the spokes, with their boundaries.
   * @default []
   */
  readonly teams?: readonly TeamSpec[];
}

/** Hard limits of a team's namespace in one environment (ResourceQuota). Quantities as Kubernetes writes them. */
export interface TeamQuota {
  readonly requestsCpu: string;
  readonly requestsMemory: string;
  readonly limitsCpu: string;
  readonly limitsMemory: string;
  readonly pods: number;
}

/** A team: who they are, where they run, their limits and their apps. */
export interface TeamSpec {
  /** Team name, DNS-1123 label; the AppProject and the namespaces `<team>-<environment>`. */
  readonly name: string;
  /** Identity-provider group of the team's members: bound in each namespace and in the team's AppProject. */
  readonly group: string;
  /** Environments the team deploys to (spoke environments). */
  readonly environments: readonly string[];
  /**
   * Quota per environment.
   * @default - 4 CPU / 8Gi requests, 8 CPU / 16Gi limits, 50 pods
   */
  readonly quota?: Readonly<Record<string, TeamQuota>>;
  /**
   * The team's Kubernetes access per environment, as Roles the platform defines in the team's namespace
   * (never Kubernetes' built-in `view`/`edit` ClusterRoles):
   * - `view` (Role `fleet-team-view`): read the team's workloads (Deployments, ReplicaSets, StatefulSets,
   *   Jobs, CronJobs, pods and their logs), Services, ConfigMaps, Ingresses, autoscalers, disruption
   *   budgets, ServiceAccounts, events, and the namespace's quota and limit range.
   * - `edit` (Role `fleet-team-edit`): the same, plus create, change and delete Deployments, StatefulSets,
   *   Jobs, CronJobs, Services, ConfigMaps, Ingresses, autoscalers and disruption budgets, scale
   *   Deployments and StatefulSets, and delete pods.
   * Neither level may read Secrets, exec into, attach to or port-forward pods, nor touch NetworkPolicies,
   * Roles, RoleBindings, ResourceQuotas, LimitRanges, External Secrets objects, KEDA
   * TriggerAuthentications or Kyverno PolicyExceptions: those stay with the platform.
   * @default - view everywhere (changes go through git)
   */
  readonly access?: Readonly<Record<string, 'view' | 'edit'>>;
  /**
   * The team's apps, rendered by the platform into `dist/apps/<team>/<app>/<env>/`. Must be empty (`[]`)
   * when the team has its own `repo`: a team's apps live in one place.
   */
  readonly apps: readonly AppSpec[];
  /**
   * Team repository mode: the team renders its apps in a repository of its own and Argo CD reads them
   * there; the platform keeps the team's boundaries (namespaces, quotas, network policies, access,
   * databases) and renders no manifest of the team's apps. See docs/teams-and-apps.md#a-team-repository.
   * @default - the team's apps are in `apps`, rendered by the platform
   */
  readonly repo?: TeamRepoSpec;
}

/**
 * A team's own repository, holding the rendered manifests of its apps as
 * `<path>/<app>/<environment>/*.yaml` at `revision` (what a team repository made with `cdk8s-fleet/app`
 * writes, the platform's `apps/<team>/<app>/<environment>/` without the team).
 */
export interface TeamRepoSpec {
  /**
   * Clone URL, `https://host/org/repo(.git)`, `git@host:org/repo.git` or `ssh://git@host/org/repo.git`;
   * never with credentials in it. The team's AppProject allows exactly this repository.
   */
  readonly url: string;
  /** Branch, tag or commit Argo CD follows (not `HEAD`). */
  readonly revision: string;
  /** Folder of the rendered apps inside the repository, relative (`dist/apps`), without `.`, `..` or a trailing '/'. */
  readonly path: string;
  /**
   * The repository can be read without credentials. When false, one of `repos.credentials` must cover it
   * (a `repository` credential for this URL, or a `prefix` one).
   * @default false
   */
  readonly public?: boolean;
  /**
   * The apps the repository holds and where each runs: the platform makes one Application per app,
   * environment and workload spoke (so `npm run plan` lists them), and the network policies of the
   * team's namespaces from what each app declares.
   */
  readonly apps: readonly TeamRepoApp[];
}

/** An app of a team repository, as the platform needs to know it: name, environments, traffic. */
export interface TeamRepoApp {
  /** App name, DNS-1123 label, unique in the team; its folder `<path>/<app>/` (and `app.kubernetes.io/name` of its pods). */
  readonly name: string;
  /** Environments (of the team's) the app runs in: the repository has `<path>/<app>/<env>/` for each. */
  readonly environments: readonly string[];
  /**
   * Port the app's pods serve on, reachable from the apps that call it (and from the ALB with `ingress`).
   * @default - the app serves nothing
   */
  readonly port?: number;
  /**
   * The app has an Ingress: traffic from the load balancer to `port` is allowed.
   * @default false
   */
  readonly ingress?: boolean;
  /**
   * Apps of the same team this app calls.
   * @default []
   */
  readonly connectsTo?: readonly string[];
  /**
   * Allow HTTPS (443) egress to anywhere.
   * @default false
   */
  readonly internetEgress?: boolean;
  /**
   * A PostgreSQL database per environment, as an app of the platform asks for one (`AppSpec.database`):
   * the platform claims it and renders the ExternalSecret making the Secret `<app>-database` in the
   * team's boundaries; the app's manifests in the team repository read that Secret.
   * @default - no database
   */
  readonly database?: AppDatabase;
}

/**
 * An app: a base described once (a web service, a worker, or any constructs) plus a kustomize-style
 * overlay per environment. The app runs in exactly the environments that have an overlay (`{}` is fine).
 */
export interface AppSpec {
  /** App name, DNS-1123 label, unique in the team. */
  readonly name: string;
  /** The base as a web service. Exactly one of `webService`, `worker`, `chart`. */
  readonly webService?: Omit<WebServiceProps, 'name'>;
  /** The base as a worker. */
  readonly worker?: Omit<WorkerProps, 'name'>;
  /** The base built by any constructs (cdk8s, cdk8s-plus-28, this library) into the given scope. */
  readonly chart?: (scope: Construct) => void;
  /** Overlay per environment: images, replicas, labels, generators, patches... (kustomize semantics). */
  readonly environments: Readonly<Record<string, Overlay>>;
  /**
   * Apps of the same team this app calls; network policies allow exactly these connections.
   * @default []
   */
  readonly connectsTo?: readonly string[];
  /**
   * Allow HTTPS (443) egress to anywhere: AWS APIs, third-party services.
   * @default false
   */
  readonly internetEgress?: boolean;
  /**
   * A PostgreSQL database on Amazon RDS per environment, claimed from Crossplane on the hub. The app's
   * pods read `DB_HOST`, `DB_PORT`, `DB_NAME`, `DB_USER`, `DB_PASSWORD` from the Secret
   * `<app>-database`, which External Secrets fills from the RDS-managed secret in AWS Secrets Manager.
   * @default - no database
   */
  readonly database?: AppDatabase;
}

/** Size classes of a database: instance class and storage come from the Composition. */
export type DatabaseSize = 'small' | 'medium' | 'large';

/** What an app asks for. */
export interface AppDatabase {
  /** Only PostgreSQL for now. */
  readonly engine: 'postgres';
  /** Size class everywhere, or per environment (`{ staging: 'small', prod: 'medium' }`). */
  readonly size: DatabaseSize | Readonly<Record<string, DatabaseSize>>;
  /**
   * PostgreSQL major.minor version.
   * @default '16.4'
   */
  readonly engineVersion?: string;
  /**
   * Name of the database inside the instance.
   * @default - the app name with '-' as '_'
   */
  readonly databaseName?: string;
}

/**
 * A fleet together with the source file of each of its top-level fields, so that every validation
 * problem can name the file and field to fix.
 */
export interface FleetSource {
  readonly spec: FleetSpec;
  /** File each top-level field of `spec` comes from (`teams`: `environments/teams.ts`); `default` for the rest. */
  readonly files: Partial<Record<keyof FleetSpec | 'default', string>>;
  /**
   * The facts of every cluster, as the IaC that created it wrote them (`readIacOutputs('environments/clusters')`):
   * region, account, VPC, Kubernetes version, API server, CA, Argo CD's role, each add-on's IAM role.
   * With it, `spec.clusters` holds intent (environment, hub, add-ons) and every cluster must have its
   * output file; a fact typed in `spec` that contradicts the IaC is an error.
   * @default - no IaC outputs: every fact is typed in `spec.clusters`
   */
  readonly iac?: IacOutputs;
}

/** One file an IaC run wrote: its path relative to the project root, and its text. */
export interface IacOutputFile {
  readonly file: string;
  readonly text: string;
}

/** The IaC outputs of a fleet: one JSON file per cluster, in a folder. */
export interface IacOutputs {
  /** The folder, relative to the project root (`environments/clusters`): named in messages. */
  readonly dir: string;
  /**
   * One per cluster: `terraform output -json` with an output holding the GitOps Bridge `cluster` object,
   * that object itself (`terraform output -json <name>`), or the fleet workshop's Secrets Manager
   * secret (`metadata`, `addons`, `server`, `config`).
   */
  readonly files: readonly IacOutputFile[];
}
