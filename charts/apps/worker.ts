import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { WorkerProps } from '../model/workload.js';
import { AppPropsError, AppWorkload } from './app-workload.js';

/** A background worker: the shared workload without Service or Ingress, checked by a command. */
export class Worker extends AppWorkload {
  /**
   * Everything a Worker named `name` refuses in its props, each as `field: message`: the image, the
   * shared workload rules and the liveness command. Fleet validation reports these with the app's field
   * path before anything renders; the constructor throws them for library users.
   */
  public static propsProblems(name: string, props: WorkerProps): string[] {
    return [...AppWorkload.workloadProblems(name, props), ...Worker.commandProblems(props)];
  }

  private static commandProblems(props: WorkerProps): string[] {
    const command = props.livenessCommand;
    if (!Array.isArray(command) || command.length === 0 || command.some((c) => typeof c !== 'string' || c === '')) {
      return [`livenessCommand: give the command as a non-empty list of strings, got ${JSON.stringify(command)}`];
    }
    return [];
  }

  public constructor(scope: Construct, id: string, props: WorkerProps) {
    const problems = Worker.commandProblems(props);
    if (problems.length > 0) throw new AppPropsError(`${scope.node.path}/${id}`, problems);
    super(scope, id, props, 'worker', { liveness: kplus.Probe.fromCommand([...props.livenessCommand]) });
  }
}
