/**
 * Real Go `text/template` + Sprig, set up as Argo CD's ApplicationSet controller does, as an oracle for
 * the offline engine in `engines/go-template/`. It needs Debian's `golang-go` and
 * `golang-github-masterminds-sprig-dev` (`.ci/run` installs them when it runs as root); without them
 * {@link goOracle} gives undefined and {@link goOracleSkipReason} says why.
 *
 * The Go program (`test/go-oracle/main.go`) is built once per process, in GOPATH mode against
 * `/usr/share/gocode` (no network), into a temporary folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One template run: `data` is JSON (numbers are float64 in Go, as Argo CD's parameters are). */
export interface OracleCase {
  readonly template: string;
  readonly data?: unknown;
  /** `template.Option` strings, e.g. `['missingkey=error']`. */
  readonly options?: readonly string[];
  /** Paths (lists of keys) in `data` whose maps become `map[string]string`, as cluster labels are in Argo CD. */
  readonly stringMaps?: ReadonlyArray<readonly string[]>;
}

/** What Go gave: the output, or the error message; `invalidUtf8` when the output is not valid UTF-8. */
export type OracleResult = { readonly output: string; readonly invalidUtf8?: boolean } | { readonly error: string };

const GOPATH = '/usr/share/gocode';
const SPRIG = join(GOPATH, 'src/github.com/Masterminds/sprig');
const SOURCE = join(dirname(fileURLToPath(import.meta.url)), '..', 'go-oracle', 'main.go');
/** Why the oracle tests skip when Go or Sprig is absent. */
export const NOT_INSTALLED = 'Go or Sprig not installed (apt-get install golang-go golang-github-masterminds-sprig-dev)';

let built: { binary: string } | { reason: string } | undefined;

function build(): { binary: string } | { reason: string } {
  const version = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return { reason: `${NOT_INSTALLED}: no go command` };
  if (!existsSync(SPRIG)) return { reason: `${NOT_INSTALLED}: no ${SPRIG}` };
  const dir = mkdtempSync(join(tmpdir(), 'go-oracle-'));
  const cache = join(tmpdir(), 'cdk8s-fleet-go-oracle-cache');
  mkdirSync(cache, { recursive: true });
  const binary = join(dir, 'go-oracle');
  const env: NodeJS.ProcessEnv = { ...process.env, GO111MODULE: 'off', GOPATH, GOFLAGS: '', GOCACHE: cache, CGO_ENABLED: '0' };
  const r = spawnSync('go', ['build', '-o', binary, SOURCE], { encoding: 'utf8', env, timeout: 300_000 });
  if (r.error || r.status !== 0) return { reason: `the Go oracle does not build: ${r.error?.message ?? r.stderr}` };
  return { binary };
}

function state(): { binary: string } | { reason: string } {
  built ??= build();
  return built;
}

/** Why the oracle is not available, or undefined when it is. */
export function goOracleSkipReason(): string | undefined {
  const s = state();
  return 'reason' in s ? s.reason : undefined;
}

/** Runs cases through real Go + Sprig (one process for all of them), or undefined when Go or Sprig is absent. */
export function goOracle(): ((cases: readonly OracleCase[]) => OracleResult[]) | undefined {
  const s = state();
  if ('reason' in s) return undefined;
  return (cases) => {
    const r = spawnSync(s.binary, [], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120_000 });
    if (r.error || r.status !== 0) throw new Error(`the Go oracle failed: ${r.error?.message ?? r.stderr}`);
    const results = JSON.parse(r.stdout) as OracleResult[];
    if (results.length !== cases.length) throw new Error(`the Go oracle answered ${results.length} results for ${cases.length} cases`);
    return results;
  };
}
