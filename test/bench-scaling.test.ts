/** The bench's scaling exponents: a log-log least-squares power-law fit. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exponentTable, fitPowerLaw } from '../bench/scaling.js';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} is not ${b}`);

describe('fitPowerLaw', () => {
  it('recovers an exact power law: exponent, coefficient, r2 = 1', () => {
    for (const [c, k] of [[3, 1], [0.5, 2], [7, 0.5], [2, 0], [1e-3, 1.37]]) {
      const pts = [10, 100, 1000, 4000].map((x) => ({ x, y: c * x ** k }));
      const f = fitPowerLaw(pts);
      close(f.exponent, k);
      close(f.coefficient, c, 1e-9 * c);
      close(f.r2, 1);
      assert.equal(f.points, 4);
    }
  });

  it('two points: the slope between them', () => {
    const f = fitPowerLaw([{ x: 100, y: 0.71 }, { x: 1000, y: 3.71 }]);
    close(f.exponent, Math.log10(3.71 / 0.71));
    close(f.r2, 1);
  });

  it('is the least-squares slope on the log-log scale, not on the linear one', () => {
    // log10 x = 0, 1, 2; log10 y = 0, 2, 2: slope 1, intercept 1/3, residuals -1/3, 2/3, -1/3: r2 = 1 - (2/3) / (8/3).
    const f = fitPowerLaw([{ x: 1, y: 1 }, { x: 10, y: 100 }, { x: 100, y: 100 }]);
    close(f.exponent, 1);
    close(f.coefficient, 10 ** (1 / 3), 1e-9);
    close(f.r2, 0.75);
  });

  it('does not depend on the order of the points or the unit of x and y', () => {
    const pts = [{ x: 227, y: 0.38 }, { x: 1829, y: 0.71 }, { x: 16974, y: 3.71 }];
    const a = fitPowerLaw(pts);
    const b = fitPowerLaw([...pts].reverse().map((p) => ({ x: p.x * 1000, y: p.y / 1000 })));
    close(a.exponent, b.exponent);
    close(a.r2, b.r2);
  });

  it('a constant figure has exponent 0', () => {
    const f = fitPowerLaw([{ x: 1, y: 5 }, { x: 10, y: 5 }, { x: 100, y: 5 }]);
    close(f.exponent, 0);
    close(f.coefficient, 5);
    close(f.r2, 1);
  });

  it('refuses what says nothing about scaling', () => {
    assert.throws(() => fitPowerLaw([]), /at least 2 points/);
    assert.throws(() => fitPowerLaw([{ x: 10, y: 1 }]), /at least 2 points/);
    assert.throws(() => fitPowerLaw([{ x: 10, y: 1 }, { x: 10, y: 2 }]), /2 distinct sizes/);
    assert.throws(() => fitPowerLaw([{ x: 0, y: 1 }, { x: 10, y: 2 }]), /positive/);
    assert.throws(() => fitPowerLaw([{ x: 1, y: -1 }, { x: 10, y: 2 }]), /positive/);
    assert.throws(() => fitPowerLaw([{ x: 1, y: NaN }, { x: 10, y: 2 }]), /positive/);
    assert.throws(() => fitPowerLaw([{ x: 1, y: 1 }, { x: Infinity, y: 2 }]), /positive/);
  });
});

describe('exponentTable', () => {
  it('one row per figure, one column per size measure, n/a where fewer than two sizes were measured', () => {
    const table = exponentTable(
      [{ name: 'objects', values: [100, 1000, 10000] }, { name: 'apps', values: [10, 100, 1000] }],
      [
        { metric: 'time (s)', values: [1, 10, 100] },
        { metric: 'bytes', values: [1e3, 1e5, 1e7] },
        { metric: 'diff (s)', values: [undefined, 2, undefined] },
      ],
    );
    assert.equal(
      table,
      [
        '| figure | exponent vs objects (R²) | exponent vs apps (R²) |',
        '| --- | --- | --- |',
        '| time (s) | 1.00 (1.000) | 1.00 (1.000) |',
        '| bytes | 2.00 (1.000) | 2.00 (1.000) |',
        '| diff (s) | n/a | n/a |',
      ].join('\n'),
    );
  });
});
