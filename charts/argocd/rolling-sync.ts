import { ClusterLabel } from '../model/contract.js';
import { ResolvedFleet } from '../model/resolve.js';

/**
 * ApplicationSet RollingSync through the environments in promotion order: every Application of an
 * environment must be healthy before the next environment syncs.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Progressive-Syncs/
 */
export function rollingSyncStrategy(fleet: ResolvedFleet) {
  return {
    type: 'RollingSync',
    rollingSync: {
      steps: fleet.environments.map((e) => ({
        matchExpressions: [{ key: ClusterLabel.environment, operator: 'In', values: [e.name] }],
      })),
    },
  };
}
