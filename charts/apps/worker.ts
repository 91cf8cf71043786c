import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { WorkerProps } from '../model/workload.js';
import { AppPropsError, AppWorkload } from './app-workload.js';

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
