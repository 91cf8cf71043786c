import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADDON_CATALOG, AddonDefinition, formatProblem, validateFleet, FleetSpec } from '../charts/index.js';
import { exampleFleet, fleetCopy, Mutable, withSpec } from './support/fleet.js';
import { NOT_A_CERTIFICATE, TEST_CA } from './support/ca.js';
import { isBase64PemCertificate, roleArnAccount, serverKey } from '../charts/validate/rules.js';

/** Validates a changed copy of the example fleet and returns its problems as `file: path: message` lines. */
function problemsOf(change: (spec: Mutable<FleetSpec>) => void, catalog: readonly AddonDefinition[] = ADDON_CATALOG): string[] {
  const spec = fleetCopy();
  change(spec);
  return validateFleet(withSpec(spec), catalog).map(formatProblem);
}

function assertOne(lines: string[], expected: string): void {
  assert.ok(lines.some((l) => l.startsWith(expected) || l === expected), `expected a problem starting with\n  ${expected}\ngot\n  ${lines.join('\n  ')}`);
}

const hub = (s: Mutable<FleetSpec>) => s.clusters.find((c) => c.role === 'hub')!;
const staging = (s: Mutable<FleetSpec>) => s.clusters.find((c) => c.name === 'spoke-staging')!;

describe('validateFleet', () => {
  it('accepts the example fleet', () => {
    assert.deepEqual(validateFleet(exampleFleet, ADDON_CATALOG), []);
  });

  it('fails when two clusters share a name', () => {
    assertOne(problemsOf((s) => { s.clusters[2].name = s.clusters[1].name; }),
      'environments/clusters.ts: clusters[2].name: cluster "spoke-staging" is already defined at clusters[1]');
  });

  it('fails when a cluster name is not a DNS-1123 label', () => {
    assertOne(problemsOf((s) => { s.clusters[1].name = 'Spoke_Staging'; }),
      'environments/clusters.ts: clusters[1].name: "Spoke_Staging" is not a DNS-1123 label');
  });

  it('fails when a name is longer than 63 characters (label value limit)', () => {
    const long = 'a'.repeat(64);
    assertOne(problemsOf((s) => { s.clusters[1].tenant = long; }),
      `environments/clusters.ts: clusters[1].tenant: "${long}" is 64 characters; at most 63 are allowed`);
  });

  it('fails when there is no hub, naming the field', () => {
    assertOne(problemsOf((s) => { hub(s).role = 'spoke'; }), 'environments/clusters.ts: clusters: no hub: one cluster must have role "hub"');
  });

  it('fails when there are two hubs and a spoke names neither', () => {
    assertOne(problemsOf((s) => { s.clusters.push({ ...structuredClone(s.clusters[0]), name: 'hub-eu', region: 'eu-west-1' }); }),
      'environments/clusters.ts: clusters[1].hub: the fleet has 2 hubs (hub, hub-eu): name the hub whose Argo CD manages spoke "spoke-staging"');
  });

  it('fails when the hub is in a tenant account', () => {
    assertOne(problemsOf((s) => { hub(s).account = 'tenant1'; }),
      'environments/clusters.ts: clusters[0].account: the hub must run in a central account');
  });

  it('fails on an unknown add-on, listing the known ones', () => {
    assertOne(problemsOf((s) => { staging(s).addons = { ...staging(s).addons, 'cert-manger': true }; }),
      `environments/clusters.ts: clusters[1].addons.cert-manger: unknown add-on "cert-manger"; known add-ons: ${ADDON_CATALOG.map((a) => a.name).sort().join(', ')}`);
  });

  it('fails on an unknown add-on in an environment, naming the environments file', () => {
    assertOne(problemsOf((s) => { s.environments[1].addons = { nope: true }; }),
      'environments/environments.ts: environments[1].addons.nope: unknown add-on "nope"');
  });

  it('fails on a version range instead of a pin', () => {
    assertOne(problemsOf((s) => { s.environments[1].addons = { ...s.environments[1].addons, karpenter: { version: '^1.2' } }; }),
      'environments/environments.ts: environments[1].addons.karpenter.version: "^1.2" is not an exact chart version');
  });

  it('fails on values that are not JSON data (NaN would not survive YAML)', () => {
    assertOne(problemsOf((s) => { s.environments[2].addons = { ...s.environments[2].addons, velero: { values: { schedule: { ttl: NaN } } } }; }),
      'environments/environments.ts: environments[2].addons.velero.values: must be JSON data: schedule.ttl is NaN');
  });

  it('fails on an invalid repo URL and a HEAD revision', () => {
    const lines = problemsOf((s) => { s.repos.addons = { url: 'github.com/acme/fleet', revision: 'HEAD' }; });
    assertOne(lines, 'environments/fleet.ts: repos.addons.url: "github.com/acme/fleet" is not a git URL');
    assertOne(lines, 'environments/fleet.ts: repos.addons.revision: "HEAD" is not a branch, tag or commit');
  });

  it('fails when a basePath does not end in /', () => {
    assertOne(problemsOf((s) => { s.repos.addons = { ...s.repos.addons, basePath: 'dist' }; }),
      'environments/fleet.ts: repos.addons.basePath: "dist" must be empty or a relative folder ending in \'/\'');
  });

  it('fails when an enabled add-on misses its IAM role (the annotation its template needs)', () => {
    assertOne(problemsOf((s) => {
      const addons = { ...staging(s).addons };
      delete addons['aws-load-balancer-controller'];
      staging(s).addons = addons;
    }), 'environments/clusters.ts: clusters[1].addons.aws-load-balancer-controller.iamRoleArn: add-on "aws-load-balancer-controller" needs an IAM role (enabled by environment "staging"): give iamRoleArn, written as annotation aws_load_balancer_controller_iam_role_arn');
  });

  it('fails when an IAM role is given to an add-on that does not use one', () => {
    assertOne(problemsOf((s) => { staging(s).addons = { ...staging(s).addons, 'metrics-server': { iamRoleArn: 'arn:aws:iam::444455556666:role/x' } }; }),
      'environments/clusters.ts: clusters[1].addons.metrics-server.iamRoleArn: add-on "metrics-server" does not use an IAM role');
  });

  it('fails on a malformed IAM role ARN', () => {
    assertOne(problemsOf((s) => { staging(s).addons = { ...staging(s).addons, karpenter: { iamRoleArn: 'karpenter-role' } }; }),
      'environments/clusters.ts: clusters[1].addons.karpenter.iamRoleArn: "karpenter-role" is not an IAM role ARN');
  });

  it('fails when a hub-only add-on is enabled on a spoke', () => {
    assertOne(problemsOf((s) => { staging(s).addons = { ...staging(s).addons, crossplane: { iamRoleArn: 'arn:aws:iam::444455556666:role/x' } }; }),
      'environments/clusters.ts: clusters[1].addons.crossplane: add-on "crossplane" runs on the hub only; disable it for spoke "spoke-staging"');
  });

  it('fails when an add-on dependency is not enabled on the same cluster', () => {
    assertOne(problemsOf((s) => { hub(s).addons = { ...hub(s).addons, 'opentelemetry-operator': true, 'cert-manager': false, 'aws-load-balancer-controller': false }; }),
      'environments/clusters.ts: clusters[0].addons.opentelemetry-operator: add-on "opentelemetry-operator" needs "cert-manager" on the same cluster; enable cert-manager too');
  });

  it('fails when a spoke has no endpoint or Argo CD role in self-managed mode', () => {
    const lines = problemsOf((s) => { delete staging(s).endpoint; delete staging(s).argocdRoleArn; });
    assertOne(lines, 'environments/clusters.ts: clusters[1].endpoint: a spoke needs its API server endpoint');
    assertOne(lines, 'environments/clusters.ts: clusters[1].argocdRoleArn: a spoke needs the IAM role Argo CD assumes');
  });

  it('fails when the argo-cd add-on is enabled in EKS capability mode', () => {
    assertOne(problemsOf((s) => { s.argocd = { mode: 'eks-capability' }; }),
      'environments/clusters.ts: clusters[0].addons.argo-cd: the EKS Argo CD capability manages Argo CD');
  });

  it('fails when Argo CD would manage itself in another namespace than the one the fleet uses', () => {
    assertOne(problemsOf((s) => { s.argocd = { ...s.argocd, namespace: 'gitops' }; }),
      'environments/clusters.ts: clusters[0].addons.argo-cd: the argo-cd add-on installs into namespace "argocd" but argocd.namespace is "gitops"');
  });

  it('fails on unknown references: account, environment', () => {
    const lines = problemsOf((s) => { staging(s).account = 'tenant9'; staging(s).environment = 'qa'; });
    assertOne(lines, 'environments/clusters.ts: clusters[1].account: unknown account "tenant9"; known: central, tenant1');
    assertOne(lines, 'environments/clusters.ts: clusters[1].environment: unknown environment "qa"; known: control-plane, staging, prod');
  });

  it('fails on malformed AWS facts', () => {
    const lines = problemsOf((s) => {
      s.accounts[0].id = '1234';
      staging(s).region = 'us-weest';
      staging(s).vpcId = 'vpc-xyz';
      staging(s).kubernetesVersion = '1.31.2';
    });
    assertOne(lines, 'environments/fleet.ts: accounts[0].id: "1234" is not a 12-digit AWS account id');
    assertOne(lines, 'environments/clusters.ts: clusters[1].region: "us-weest" is not an AWS region');
    assertOne(lines, 'environments/clusters.ts: clusters[1].vpcId: "vpc-xyz" is not a VPC id');
    assertOne(lines, 'environments/clusters.ts: clusters[1].kubernetesVersion: "1.31.2" is not a Kubernetes minor version');
  });

  it('fails on duplicate environments and accounts', () => {
    const lines = problemsOf((s) => {
      s.environments.push({ ...s.environments[1] });
      s.accounts.push({ ...s.accounts[1], name: 'tenant2' });
    });
    assertOne(lines, 'environments/environments.ts: environments[3].name: environment "staging" is defined twice');
    assertOne(lines, 'environments/fleet.ts: accounts[2].id: account id 444455556666 is already used by accounts[1]');
  });

  it('reports every problem together, not only the first', () => {
    const lines = problemsOf((s) => {
      s.clusters[1].name = 'BAD';
      s.clusters[2].region = 'nowhere';
      s.repos.workloads = { ...s.repos.workloads, revision: 'HEAD' };
    });
    assert.equal(lines.length, 3, lines.join('\n'));
  });

  describe('how Argo CD reaches a cluster (EKS auth)', () => {
    /** EKS capability mode: the capability manages Argo CD, so the hub does not run the argo-cd add-on. */
    const capability = (s: Mutable<FleetSpec>) => {
      // The capability signs in through IAM Identity Center: the example's OIDC provider does not apply.
      s.argocd = { ...s.argocd, mode: 'eks-capability', sso: { identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', region: 'us-west-2' } } };
      // The capability reads repositories through its own connections, not through repository credentials.
      delete (s.repos as { credentials?: unknown }).credentials;
      hub(s).addons = Object.fromEntries(Object.entries(hub(s).addons ?? {}).filter(([a]) => a !== 'argo-cd'));
    };

    it('requires a CA on self-managed spokes only: not on the hub, not with the EKS capability (server is the cluster ARN)', () => {
      assertOne(problemsOf((s) => { delete staging(s).caData; }), 'environments/clusters.ts: clusters[1].caData: a spoke needs its cluster CA');
      assert.deepEqual(problemsOf((s) => { capability(s); for (const c of s.clusters) delete c.caData; }), []);
      assert.equal(hub(fleetCopy()).caData, undefined);
    });

    it('accepts base64 of a PEM certificate and nothing else', () => {
      assert.ok(isBase64PemCertificate(TEST_CA));
      assert.ok(!isBase64PemCertificate(NOT_A_CERTIFICATE));
      assert.ok(!isBase64PemCertificate(Buffer.from('-----BEGIN CERTIFICATE-----').toString('base64')));
      assert.ok(!isBase64PemCertificate(TEST_CA.slice(0, -1)), 'truncated base64');
      assertOne(problemsOf((s) => { staging(s).caData = Buffer.from('hello').toString('base64'); }),
        'environments/clusters.ts: clusters[1].caData: does not decode to a PEM certificate');
    });

    it('normalises server URLs as Argo CD looks them up: trailing / trimmed; host case ignored, path kept', () => {
      assert.equal(serverKey('https://ABC.gr7.us-west-2.eks.amazonaws.com/'), 'https://abc.gr7.us-west-2.eks.amazonaws.com');
      assert.equal(serverKey('HTTPS://abc.example.com//'), 'https://abc.example.com');
      assert.equal(serverKey('https://abc.example.com/Path/'), 'https://abc.example.com/Path');
      assert.equal(serverKey('arn:aws:eks:us-west-2:111122223333:cluster/hub'), 'arn:aws:eks:us-west-2:111122223333:cluster/hub');
    });

    it('refuses two spokes on one API server, naming the later one', () => {
      const lines = problemsOf((s) => { s.clusters[2].endpoint = `${staging(s).endpoint}/`; });
      assert.equal(lines.length, 1, lines.join('\n'));
      assertOne(lines, 'environments/clusters.ts: clusters[2].endpoint: "https://0A1B2C3D4E5F60718293A4B5C6D7E8F9.gr7.us-west-2.eks.amazonaws.com/" is the API server of clusters[1]');
    });

    it('refuses two clusters on one cluster ARN with the EKS capability', () => {
      const lines = problemsOf((s) => { capability(s); s.clusters[2].awsClusterName = 'spoke-staging'; });
      assert.deepEqual(lines, ['environments/clusters.ts: clusters[2].awsClusterName: "arn:aws:eks:us-west-2:444455556666:cluster/spoke-staging" is the API server of clusters[1] ("arn:aws:eks:us-west-2:444455556666:cluster/spoke-staging"): Argo CD keys clusters by server URL (a trailing \'/\' and the host\'s case do not make another server); one cluster per API server']);
    });

    it('keeps in-cluster for the hub: a hub may be named in-cluster, a spoke may not', () => {
      assert.deepEqual(problemsOf((s) => { hub(s).name = 'in-cluster'; }), []);
      assert.deepEqual(problemsOf((s) => { capability(s); hub(s).name = 'in-cluster'; }), []);
      assertOne(problemsOf((s) => { staging(s).name = 'in-cluster'; }), 'environments/clusters.ts: clusters[1].name: "in-cluster" is Argo CD\'s name for its local cluster');
    });

    it('refuses role ARNs outside the fleet\'s accounts, in every mode', () => {
      assert.equal(roleArnAccount('arn:aws:iam::444455556666:role/x'), '444455556666');
      assert.equal(roleArnAccount('arn:aws-us-gov:iam::444455556666:role/a/b'), '444455556666');
      assert.equal(roleArnAccount('not-an-arn'), undefined);
      const lines = problemsOf((s) => {
        capability(s);
        staging(s).argocdRoleArn = 'arn:aws:iam::999988887777:role/argocd';
        hub(s).addons = { ...hub(s).addons, crossplane: { iamRoleArn: 'arn:aws:iam::999988887777:role/hub-crossplane' } };
      });
      assertOne(lines, 'environments/clusters.ts: clusters[0].addons.crossplane.iamRoleArn: "arn:aws:iam::999988887777:role/hub-crossplane" is in account 999988887777, which is not one of the fleet\'s accounts (111122223333, 444455556666)');
      assertOne(lines, 'environments/clusters.ts: clusters[1].argocdRoleArn: "arn:aws:iam::999988887777:role/argocd" is in account 999988887777');
      assert.equal(lines.length, 2, lines.join('\n'));
    });
  });

  describe('the catalog', () => {
    const withEntry = (entry: Partial<AddonDefinition>, name = 'cert-manager') =>
      ADDON_CATALOG.map((a) => (a.name === name ? { ...a, ...entry } : a));

    it('fails on a dependency cycle, naming the cycle', () => {
      const catalog = withEntry({ dependsOn: ['opentelemetry-operator'] });
      const lines = validateFleet(exampleFleet, catalog).map(formatProblem);
      assertOne(lines, 'charts/addons/catalog.ts: ADDON_CATALOG[');
      assert.ok(lines.some((l) => l.includes('dependency cycle between add-ons: cert-manager -> opentelemetry-operator -> cert-manager')), lines.join('\n'));
    });

    it('fails on a dependency on an unknown add-on', () => {
      const i = ADDON_CATALOG.findIndex((a) => a.name === 'cert-manager');
      const lines = validateFleet(exampleFleet, withEntry({ dependsOn: ['istio'] })).map(formatProblem);
      assertOne(lines, `charts/addons/catalog.ts: ADDON_CATALOG[${i}].dependsOn[0]: "cert-manager" depends on unknown add-on "istio"`);
    });

    it('fails on an OCI chart given with a scheme, and on a version range', () => {
      const lines = validateFleet(exampleFleet, withEntry({ repoUrl: 'oci://public.ecr.aws/karpenter', version: '1.x' }, 'karpenter')).map(formatProblem);
      assert.ok(lines.some((l) => l.includes('"oci://public.ecr.aws/karpenter" is not an OCI registry path without scheme')), lines.join('\n'));
      assert.ok(lines.some((l) => l.includes('"1.x" is not an exact chart version')), lines.join('\n'));
    });

    it('fails when a template reads an annotation the contract never writes', () => {
      const catalog = withEntry({ serviceAccount: undefined });
      const lines = validateFleet(exampleFleet, catalog).map(formatProblem);
      assert.ok(lines.some((l) => l.includes('the template of "cert-manager" reads annotation cert_manager_service_account, which the contract does not write')), lines.join('\n'));
    });
  });
});
