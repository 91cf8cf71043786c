import type { AddonDefinition } from '../../model/addon.js';

/** The project's supported-versions table, at each chart's release tag. */
const checked = (tag: string) => `kubernetes/ingress-nginx@${tag}:charts/ingress-nginx/Chart.yaml; kubernetes/ingress-nginx@${tag}:README.md`;

/**
 * ingress-nginx, kept for clusters that already run it: the project retired in March 2026 (README of
 * kubernetes/ingress-nginx: no further releases, bug fixes or security fixes). The last releases are the
 * charts 4.15.1 (controller v1.15.1, Kubernetes 1.31 to 1.35) and 4.14.5 (v1.14.5, 1.30 to 1.34), both of
 * 2026-03-19/20; the supported-versions table of the README gives the ranges.
 */
export const ingressNginx: AddonDefinition = {
  name: 'ingress-nginx',
  description: 'NGINX ingress controller behind an NLB.',
  homepage: 'https://github.com/kubernetes/ingress-nginx',
  deprecated:
    'retired upstream in March 2026: no more releases or security fixes. Use the aws-load-balancer-controller add-on ' +
    '(an ALB per Ingress, or per IngressGroup) or a Gateway API implementation (aws-gateway-api-controller) instead.',
  chart: 'ingress-nginx',
  repoUrl: 'https://kubernetes.github.io/ingress-nginx',
  version: '4.15.1',
  pins: [
    { version: '4.15.1', appVersion: '1.15.1', kubernetes: { min: '1.31', max: '1.35' }, checkedAgainst: checked('helm-chart-4.15.1') },
    { version: '4.14.5', appVersion: '1.14.5', kubernetes: { min: '1.30', max: '1.34' }, checkedAgainst: checked('helm-chart-4.14.5') },
  ],
  namespace: 'ingress-nginx',
  onDisable: 'orphan',
  webhooks: true,
  dependsOn: ['aws-load-balancer-controller'],
  values: {
    controller: {
      service: {
        // Read by templates/controller-service.yaml; the annotations are the AWS Load Balancer Controller's (an NLB, IP targets).
        annotations: {
          'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
          'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
          'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
        },
      },
    },
  },
};
