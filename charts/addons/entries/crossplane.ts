import type { AddonDefinition } from '../../model/addon.js';

/**
 * Crossplane 2.3.4 (crossplane/crossplane, cluster/charts/crossplane at v2.3.4) on the hub.
 *
 * Its IAM role (`crossplane_iam_role_arn`) is the AWS providers' role, not the core pod's: the hub's
 * DeploymentRuntimeConfig `aws-irsa` (charts/crossplane/crossplane-packages.ts) puts it on the providers'
 * service accounts (or names them `provider-aws` for the Pod Identity association), and the role's trust
 * names those service accounts only (charts/outputs/iam-crossplane.ts, iac-contract.ts). So no chart value
 * carries it: the core `crossplane` service account (the chart names it after the chart,
 * templates/serviceaccount.yaml) calls no AWS API, and an IRSA annotation there (`serviceAccount.customAnnotations`,
 * the key the chart reads; `serviceAccount.annotations` does not exist) would name a role it may not assume.
 *
 * Its pin has no Kubernetes range: neither the chart (no `kubeVersion`) nor the docs
 * (content/v2.3/get-started/install.md of crossplane/docs: "An actively supported Kubernetes version")
 * state one. The chart's Chart.yaml says 0.0.1 in the repository; the release build packages it with
 * `helm package --version <tag without v> --app-version <same>` (nix/build.nix at v2.3.4).
 */
export const crossplane: AddonDefinition = {
  name: 'crossplane',
  description: 'Control plane for AWS services on the hub (providers come with the Crossplane issue).',
  homepage: 'https://crossplane.io/',
  chart: 'crossplane',
  repoUrl: 'https://charts.crossplane.io/stable',
  version: '2.3.4',
  pins: [{ version: '2.3.4', appVersion: '2.3.4', checkedAgainst: 'crossplane/crossplane@v2.3.4:cluster/charts/crossplane/Chart.yaml' }],
  namespace: 'crossplane-system',
  onDisable: 'orphan',
  serviceAccount: 'crossplane',
  iamRole: true,
  placement: 'hub',
  serverSideApply: true,
};
