import { containerPatch, type TeamSpec } from '../charts/index.js';

const registry = 'public.ecr.aws/acme-webstore';

/**
 * Teams and their apps. Each app is described once; its environments are kustomize-style overlays.
 * Promotion is a one-line change: prod's `newTag` follows staging's when staging is good.
 */
export const teams: TeamSpec[] = [
  {
    name: 'webstore',
    group: 'webstore-developers',
    environments: ['staging', 'prod'],
    access: { staging: 'edit', prod: 'view' },
    quota: {
      staging: { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi', pods: 40 },
      prod: { requestsCpu: '16', requestsMemory: '32Gi', limitsCpu: '32', limitsMemory: '64Gi', pods: 120 },
    },
    apps: [
      {
        name: 'frontend',
        webService: {
          image: { repository: `${registry}/frontend`, tag: 'v1.0' },
          ingress: { host: 'shop.example.com', scheme: 'internet-facing' },
          config: { BACKEND_URL: 'http://backend' },
        },
        connectsTo: ['backend'],
        environments: {
          staging: { images: [{ name: `${registry}/frontend`, newTag: 'v2.0' }], replicas: [{ name: 'frontend', count: 1 }] },
          prod: {
            images: [{ name: `${registry}/frontend`, newTag: 'v1.0' }],
            replicas: [{ name: 'frontend', count: 3 }],
            // Env vars and resources per environment: a typed strategic-merge patch.
            patches: [
              containerPatch({ kind: 'Deployment', name: 'frontend' }, 'app', {
                env: { CACHE_TTL_SECONDS: '300' },
                resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
              }),
            ],
          },
        },
      },
      {
        name: 'backend',
        webService: {
          image: { repository: `${registry}/backend`, tag: 'v1.0' },
          autoscaling: { minReplicas: 2, maxReplicas: 6 },
          config: { LOG_LEVEL: 'info' },
        },
        internetEgress: true,
        // A PostgreSQL database per environment: small in staging, medium in prod.
        database: { engine: 'postgres', size: { staging: 'small', prod: 'medium' } },
        environments: {
          staging: {
            images: [{ name: `${registry}/backend`, newTag: 'v2.0' }],
            configMapGenerator: [{ name: 'backend-config', behavior: 'merge', literals: { LOG_LEVEL: 'debug' } }],
            patches: [
              {
                patch: {
                  apiVersion: 'v1',
                  kind: 'ServiceAccount',
                  metadata: { name: 'backend', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::444455556666:role/spoke-staging-webstore-backend' } },
                },
              },
            ],
          },
          prod: {
            images: [{ name: `${registry}/backend`, newTag: 'v1.0' }],
            patches: [
              {
                patch: {
                  apiVersion: 'v1',
                  kind: 'ServiceAccount',
                  metadata: { name: 'backend', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::444455556666:role/spoke-prod-webstore-backend' } },
                },
              },
              {
                target: { kind: 'HorizontalPodAutoscaler', name: 'backend' },
                patch: [{ op: 'replace', path: '/spec/maxReplicas', value: 12 }],
              },
            ],
          },
        },
      },
      {
        name: 'ui',
        webService: {
          image: { repository: `${registry}/ui`, tag: 'v0.9.0' },
          ingress: { host: 'ui.staging.example.com', scheme: 'internal' },
          replicas: 1,
        },
        connectsTo: ['backend'],
        // A new app tried in staging first: no prod overlay, so it does not run in prod.
        environments: { staging: {} },
      },
      {
        name: 'mailer',
        worker: {
          image: { repository: `${registry}/mailer`, digest: 'sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270' },
          livenessCommand: ['/app/healthcheck'],
          replicas: 1,
        },
        internetEgress: true,
        environments: { staging: {}, prod: { replicas: [{ name: 'mailer', count: 2 }] } },
      },
    ],
  },
];
