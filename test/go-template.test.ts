import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GoTemplate, GoTemplateError, parseGoTemplateOptions, renderGoTemplate } from '../engines/go-template/template.js';
import { formatGoFloat, GoMap, stringMap } from '../engines/go-template/values.js';
import { renderFastTemplate } from '../engines/go-template/fast-template.js';

/** Cluster-generator-shaped parameters: labels and annotations are map[string]string, as in Argo CD. */
const cluster = (): GoMap => ({
  name: 'spoke-prod',
  nameNormalized: 'spoke-prod',
  server: 'https://spoke.example.com',
  metadata: {
    labels: stringMap({ environment: 'prod', 'kubernetes.io/environment': 'prod' }),
    annotations: stringMap({ addons_repo_url: 'https://git.example.com/fleet.git', 'my-custom-annotation': 'HEAD' }),
  },
  values: stringMap({ revision: 'stable' }),
});

const render = (text: string, params: GoMap = cluster(), missingKey: 'error' | 'invalid' | 'zero' = 'error') => renderGoTemplate(text, params, missingKey);

/** The GoTemplateError message of rendering `text`. */
function failure(text: string, params: GoMap = cluster(), missingKey: 'error' | 'invalid' | 'zero' = 'error'): string {
  try {
    render(text, params, missingKey);
  } catch (e) {
    assert.ok(e instanceof GoTemplateError, `expected a GoTemplateError, got ${e}`);
    return e.message;
  }
  assert.fail(`expected ${JSON.stringify(text)} to fail`);
}

describe('Go templates: fields and text', () => {
  it('renders fields, nested fields and $', () => {
    assert.equal(render('{{.name}}-guestbook'), 'spoke-prod-guestbook');
    assert.equal(render('{{ .metadata.labels.environment }}/{{.values.revision}}'), 'prod/stable');
    assert.equal(render('{{ $.server }}'), 'https://spoke.example.com');
  });

  it('keeps text without actions as it is, including lone braces', () => {
    assert.equal(render('plain } text {'), 'plain } text {');
  });

  it('trims whitespace with {{- and -}} and drops comments', () => {
    assert.equal(render('a  \n {{- .name -}} \n  b'), 'aspoke-prodb');
    assert.equal(render('x{{/* a comment */}}y{{- /* trimmed */ -}}  z'), 'xyz');
  });

  // https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/GoTemplate/ ("Migration guide:
  // Cluster Generators": keys that are not identifiers are read with index)
  it('reads label and annotation keys that are not identifiers with index', () => {
    assert.equal(render('{{ index .metadata.labels "kubernetes.io/environment" }}'), 'prod');
    assert.equal(render('{{index .metadata.annotations "my-custom-annotation"}}'), 'HEAD');
  });

  it('index of a missing key gives "" in a map[string]string and no value in a map[string]interface {}', () => {
    assert.equal(render('[{{ index .metadata.labels "nope" }}]'), '[]');
    assert.equal(render('[{{ index . "nope" }}]'), '[<no value>]');
  });

  it('prints float64 parameters as Go does', () => {
    assert.equal(render('{{.a}} {{.b}} {{.c}}', { a: 3, b: 1000000, c: 0.5 }), '3 1e+06 0.5');
    assert.equal(formatGoFloat(123456789), '1.23456789e+08');
    assert.equal(formatGoFloat(100000), '100000');
  });
});

describe('Go templates: missingkey', () => {
  it('fails when a map key is missing under missingkey=error, with Go\'s message and position', () => {
    // The column is the position of the chain's second field, as text/template reports it.
    assert.equal(failure('{{.metadata.annotations.foo}}'), 'template: :1:11: executing "" at <.metadata.annotations.foo>: map has no entry for key "foo"');
    assert.equal(failure('x-{{ .nope }}'), 'template: :1:5: executing "" at <.nope>: map has no entry for key "nope"');
  });

  // https://github.com/aws-samples/eks-blueprints-add-ons/issues/161: Argo CD's own report of this error,
  // `template: :3:44: executing "" at <.metadata.annotations.ingress_nginx_service_type>: ...`
  it('fails when a missing key is read on line 3, at line 3 column 44 as in the Argo CD report', () => {
    const values = 'controller:\n  service:\n    type: {{default "LoadBalancer" .metadata.annotations.ingress_nginx_service_type}}';
    assert.equal(failure(values), 'template: :3:44: executing "" at <.metadata.annotations.ingress_nginx_service_type>: map has no entry for key "ingress_nginx_service_type"');
  });

  // https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/GoTemplate/ ("Fallbacks for
  // unset parameters"): a list element without nameSuffix, read with dig and a default.
  it('dig reads an optional parameter with a default, as documented', () => {
    const t = '{{.cluster}}{{dig "nameSuffix" "" .}}';
    assert.equal(render(t, { cluster: 'engineering-dev', url: 'https://kubernetes.default.svc' }), 'engineering-dev');
    assert.equal(render(t, { cluster: 'engineering-prod', url: 'https://kubernetes.default.svc', nameSuffix: '-my-name-suffix' }), 'engineering-prod-my-name-suffix');
  });

  it('fails when dig walks into a map[string]string (Sprig asserts map[string]interface {})', () => {
    assert.equal(
      failure('{{ dig "metadata" "labels" "x" "d" . }}'),
      'template: :1:3: executing "" at <dig "metadata" "labels" "x" "d" .>: error calling dig: interface conversion: interface {} is map[string]string, not map[string]interface {}',
    );
  });

  it('fails when default is given a missing key: the field is evaluated first', () => {
    assert.match(failure('{{ .nope | default "x" }}'), /map has no entry for key "nope"/);
  });

  // applicationset/generators/cluster_test.go (TestGenerateParamsGoTemplate): without missingkey=error a
  // missing key prints <no value>.
  it('prints <no value> for a missing key under missingkey=invalid, and the zero value under zero', () => {
    assert.equal(render('{{ .thisDoesNotExist }}', cluster(), 'invalid'), '<no value>');
    assert.equal(render('[{{ .metadata.labels.nope }}]', cluster(), 'zero'), '[]');
  });

  it('reads goTemplateOptions like template.Option', () => {
    assert.equal(parseGoTemplateOptions(['missingkey=error']), 'error');
    assert.equal(parseGoTemplateOptions(undefined), 'invalid');
    assert.throws(() => parseGoTemplateOptions(['missingkey=strict']), /unrecognized goTemplateOptions entry "missingkey=strict"/);
  });
});

