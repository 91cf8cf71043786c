import type { AddonDefinition } from '../../model/addon.js';

export const opentelemetryOperator: AddonDefinition = {
  name: 'opentelemetry-operator',
  description: 'Manages OpenTelemetry collectors and auto-instrumentation.',
  chart: 'opentelemetry-operator',
  repoUrl: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
  version: '0.122.0',
  pins: [
    {
      version: '0.122.0',
      appVersion: '0.158.0',
      // The operator's compatibility matrix: v0.158.0, Kubernetes v1.25 to v1.36 (the chart has no kubeVersion).
      kubernetes: { min: '1.25', max: '1.36' },
      checkedAgainst: 'open-telemetry/opentelemetry-helm-charts@opentelemetry-operator-0.122.0:charts/opentelemetry-operator/Chart.yaml; open-telemetry/opentelemetry-operator@v0.158.0:docs/getting-started/compatibility.md',
    },
  ],
  homepage: 'https://github.com/open-telemetry/opentelemetry-operator',
  namespace: 'opentelemetry-operator-system',
  onDisable: 'orphan',
  // Its CRDs are chart templates (crds.create) and the OpenTelemetryCollector one is 422 kB: over client-side apply's limit.
  serverSideApply: true,
  webhooks: true,
  // The webhook certificate comes from cert-manager (admissionWebhooks.certManager.enabled, the chart's default).
  dependsOn: ['cert-manager'],
  // The collector image the operator deploys (templates/deployment.yaml: --collector-image=<repository>:<tag>). The
  // chart's own default and the one its README installs with; set so the operator never starts without one (NOTES.txt
  // fails the install when it is empty).
  values: { manager: { collectorImage: { repository: 'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s' } } },
};
