import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * The Kubernetes objects under one scope, synthesized without synthesizing the rest of the App: the
 * scope's constructs are validated (as `App.synth()` would) and each ApiObject resolved once. Many
 * output files can then share one App and Chart while each costs only its own objects, so rendering
 * stays linear in the fleet (`Chart.toJson()` re-resolves and re-validates the whole App every call).
 */
export function synthesizeScope(scope: Construct): any[] {
  const all = scope.node.findAll();
  const errors = all.flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  return all.filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson());
}
