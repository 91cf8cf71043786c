/**
 * Entry point: `npm run synth` renders the example fleet of environments/ into dist/, `npm run check`
 * verifies dist/ is what the code renders, `npm run validate` checks every object against its schema,
 * `npm run plan` lists every Application Argo CD will run per cluster, `npm run diff -- <ref>` prints what a change does to the rendered fleet, as Markdown for a PR,
 * `npm run promote -- <team>/<app> <from-env> <to-env>` makes a later environment run what an earlier one runs,
 * `npm run catalog` lists the add-ons, their checked versions per Kubernetes minor and where the fleet runs them.
 * All logic lives in charts/ (library) and render/ (files).
 */
import { exampleFleet } from './environments/index.js';
import { runCli } from './render/cli.js';

const [command] = process.argv.slice(2);
if (command === 'validate') {
  // Loaded only here: the schema validators are heavy and synth stays fast without them.
  const { runValidate } = await import('./render/validate/validate-cli.js');
  process.exitCode = runValidate(exampleFleet);
} else if (command === 'plan') {
  const { runPlan } = await import('./render/plan/plan-cli.js');
  process.exitCode = runPlan(process.argv.slice(3), exampleFleet);
} else if (command === 'diff') {
  const { runDiff } = await import('./render/diff/diff-cli.js');
  process.exitCode = runDiff(process.argv.slice(3), exampleFleet);
} else if (command === 'catalog') {
  const { runCatalog } = await import('./render/catalog/catalog-cli.js');
  process.exitCode = runCatalog(process.argv.slice(3), exampleFleet);
} else if (command === 'promote') {
  // Loaded only here: the TypeScript parser it edits the source with is large.
  const { runPromote } = await import('./render/promote/promote-cli.js');
  process.exitCode = runPromote(process.argv.slice(3), exampleFleet);
} else {
  process.exitCode = runCli(process.argv.slice(2), exampleFleet);
}
