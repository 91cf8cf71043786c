/**
 * The offline Go template engine against real Go `text/template` + Sprig (set up as Argo CD's
 * ApplicationSet controller does): every case must give Go's output, or fail where Go fails (with Go's
 * message unless `anyError` says otherwise), or, for the cases marked `refused`, fail with a clear
 * "not supported" message rather than render something else. Skipped where Go or Sprig is not installed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GoTemplate, GoTemplateError, parseGoTemplateOptions } from '../engines/go-template/template.js';
import { fromJson, GoMap, GoValue, stringMap } from '../engines/go-template/values.js';
import { goOracle, goOracleSkipReason, OracleCase, OracleResult } from './support/go-oracle.js';

interface Case extends OracleCase {
  /** Our engine refuses this on purpose: it must fail with a "not supported" message. */
  readonly refused?: true;
  /** Both fail, but the messages differ (say why in a comment). */
  readonly anyError?: true;
}

const ERR = ['missingkey=error'];

/** Cluster-generator-shaped parameters; labels, annotations and values are map[string]string as in Argo CD. */
const CLUSTER = {
  name: 'spoke-prod',
  nameNormalized: 'spoke-prod',
  server: 'https://spoke.example.com',
  metadata: {
    labels: { environment: 'prod', 'kubernetes.io/environment': 'prod', region: 'eu-west-1' },
    annotations: { addons_repo_url: 'https://git.example.com/fleet.git', 'my-custom-annotation': 'HEAD' },
  },
  values: { revision: 'stable' },
};
const CLUSTER_MAPS = [['metadata', 'labels'], ['metadata', 'annotations'], ['values']];
const c = (template: string, extra: Partial<Case> = {}): Case => ({ template, data: CLUSTER, stringMaps: CLUSTER_MAPS, options: ERR, ...extra });
const d = (template: string, data: unknown, extra: Partial<Case> = {}): Case => ({ template, data, options: ERR, ...extra });

