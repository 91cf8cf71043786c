import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';

/** Constructs in a scope failed their own validation (`node.validate()`), as `App.synth()` would report. */
export class ConstructValidationError extends Error {
  public constructor(errors: readonly string[]) {
    super(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    this.name = 'ConstructValidationError';
  }
}

/**
 * A cdk8s App with one Chart to build objects in, scope by scope, without ever synthesizing the App:
 * each scope is synthesized on its own (`synthesizeScope`). The render uses one for every file of
 * `dist/`, the app stage one per app base (its chart id is the app's name, which generated object
 * names start with).
 */
export class ScratchChart {
  private readonly chart: Chart;

  public constructor(id: string) {
    this.chart = new Chart(new App({ outdir: '/nonexistent' }), id, { disableResourceNameHashes: true });
  }

  /** A new, empty scope directly under the chart. */
  public scope(id: string): Construct {
    return new Construct(this.chart, id);
  }
}

/**
 * The Kubernetes objects under one scope, synthesized without synthesizing the rest of the App: the
 * scope's constructs are validated (as `App.synth()` would) and each ApiObject resolved once. Many
 * output files can then share one App and Chart while each costs only its own objects, so rendering
 * stays linear in the fleet (`Chart.toJson()` re-resolves and re-validates the whole App every call).
 */
export function synthesizeScope(scope: Construct): any[] {
  const all = scope.node.findAll();
  const errors = all.flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
  if (errors.length > 0) throw new ConstructValidationError(errors);
  return all.filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson());
}
