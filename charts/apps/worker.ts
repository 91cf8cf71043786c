import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AppPropsError, AppWorkload, AppWorkloadProps } from './app-workload.js';

export interface WorkerProps extends AppWorkloadProps {
  /**
   * Liveness check: a command that exits 0 while the worker is healthy, for example
   * `['/bin/healthcheck']`. Required: a worker without a probe is never restarted when it hangs.
   */
  readonly livenessCommand: readonly string[];
}

/** A background worker: the shared workload without Service or Ingress, checked by a command. */
export class Worker extends AppWorkload {
  public constructor(scope: Construct, id: string, props: WorkerProps) {
    const command = props.livenessCommand;
    if (!Array.isArray(command) || command.length === 0 || command.some((c) => typeof c !== 'string' || c === '')) {
      throw new AppPropsError(`${scope.node.path}/${id}`, [`livenessCommand: give the command as a non-empty list of strings, got ${JSON.stringify(command)}`]);
    }
    super(scope, id, props, 'worker', { liveness: kplus.Probe.fromCommand([...command]) });
  }
}
