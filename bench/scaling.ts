/**
 * Scaling exponents of the bench: a power law y = c * x^k fitted to measured points by least squares on
 * log y against log x. k is the exponent (1: linear, 2: quadratic, below 1: a fixed cost such as process
 * start-up still weighs), r2 how well one power law explains the points on the log-log scale.
 */

/** One measured point: x the fleet's size (objects, apps), y the figure (seconds, MB, bytes, files). */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A fitted power law y = coefficient * x^exponent. */
export interface PowerFit {
  /** k in y = c * x^k: the slope of log y against log x. */
  readonly exponent: number;
  /** c in y = c * x^k. */
  readonly coefficient: number;
  /** Coefficient of determination of the log-log fit: 1 when every point lies on the line; 1 for two points. */
  readonly r2: number;
  /** How many points were fitted. */
  readonly points: number;
}

/**
 * Least-squares fit of log y = log c + k log x. Needs at least two points, every x and y positive and
 * finite, and at least two distinct x; throws otherwise (a fit of one size says nothing about scaling).
 */
export function fitPowerLaw(points: readonly Point[]): PowerFit {
  if (points.length < 2) throw new Error(`a scaling fit needs at least 2 points, got ${points.length}`);
  for (const p of points) {
    if (!(p.x > 0 && p.y > 0 && Number.isFinite(p.x) && Number.isFinite(p.y))) {
      throw new Error(`a scaling fit needs positive finite values, got x=${p.x} y=${p.y}`);
    }
  }
  const lx = points.map((p) => Math.log(p.x));
  const ly = points.map((p) => Math.log(p.y));
  const n = points.length;
  const mx = lx.reduce((a, b) => a + b, 0) / n;
  const my = ly.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (lx[i] - mx) ** 2;
    sxy += (lx[i] - mx) * (ly[i] - my);
    syy += (ly[i] - my) ** 2;
  }
  if (new Set(points.map((p) => p.x)).size < 2 || sxx === 0) throw new Error('a scaling fit needs at least 2 distinct sizes');
  const exponent = sxy / sxx;
  const intercept = my - exponent * mx;
  const residual = lx.reduce((r, x, i) => r + (ly[i] - (intercept + exponent * x)) ** 2, 0);
  // Every y equal: the flat line explains the points exactly.
  const r2 = syy === 0 ? 1 : Math.max(0, 1 - residual / syy);
  return { exponent, coefficient: Math.exp(intercept), r2, points: n };
}

/** One figure measured at several sizes, to fit against each size measure. */
export interface Series {
  /** What was measured, with its unit: "first render (s)", "peak RSS (MB)". */
  readonly metric: string;
  /** The figure at each size, in the order of the sizes; undefined where it was not measured. */
  readonly values: readonly (number | undefined)[];
}

/**
 * A Markdown table of exponents: one row per series, one column per size measure (`xs`: name and the
 * value of that measure at each size), each cell `k (r2 …)` or `n/a` where fewer than two sizes have a
 * positive value. Pure: the same input gives the same text.
 */
export function exponentTable(xs: readonly { readonly name: string; readonly values: readonly number[] }[], series: readonly Series[]): string {
  const head = `| figure | ${xs.map((x) => `exponent vs ${x.name} (R²)`).join(' | ')} |`;
  const rule = `| --- | ${xs.map(() => '---').join(' | ')} |`;
  const rows = series.map((s) => {
    const cells = xs.map((x) => {
      const pts = s.values.flatMap((y, i) => (y !== undefined && y > 0 && x.values[i] > 0 ? [{ x: x.values[i], y }] : []));
      try {
        const f = fitPowerLaw(pts);
        return `${f.exponent.toFixed(2)} (${f.r2.toFixed(3)})`;
      } catch {
        return 'n/a';
      }
    });
    return `| ${s.metric} | ${cells.join(' | ')} |`;
  });
  return [head, rule, ...rows].join('\n');
}