describe('Go templates: pipelines and functions', () => {
  it('pipes the previous value as the last argument', () => {
    assert.equal(render('{{ .name | upper | quote }}'), '"SPOKE-PROD"');
    assert.equal(render('{{ .name | replace "-" "_" }}'), 'spoke_prod');
    assert.equal(render('{{ replace "-" "_" .name }}'), 'spoke_prod');
    assert.equal(render('{{ (lower "ABC") | trunc 2 }}'), 'ab');
  });

  it('implements default, trunc, printf, toJson, normalize and the comparisons', () => {
    assert.equal(render('{{ default "x" .empty }}|{{ default "x" .name }}', { empty: '', name: 'n' }), 'x|n');
    assert.equal(render('{{ trunc 5 .name }}|{{ trunc -4 .name }}'), 'spoke|prod');
    assert.equal(render('{{ printf "%s-%d-%v" .name 3 .values.revision }}'), 'spoke-prod-3-stable');
    assert.equal(render('{{ toJson .metadata.labels }}'), '{"environment":"prod","kubernetes.io/environment":"prod"}');
    assert.equal(render('{{ normalize "Prod_01/West" }}'), 'prod-01-west');
    assert.equal(render('{{ if eq .metadata.labels.environment "prod" }}p{{ else if eq .name "x" }}x{{ else }}o{{ end }}'), 'p');
    assert.equal(render('{{ if and .name (not .empty) }}yes{{ end }}', { name: 'a', empty: '' }), 'yes');
  });

  it('fails when a function gets a value of the wrong type, as Go reports it', () => {
    assert.equal(failure('{{ trunc 3 .n }}', { n: 1 }), 'template: :1:11: executing "" at <.n>: wrong type for value; expected string; got float64');
    assert.equal(failure('{{ eq .n 3 }}', { n: 1 }), 'template: :1:3: executing "" at <eq .n 3>: error calling eq: incompatible types for comparison');
    assert.equal(failure('{{ lower }}'), 'template: :1:3: executing "" at <lower>: wrong number of args for lower: want 1 got 0');
  });

  it('fails when a field is read on a string', () => {
    assert.equal(failure('{{ .metadata.labels.environment.x }}'), 'template: :1:12: executing "" at <.metadata.labels.environment.x>: can\'t evaluate field x in type string');
  });
});

