import type { AddonDefinition } from '../../model/addon.js';
import { irsaServiceAccount } from '../values/cluster-values.js';

export const awsEfsCsiDriver: AddonDefinition = {
  name: 'aws-efs-csi-driver',
  description: 'EFS CSI driver for shared ReadWriteMany volumes.',
  chart: 'aws-efs-csi-driver',
  repoUrl: 'https://kubernetes-sigs.github.io/aws-efs-csi-driver',
  version: '4.4.1',
  pins: [
    {
      version: '4.4.1',
      appVersion: '3.4.1',
      kubernetes: { min: '1.17' },
      checkedAgainst: 'kubernetes-sigs/aws-efs-csi-driver@helm-chart-aws-efs-csi-driver-4.4.1:charts/aws-efs-csi-driver/Chart.yaml',
    },
  ],
  homepage: 'https://github.com/kubernetes-sigs/aws-efs-csi-driver',
  namespace: 'kube-system',
  onDisable: 'orphan',
  serviceAccount: 'efs-csi-controller-sa',
  iamRole: true,
  clusterValues: (t, a) => ({ controller: { serviceAccount: irsaServiceAccount(t, a) } }),
};
