import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { isPlainSafe, writeYaml } from '../engines/yaml/writer.js';

describe('writeYaml', () => {
  it('quotes every string a YAML 1.1 or 1.2 reader would take for something else', () => {
    for (const s of ['true', 'no', 'on', 'Y', 'null', '~', '1.31', '0x1f', '1e3', '12:30', '2026-11-28', '', ' x', 'x ', '-x', '{{.name}}', 'a: b', 'a #b', 'x:', '*a', '=', '.inf']) {
      assert.equal(isPlainSafe(s), false, s);
    }
    for (const s of ['nginx', 'arn:aws:iam::1:role/x', 'https://kubernetes.default.svc', 'v1.2.3', 'public.ecr.aws/karpenter', 'app.kubernetes.io/name']) {
      assert.equal(isPlainSafe(s), true, s);
    }
  });

  it('quotes the YAML 1.1 booleans the yaml package (1.2) leaves plain, since kustomize reads 1.1', () => {
    assert.equal(writeYaml({ n: 'y' }), '"n": "y"\n');
  });

  it('writes what the yaml package writes for our kind of data', () => {
    const doc = {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { a: 'true', b: '1.31' } },
      data: { list: [{ k: 'v', nums: [1, 2] }, 'plain', '{{.x}}'], empty: {}, none: [], q: '[{"HTTP":80}]', t: true, nil: null },
    };
    assert.equal(writeYaml(doc), stringify(doc, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false }));
  });

  it('reads back as the same data in YAML 1.2 and 1.1 (property)', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('true', 'yes', '1', 'null', '- a', 'a: b', '#', '{{.x}}'));
    const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('on', 'Off', '0o17', '1:20', '2001-12-14', '  ', '\n', 'a\nb', "it's", '"q"', '-', '@x', '%'));
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tie('list'), tie('map')),
      list: fc.array(tie('value'), { maxLength: 4 }),
      map: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    }));
    fc.assert(
      fc.property(json.map, (doc) => {
        const out = writeYaml(doc);
        const norm = JSON.parse(JSON.stringify(doc));
        assert.deepEqual(parse(out), norm);
        assert.deepEqual(parse(out, { version: '1.1' }), norm);
      }),
      { seed: 20261128, numRuns: 400 },
    );
  });
});