const CASES: readonly Case[] = [
  // Fields, text and trim markers.
  c('{{.name}}-guestbook'),
  c('{{ .metadata.labels.environment }}/{{.values.revision}}'),
  c('{{ $.server }}'),
  c('a  \n {{- .name -}} \n  b'),
  c('x{{/* a comment */}}y{{- /* trimmed */ -}}  z'),
  c('{{ 3 }} {{ 1.5 }} {{ "x" }} {{ true }} {{ 0x1F }} {{ 1e6 }}'),
  d('{{.a}} {{.b}} {{.c}} {{.e}} {{.f}}', { a: 3, b: 1000000, c: 0.5, e: 1e21, f: 0.0001 }),
  // index: non-identifier keys, missing keys in both kinds of map, lists and strings.
  c('{{ index .metadata.labels "kubernetes.io/environment" }}'),
  c('[{{ index .metadata.labels "nope" }}]'),
  c('[{{ index . "nope" }}]'),
  d('{{ index .list 1 }} {{ index .m "k" 0 }}', { list: ['a', 'b'], m: { k: [7] } }),
  d('{{ index .list 5 }}', { list: ['a'] }),
  c('{{ index "abc" 1 }} {{ printf "%q %d %v" (index "abc" 1) (index "abc" 1) (index "é" 0) }} {{ eq (index "abc" 1) 98 }}'),
  // Both fail; Go names the byte type uint8 (the engine says int) and reports the error at the last node
  // evaluated inside the parentheses (<1>), the engine at the parenthesized argument.
  c('{{ lower (index "abc" 1) }}', { anyError: true }),
  // missingkey.
  c('{{.metadata.annotations.foo}}'),
  c('x-{{ .nope }}'),
  c('controller:\n  service:\n    type: {{default "LoadBalancer" .metadata.annotations.ingress_nginx_service_type}}'),
  c('{{ .thisDoesNotExist }}', { options: [] }),
  c('[{{ .metadata.labels.nope }}]', { options: ['missingkey=zero'] }),
  c('[{{ .nope }}]', { options: ['missingkey=zero'] }),
  c('[{{ .nope }}]', { options: ['missingkey=default'] }),
  d('{{ .a.b }}', { a: null }),
  c('{{ .metadata.labels.environment.x }}'),
  // default, empty, dig.
  d('{{ default "x" .empty }}|{{ default "x" .name }}|{{ default "d" .zero }}|{{ default "d" .list }}', { empty: '', name: 'n', zero: 0, list: [] }),
  c('{{ .nope | default "x" }}'),
  c('{{ default "x" .nope }}', { options: [] }),
  d('{{.cluster}}{{dig "nameSuffix" "" .}}', { cluster: 'engineering-dev' }),
  d('{{.cluster}}{{dig "nameSuffix" "" .}}', { cluster: 'engineering-prod', nameSuffix: '-my-name-suffix' }),
  d('{{ dig "a" "b" "none" . }}', { a: { b: 'deep' } }),
  c('{{ dig "metadata" "labels" "x" "d" . }}'),
  d('{{ empty .a }} {{ empty .b }} {{ empty .c }} {{ not .a }}', { a: '', b: [1], c: {} }),
  // Comparisons and logic.
  c('{{ if eq .metadata.labels.environment "prod" }}p{{ else if eq .name "x" }}x{{ else }}o{{ end }}'),
  d('{{ if and .name (not .empty) }}yes{{ end }}', { name: 'a', empty: '' }),
  d('[{{ and .a .b }}] [{{ or .e "fallback" }}] [{{ or .e .f }}]', { a: 'x', b: '', e: '', f: 0 }),
  c('{{ and false .nope }} {{ or true .nope }}'),
  d('{{ eq .n 3 }}', { n: 1 }),
  d('{{ eq .n 3.0 }} {{ ne .name "a" }} {{ eq .name "a" "b" "n" }}', { n: 3, name: 'n' }),
  d('{{ eq .list .list }}', { list: [1] }),
  d('{{ if .list }}nonempty{{ else }}empty{{ end }}', { list: [] }),
  // printf and print.
  c('{{ printf "%s-%d-%v" .name 3 .values.revision }}'),
  d('{{ printf "%d %s %t %q" .n .n .n .n }}', { n: 3 }),
  c('{{ printf "%q" .name }}'),
  c('{{ printf "%q %q %q %q %q %q" 65 128512 7 39 92 0 }}'),
  c('{{ printf "%q %q %q %q" -1 55296 1114112 160 }}'),
  c('{{ printf "%d" (list 1 2) }} {{ printf "%v" (list 1 "a" nil) }} {{ printf "%q" (list "a" "b") }}'),
  d('{{ printf "%d" .list }} {{ printf "%s" .list }}', { list: [1, 'a', null] }),
  d('{{ printf "%v" .m }} {{ printf "%s" .m }} {{ printf "%d" .m }}', { m: { b: 2, a: 1, c: [true, 'x'], é: 'z', Z: { y: null } } }),
  c('{{ printf "%v" .metadata.labels }} {{ printf "%d" .values }}'),
  d('{{ printf "%t" .list }} {{ printf "%q" .m }}', { list: [true, 1], m: { k: 'v"' } }),
  c('{{ printf "%s %s" "a" }} {{ printf "%s" "a" 1 nil }} {{ printf "%" }} {{ printf "100%%" }} {{ printf "%v" nil }} {{ printf "%d" nil }}'),
  c('{{ print 1 2 "a" "b" 3 nil }}'),
  // toJson.
  c('{{ toJson .metadata.labels }}'),
  d('{{ toJson . }}', { b: [1, '<x>&', null, true], a: { c: null }, d: 1.5, e: 1e21, f: 1e-7, g: -0, h: 'é\u2028\t\u0001', 'ÿ': 1, '😀': 2 }),
  // trunc counts bytes.
  c('{{ trunc 5 .name }}|{{ trunc -4 .name }}|{{ trunc 100 .name }}|{{ trunc 0 .name }}|{{ trunc -100 .name }}'),
  c('{{ trunc 2 "é-x" }}|{{ trunc -2 "aé" }}|{{ trunc 4 "😀x" }}'),
  // replace.
  c('{{ .name | replace "-" "_" }}|{{ replace "-" "_" .name }}|{{ replace "ab" "" "aabb" }}'),
  c('{{ replace "" "X" "abc" }}|{{ replace "" "-" "é😀" }}|{{ replace "" "X" "" }}'),
  // lower, upper, trim and friends.
  c('{{ .name | upper | quote }} {{ lower "ABC" | trunc 2 }}'),
  c('{{ upper "ßtraße" }} {{ lower "İSTANBUL" }} {{ upper "ﬁx ŉ ǰ ᾀ ᾳ ᾈ" }} {{ lower "ΟΔΟΣ" }} {{ upper "ǆ ǅ" }} {{ lower "ǅ K" }}'),
  c('{{ upper "straße café ﬀ" }}'),
  d('[{{ trim .a }}] [{{ trim .b }}] [{{ trim .c }}]', { a: '\u0085 a \ufeff', b: '\u3000\u00a0x\t\n', c: '\v\f y \u2029' }),
  c('{{ trimPrefix "spoke-" .name }} {{ trimSuffix "-prod" .name }} {{ trimSuffix "" .name }} {{ trimPrefix "x" .name }}'),
  c('{{ hasPrefix "spoke" .name }} {{ hasSuffix "prod" .name }} {{ contains "e-p" .name }} {{ contains "" .name }} {{ contains "é" "café" }}'),
  // quote.
  d('{{ quote .s }}', { s: 'a\u0007\b\f\n\r\t\v\u0001\u007f"\\é\u00a0\u200b\u0085😀\u{e0001}\ufffd\u00ad\u3000 z' }),
  c('{{ quote "a" nil 1 1.5 true }} {{ squote "a" nil 2 }} {{ quote }}'),
  // normalize (Argo CD's SanitizeName).
  c('{{ normalize "Prod_01/West" }} {{ normalize "İstanbul😀-Ünïcode." }} {{ normalize "..A--" }}'),
  // len.
  d('{{ len "é" }} {{ len .list }} {{ len .m }}', { list: [1, 2], m: { a: 1 } }),
  d('{{ len .n }}', { n: 1 }),
  // Argument checks and parse errors: Go's messages.
  c('{{ trunc 3 .n }}', { data: { n: 1 }, stringMaps: [] }),
  c('{{ lower }}'),
  c('{{ .name '),
  c('{{ .a-b }}'),
  c('{{ end }}'),
  c('{{ if .name }}x'),
  c('{{ (lower "A") }} {{ "x" | printf "%s-%s" "y" }}'),
  // What the engine refuses on purpose.
  d('{{ range .list }}[{{ . }}]{{ end }}', { list: ['a', 'b'] }, { refused: true }),
  d('{{ range $i, $e := .list }}{{ $i }}={{ $e }}{{ end }}', { list: ['a'] }, { refused: true }),
  d('{{ with .a }}{{ range .b }}{{ . }}{{ end }}{{ end }}', { a: { b: [1, 2] } }, { refused: true }),
  c('{{ $x := .name }}{{ $x }}', { refused: true }),
  c('{{ sha256sum .name }}', { refused: true }),
  c('{{ title .name }}', { refused: true }),
  c('{{ substr 0 3 .name }} {{ abbrev 5 .name }}', { refused: true }),
  c('{{ printf "%x" .name }}', { refused: true }),
  c('{{ printf "%5s" .name }}', { refused: true }),
  c('{{ trunc 1 "é" }}', { refused: true }),
  c('{{ trunc -1 "aé" }}', { refused: true }),
  c('{{ trunc 1 "😀" }}', { refused: true }),
  // Characters whose printability or case mapping changed in Unicode 14 and later (Go versions disagree).
  c('{{ quote "\u{1FAE0}" }}', { refused: true }),
  c('{{ printf "%q" 129760 }}', { refused: true }),
  c('{{ upper "\u2c5f" }}', { refused: true }),
  // Go 1.22 changed how encoding/json escapes \b and \f.
  c('{{ toJson "a\\bb" }}', { refused: true }),
];

