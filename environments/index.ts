import { readIacOutputs, type FleetSource } from '../charts/index.js';
import { clusters } from './clusters.js';
import { environments } from './environments.js';
import { accounts, argocd, name, repos } from './fleet.js';
import { teams } from './teams.js';

/** The example fleet: what `npm run synth` renders. Each part names its file for error messages. */
export const exampleFleet: FleetSource = {
  spec: { name, argocd, repos, accounts, environments, clusters, teams },
  files: {
    default: 'environments/fleet.ts',
    environments: 'environments/environments.ts',
    clusters: 'environments/clusters.ts',
    teams: 'environments/teams.ts',
  },
  // What the IaC wrote for each cluster: the facts (region, account, VPC, API server, CA, IAM roles).
  iac: readIacOutputs('environments/clusters'),
};
