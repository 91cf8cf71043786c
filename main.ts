/**
 * Entry point: `npm run synth` renders the example fleet of environments/ into dist/, `npm run check`
 * verifies dist/ is what the code renders. All logic lives in charts/ (library) and render/ (files).
 */
import { exampleFleet } from './environments/index.js';
import { runCli } from './render/cli.js';

process.exitCode = runCli(process.argv.slice(2), exampleFleet);
