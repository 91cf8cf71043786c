import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Size } from 'cdk8s';
import { WebService } from '../charts/apps/web-service.js';
import type { WebServiceProps } from '../charts/model/workload.js';
import { Worker } from '../charts/apps/worker.js';
import { imageReference } from '../charts/apps/container-image.js';

const IMAGE = { repository: 'public.ecr.aws/acme/shop', tag: 'v1.2.3' };

function synth(build: (chart: Chart) => void): any[] {
  const chart = new Chart(new App(), 'test', { disableResourceNameHashes: true });
  build(chart);
  return chart.toJson();
}
const web = (props: Partial<WebServiceProps> = {}) => synth((c) => new WebService(c, 'shop', { image: IMAGE, ...props }));
const find = (objs: any[], kind: string) => objs.find((o) => o.kind === kind);

describe('WebService', () => {
  it('renders ServiceAccount, Deployment, Service and PodDisruptionBudget named after the app', () => {
    assert.deepEqual(web().map((o) => `${o.kind}/${o.metadata.name}`).sort(), [
      'Deployment/shop', 'PodDisruptionBudget/shop', 'Service/shop', 'ServiceAccount/shop',
    ]);
  });

  it('meets Pod Security "restricted" by default', () => {
    const pod = find(web(), 'Deployment').spec.template.spec;
    const sc = pod.containers[0].securityContext;
    assert.equal(sc.runAsNonRoot, true);
    assert.equal(sc.allowPrivilegeEscalation, false);
    assert.deepEqual(sc.capabilities, { drop: ['ALL'] });
    assert.deepEqual(sc.seccompProfile, { type: 'RuntimeDefault' });
    assert.equal(sc.readOnlyRootFilesystem, true);
    assert.equal(sc.privileged, false);
    assert.deepEqual(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' });
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.equal(pod.automountServiceAccountToken, false);
    assert.deepEqual(pod.volumes, [{ emptyDir: {}, name: 'tmp' }], 'writable /tmp beside the read-only root');
  });

  it('read-only root filesystem has an opt-out', () => {
    const c = find(web({ readOnlyRootFilesystem: false }), 'Deployment').spec.template.spec.containers[0];
    assert.equal(c.securityContext.readOnlyRootFilesystem, false);
    assert.equal(c.volumeMounts, undefined);
  });

  it('sets requests, limits and probes by default', () => {
    const c = find(web(), 'Deployment').spec.template.spec.containers[0];
    assert.deepEqual(c.resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
    assert.equal(c.readinessProbe.httpGet.path, '/healthz');
    assert.equal(c.livenessProbe.httpGet.port, 8080);
    assert.equal(c.image, 'public.ecr.aws/acme/shop:v1.2.3');
    assert.equal(c.imagePullPolicy, 'IfNotPresent');
  });

  it('takes resources in cdk8s-plus vocabulary', () => {
    const resources = { cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(1) }, memory: { request: Size.mebibytes(256), limit: Size.gibibytes(1) } };
    const c = find(web({ resources }), 'Deployment').spec.template.spec.containers[0];
    assert.deepEqual(c.resources, { limits: { cpu: '1', memory: '1024Mi' }, requests: { cpu: '250m', memory: '256Mi' } });
  });

  it('selects pods by app name only, with no construct-path label', () => {
    const objs = web();
    const d = find(objs, 'Deployment');
    assert.deepEqual(d.spec.selector.matchLabels, { 'app.kubernetes.io/name': 'shop' });
    assert.equal(d.spec.template.metadata.labels['cdk8s.io/metadata.addr'], undefined);
    assert.deepEqual(find(objs, 'Service').spec.selector, { 'app.kubernetes.io/name': 'shop' });
    assert.deepEqual(find(objs, 'PodDisruptionBudget').spec.selector.matchLabels, { 'app.kubernetes.io/name': 'shop' });
  });

  it('defaults to 2 replicas; with autoscaling renders an HPA and no replica count', () => {
    assert.equal(find(web(), 'Deployment').spec.replicas, 2);
    const objs = web({ autoscaling: { minReplicas: 3, maxReplicas: 9 } });
    assert.equal(find(objs, 'Deployment').spec.replicas, undefined);
    const hpa = find(objs, 'HorizontalPodAutoscaler');
    assert.deepEqual([hpa.spec.minReplicas, hpa.spec.maxReplicas, hpa.spec.metrics[0].resource.target.averageUtilization], [3, 9, 70]);
    assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop' });
  });

  it('renders config as a ConfigMap read with envFrom, and rolls pods when it changes', () => {
    const a = web({ config: { MODE: 'a' } });
    const b = web({ config: { MODE: 'b' } });
    assert.deepEqual(find(a, 'ConfigMap').data, { MODE: 'a' });
    assert.deepEqual(find(a, 'Deployment').spec.template.spec.containers[0].envFrom, [{ configMapRef: { name: 'shop-config' } }]);
    const hash = (objs: any[]) => find(objs, 'Deployment').spec.template.metadata.annotations['fleet.cdk8s.io/config-hash'];
    assert.notEqual(hash(a), hash(b));
  });

  it('annotates the ServiceAccount with its IAM role (IRSA)', () => {
    const sa = find(web({ serviceAccount: { iamRoleArn: 'arn:aws:iam::444455556666:role/shop' } }), 'ServiceAccount');
    assert.equal(sa.metadata.annotations['eks.amazonaws.com/role-arn'], 'arn:aws:iam::444455556666:role/shop');
    assert.equal(sa.automountServiceAccountToken, false);
  });

  it('exposes an ALB Ingress with AWS Load Balancer Controller annotations', () => {
    const ing = find(web({ ingress: { host: 'shop.example.com', certificateArn: 'arn:aws:acm:us-west-2:444455556666:certificate/abc', groupName: 'public' } }), 'Ingress');
    assert.equal(ing.spec.ingressClassName, 'alb');
    assert.equal(ing.metadata.annotations['alb.ingress.kubernetes.io/target-type'], 'ip');
    assert.equal(ing.metadata.annotations['alb.ingress.kubernetes.io/scheme'], 'internal');
    assert.equal(ing.metadata.annotations['alb.ingress.kubernetes.io/listen-ports'], '[{"HTTPS":443}]');
    assert.equal(ing.metadata.annotations['alb.ingress.kubernetes.io/group.name'], 'public');
    assert.deepEqual(ing.spec.rules[0].http.paths[0].backend.service, { name: 'shop', port: { number: 80 } });
  });

  it('fails when the image is not pinned, naming the construct path and field', () => {
    assert.throws(() => web({ image: { repository: 'public.ecr.aws/acme/shop', tag: 'latest' } }), /test\/shop: image\.tag: "latest" is not a pin/);
    assert.throws(() => web({ image: { repository: 'public.ecr.aws/acme/shop' } }), /test\/shop: image\.tag: the image has no tag or digest/);
    assert.throws(() => web({ image: { repository: 'public.ecr.aws/acme/shop:v1' } }), /image\.repository: "public\.ecr\.aws\/acme\/shop:v1" is not an image repository/);
    assert.throws(() => web({ image: { repository: 'r', digest: 'sha256:abc' } }), /image\.digest: "sha256:abc" is not a digest/);
  });

  it('fails on replicas together with autoscaling, a root user, a privileged port', () => {
    assert.throws(() => web({ replicas: 2, autoscaling: { minReplicas: 1, maxReplicas: 2 } }), /replicas: give either replicas or autoscaling/);
    assert.throws(() => web({ runAsUser: 0 }), /runAsUser: must be a non-root user id/);
    assert.throws(() => web({ port: 80 }), /port: 80 must be 1024\.\.65535/);
  });

  it('fails on a tag that is not a string and an unknown ALB scheme', () => {
    assert.throws(() => web({ image: { repository: 'r/x', tag: 42 as any } }), /image\.tag: must be a string, got 42/);
    assert.throws(() => web({ ingress: { host: 'shop.example.com', scheme: 'public' as any } }), /ingress\.scheme: "public" is not an ALB scheme/);
  });

  it('pins by digest too', () => {
    assert.equal(imageReference({ repository: 'r/x', tag: 'v1', digest: `sha256:${'a'.repeat(64)}` }), `r/x:v1@sha256:${'a'.repeat(64)}`);
  });
});

describe('Worker', () => {
  it('fails when the liveness command is not a list of strings', () => {
    assert.throws(() => synth((c) => new Worker(c, 'jobs', { image: IMAGE, livenessCommand: [] })), /test\/jobs: livenessCommand: give the command as a non-empty list of strings/);
    assert.throws(() => synth((c) => new Worker(c, 'jobs', { image: IMAGE, livenessCommand: [1 as any] })), /livenessCommand/);
  });

  it('has no Service or Ingress and a command liveness probe', () => {
    const objs = synth((c) => new Worker(c, 'jobs', { image: IMAGE, livenessCommand: ['/bin/check'] }));
    assert.deepEqual(objs.map((o) => o.kind).sort(), ['Deployment', 'PodDisruptionBudget', 'ServiceAccount']);
    const c = find(objs, 'Deployment').spec.template.spec.containers[0];
    assert.deepEqual(c.livenessProbe.exec.command, ['/bin/check']);
    assert.equal(c.ports, undefined);
    assert.equal(find(objs, 'Deployment').metadata.labels['app.kubernetes.io/component'], 'worker');
  });
});
