import type { AddonDefinition } from '../../model/addon.js';
import { ClusterAnnotation } from '../../model/contract.js';
import { awsClusterValues, irsaServiceAccount } from '../values/cluster-values.js';

const REPO = 'aws/aws-application-networking-k8s';

export const awsGatewayApiController: AddonDefinition = {
  name: 'aws-gateway-api-controller',
  description: 'Amazon VPC Lattice controller for the Kubernetes Gateway API.',
  chart: 'aws-gateway-controller-chart',
  repoUrl: 'public.ecr.aws/aws-application-networking-k8s',
  oci: true,
  version: 'v2.1.3',
  pins: [
    {
      version: 'v2.1.3',
      appVersion: 'v2.1.3',
      // v2.1 is built against Gateway API v1.5, whose CEL rules need Kubernetes 1.31 or higher.
      kubernetes: { min: '1.31' },
      checkedAgainst: `${REPO}@v2.1.3:helm/Chart.yaml; ${REPO}@v2.1.3:docs/guides/upgrading-v2-0-x-to-v2-1-y.md`,
    },
    {
      // The newest release before that requirement (Gateway API v1.2), for 1.30: upstream states no range.
      version: 'v2.0.2',
      appVersion: 'v2.0.2',
      checkedAgainst: `${REPO}@v2.0.2:helm/Chart.yaml`,
    },
  ],
  homepage: 'https://www.gateway-api-controller.eks.aws.dev/',
  namespace: 'aws-application-networking-system',
  onDisable: 'orphan',
  serviceAccount: 'gateway-api-controller',
  iamRole: true,
  // The chart's deployment passes them as REGION, AWS_ACCOUNT_ID, CLUSTER_VPC_ID and CLUSTER_NAME, which
  // the controller otherwise reads from IMDS (docs/guides/environment.md).
  clusterValues: (t, a) => {
    const aws = awsClusterValues(t);
    return {
      serviceAccount: irsaServiceAccount(t, a),
      awsRegion: aws.region,
      awsAccountId: t.annotation(ClusterAnnotation.awsAccountId),
      clusterVpcId: aws.vpcId,
      clusterName: aws.clusterName,
    };
  },
};