/** The engine's view of a case's data: JSON values, with the maps at `stringMaps` as map[string]string. */
function engineData(k: Case): GoValue {
  // Through JSON, as the Go side gets it (so -0 is 0 on both sides).
  const data = fromJson(JSON.parse(JSON.stringify(k.data ?? null)));
  for (const path of k.stringMaps ?? []) {
    let parent = data as GoMap;
    for (const key of path.slice(0, -1)) parent = parent[key] as GoMap;
    const last = path[path.length - 1];
    parent[last] = stringMap(parent[last] as Record<string, string>);
  }
  return data;
}

function runEngine(k: Case): { output: string } | { error: GoTemplateError } {
  try {
    return { output: GoTemplate.parse(k.template).execute(engineData(k), parseGoTemplateOptions(k.options)) };
  } catch (e) {
    if (e instanceof GoTemplateError) return { error: e };
    throw e;
  }
}

const skip = goOracleSkipReason();
const oracle = goOracle();
const results: OracleResult[] = oracle ? oracle(CASES) : [];

describe('Go template engine against real Go text/template + Sprig', () => {
  it('has a table of at least 60 cases', { skip: skip ?? false }, () => {
    assert.ok(CASES.length >= 60, `${CASES.length} cases`);
  });

  CASES.forEach((k, i) => {
    const name = `${k.refused ? 'refuses ' : ''}${JSON.stringify(k.template)}${k.options?.length ? ` (${k.options.join(',')})` : ''}`;
    it(name, { skip: skip ?? false }, () => {
      const go = results[i];
      const ours = runEngine(k);
      if (k.refused) {
        assert.ok('error' in ours, `expected the engine to refuse, it rendered ${JSON.stringify('output' in ours && ours.output)} (Go: ${JSON.stringify(go)})`);
        assert.ok(ours.error.unsupported, `expected an "unsupported" error, got: ${ours.error.message}`);
        assert.match(ours.error.message, /not supported by the (offline|plan's template) engine/);
        return;
      }
      if ('error' in go) {
        assert.ok('error' in ours, `Go failed with ${JSON.stringify(go.error)}, the engine rendered ${JSON.stringify('output' in ours && ours.output)}`);
        assert.ok(!ours.error.unsupported, `the engine refused a template Go rejects too: ${ours.error.message}`);
        if (!k.anyError) assert.equal(ours.error.message, go.error);
        return;
      }
      assert.ok(!go.invalidUtf8, `Go produced invalid UTF-8: the case must be marked refused`);
      assert.ok('output' in ours, `Go rendered ${JSON.stringify(go.output)}, the engine failed: ${'error' in ours && ours.error.message}`);
      assert.equal(ours.output, go.output);
    });
  });
});