// The expected values below are real Go 1.19 + Sprig 3.2.3 output (test/go-oracle.test.ts runs these and
// more against Go itself where it is installed).
describe('Go templates: exact Go semantics', () => {
  it('applies a printf verb to each element of a list or map, with sorted keys', () => {
    assert.equal(render('{{ printf "%d" (list 1 2) }} {{ printf "%v" (list 1 "a" nil) }} {{ printf "%q" (list "a" "b") }}'), '[1 2] [1 a <nil>] ["a" "b"]');
    assert.equal(render('{{ printf "%d" .list }}', { list: [1, 'a', null] }), '[%!d(float64=1) %!d(string=a) <nil>]');
    assert.equal(render('{{ printf "%v" .m }} {{ printf "%s" .m }}', { m: { b: 2, a: 1 } }), 'map[a:1 b:2] map[a:%!s(float64=1) b:%!s(float64=2)]');
    assert.equal(render('{{ printf "%d" .values }}'), 'map[%!d(string=revision):%!d(string=stable)]');
  });

  it('formats %q of an integer as a quoted character', () => {
    assert.equal(render('{{ printf "%q %q %q %q %q %q" 65 128512 7 39 92 0 }}'), "'A' '😀' '\\a' '\\'' '\\\\' '\\x00'");
    assert.equal(render('{{ printf "%q %q %q %q" -1 55296 1114112 160 }}'), "'\ufffd' '\ufffd' '\ufffd' '\\u00a0'");
  });

  it('truncates bytes, as Go slices strings, and refuses a cut inside a character', () => {
    assert.equal(render('{{ trunc 2 "é-x" }}|{{ trunc -2 "aé" }}|{{ trunc 4 "😀x" }}'), 'é|é|😀');
    assert.match(failure('{{ trunc 1 "é" }}'), /^template: :1:3: executing "" at <trunc 1 "é">: not supported by the offline engine: trunc 1 of "é" cuts a multi-byte character/);
  });

  it('replaces an empty string at every character boundary', () => {
    assert.equal(render('{{ replace "" "X" "abc" }}|{{ replace "" "-" "é😀" }}|{{ replace "" "X" "" }}'), 'XaXbXcX|-é-😀-|X');
  });

  it('maps case one character at a time with Go\'s simple mappings', () => {
    assert.equal(render('{{ upper "ßtraße" }} {{ lower "İSTANBUL" }} {{ upper "ﬁx ŉ ǰ ᾀ ᾳ ᾈ" }} {{ lower "ΟΔΟΣ" }}'), 'ßTRAßE istanbul ﬁX ŉ ǰ ᾈ ᾼ ᾈ οδοσ');
    assert.equal(render('{{ normalize "İstanbul😀-Ünïcode." }}'), 'istanbul---n-code');
  });

  it('trims Go\'s white space (U+0085, not U+FEFF)', () => {
    assert.equal(render('[{{ trim .a }}] [{{ trim .b }}]', { a: '\u0085 a \ufeff', b: '\u3000\u00a0x\t\n' }), '[a \ufeff] [x]');
  });

  it('quotes as strconv.Quote does, escaping characters that are not printable', () => {
    assert.equal(
      render('{{ quote .s }}', { s: 'a\u0007\b\f\n\r\t\v\u0001\u007f"\\é\u00a0\u200b\u0085😀\u{e0001}\ufffd\u00ad\u3000 z' }),
      '"a\\a\\b\\f\\n\\r\\t\\v\\x01\\x7f\\"\\\\é\\u00a0\\u200b\\u0085😀\\U000e0001\ufffd\\u00ad\\u3000 z"',
    );
  });

  it('refuses characters on which Go versions disagree, and toJson of \\b or \\f', () => {
    for (const t of ['{{ quote "\u{1FAE0}" }}', '{{ upper "\u2c5f" }}', '{{ toJson "a\\bb" }}', '{{ printf "%x" 1 }}']) {
      try {
        render(t);
        assert.fail(`${t} rendered`);
      } catch (e) {
        assert.ok(e instanceof GoTemplateError && e.unsupported, String(e));
        assert.match(e.message, /not supported by the offline engine: /);
      }
    }
  });
});

describe('Go templates: what the engine refuses', () => {
  it('fails when the template uses {{range}}, naming it as unsupported rather than rendering something else', () => {
    try {
      render('{{ range .list }}x{{ end }}', { list: ['a'] });
      assert.fail('range rendered');
    } catch (e) {
      assert.ok(e instanceof GoTemplateError && e.unsupported);
      assert.equal(e.message, "template: :1: {{range}} is not supported by the plan's template engine (it implements {{if}}, {{else}}, {{end}}, fields, pipelines and functions)");
    }
  });

  it('fails when a function is not implemented, listing the ones that are', () => {
    assert.match(failure('{{ sha256sum .name }}'), /^template: :1: function "sha256sum" is not supported by the plan's template engine \(it implements and, contains, default, dig,/);
  });

  it('fails when an action is not closed or a character is invalid, as Go does', () => {
    assert.equal(failure('{{ .name '), 'template: :1: unclosed action');
    assert.equal(failure('{{ .a-b }}'), "template: :1: bad character U+002D '-'");
    assert.equal(failure('{{ end }}'), 'template: :1: unexpected {{end}}');
  });

  it('parses a text once and caches it', () => {
    assert.equal(GoTemplate.parse('{{.name}}-x'), GoTemplate.parse('{{.name}}-x'));
  });
});

// https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators-List/ (fasttemplate,
// without goTemplate): '{{cluster}}-guestbook' with cluster engineering-dev.
describe('fasttemplate (goTemplate: false)', () => {
  it('replaces known string parameters and leaves unknown tags as they are', () => {
    assert.equal(renderFastTemplate('{{cluster}}-guestbook', { cluster: 'engineering-dev' }), 'engineering-dev-guestbook');
    assert.equal(renderFastTemplate('{{ this-does-not-exist }}', {}), '{{ this-does-not-exist }}');
  });

  it('fails when a tag is not closed', () => {
    assert.throws(() => renderFastTemplate('{{a}} {{b', { a: 'x' }), /cannot find end tag="}}"/);
  });
});
