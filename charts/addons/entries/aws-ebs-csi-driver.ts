import type { AddonDefinition } from '../../model/addon.js';
import { awsClusterValues, irsaServiceAccount } from '../values/cluster-values.js';
import { awsEbsCsiDriverCompanions } from '../companions/aws-ebs-csi-driver.js';

export const awsEbsCsiDriver: AddonDefinition = {
  name: 'aws-ebs-csi-driver',
  description: 'EBS CSI driver: PersistentVolumes on EBS.',
  chart: 'aws-ebs-csi-driver',
  repoUrl: 'https://kubernetes-sigs.github.io/aws-ebs-csi-driver',
  version: '2.64.0',
  pins: [
    {
      version: '2.64.0',
      appVersion: '1.64.0',
      kubernetes: { min: '1.17' },
      checkedAgainst: 'kubernetes-sigs/aws-ebs-csi-driver@helm-chart-aws-ebs-csi-driver-2.64.0:charts/aws-ebs-csi-driver/Chart.yaml',
    },
  ],
  homepage: 'https://github.com/kubernetes-sigs/aws-ebs-csi-driver',
  namespace: 'kube-system',
  onDisable: 'orphan',
  serviceAccount: 'ebs-csi-controller-sa',
  iamRole: true,
  // controller.region becomes the controller's AWS_REGION, so it does not depend on IMDS.
  companions: awsEbsCsiDriverCompanions,
  clusterValues: (t, a) => ({ controller: { region: awsClusterValues(t).region, serviceAccount: irsaServiceAccount(t, a) } }),
};
