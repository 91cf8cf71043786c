/**
 * How validation rules are written and run. A section of the input (the catalog, the clusters...) is a
 * table of rules per element; each rule returns what it finds as values, and tables run in order, so
 * the problems come out in the order of the table, element by element.
 */
import { FieldProblem } from './problems.js';
import { isRecord, kindOf } from './rules.js';

/** What a check says: the message when its rule is broken; false or undefined when the rule holds. */
export type Verdict = string | false | undefined;

/** A rule of one field of an element: the field's path relative to the element ('' for the element itself) and its check. */
export interface FieldRule<T, C> {
  readonly field: string;
  readonly check: (item: T, ctx: C, index: number) => Verdict;
}

/**
 * A rule over nested fields of an element (a map of add-on settings, a list of environments): returns
 * the problems it finds with their full paths; `at` is the element's path.
 */
export type NestedRule<T, C> = (item: T, at: string, ctx: C, index: number) => FieldProblem[];

/** One row of a rule table. */
export type Rule<T, C> = FieldRule<T, C> | NestedRule<T, C>;

/** A part of the input checked as a whole (the catalog, the clusters...): its problems in report order. */
export type Section<C> = (ctx: C) => FieldProblem[];

export function problem(path: string, message: string): FieldProblem {
  return { path, message };
}

/** The problems of one element at path `at` (`''` for the top of the spec), rule by rule in table order. */
export function checkItem<T, C>(item: T, at: string, rules: readonly Rule<T, C>[], ctx: C, index = 0): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const rule of rules) {
    if (typeof rule === 'function') {
      out.push(...rule(item, at, ctx, index));
      continue;
    }
    const message = rule.check(item, ctx, index);
    if (message) out.push(problem(at && rule.field ? `${at}.${rule.field}` : at || rule.field, message));
  }
  return out;
}

/** The problems of each `[element, index]` of the list at `path`, element by element. */
export function checkEach<T, C>(path: string, items: Iterable<readonly [T, number]>, rules: readonly Rule<T, C>[], ctx: C): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const [item, i] of items) out.push(...checkItem(item, `${path}[${i}]`, rules, ctx, i));
  return out;
}

/**
 * Like `checkEach` over every element of a list; an element that is not an object is a problem (it
 * must be `what`) and is not checked further.
 */
export function checkElements<T, C>(path: string, list: readonly unknown[], rules: readonly Rule<T, C>[], ctx: C, what = 'an object'): FieldProblem[] {
  return list.flatMap((item, i) =>
    isRecord(item) ? checkItem(item as T, `${path}[${i}]`, rules, ctx, i) : [problem(`${path}[${i}]`, `must be ${what}, got ${kindOf(item)}`)],
  );
}

/** The shape of a required list of objects: missing, not a list, or an element that is not an object. */
export function listShape(path: string, value: unknown, what: string): FieldProblem[] {
  if (!Array.isArray(value)) {
    return [problem(path, value === undefined ? `is missing; give a list of ${what}` : `must be a list of ${what}, got ${kindOf(value)}`)];
  }
  return value.flatMap((v, i) => (isRecord(v) ? [] : [problem(`${path}[${i}]`, `must be an object, got ${kindOf(v)}`)]));
}

/** The elements of a list that are objects, with their index; nothing when it is not a list. */
export function records<T>(list: readonly T[] | undefined): Array<[T, number]> {
  return (Array.isArray(list) ? list : []).flatMap((v, i) => (isRecord(v) ? [[v as T, i] as [T, number]] : []));
}

/**
 * For each element (by index) whose key an earlier element has too, the index of the last such
 * earlier element: `clusters[3].name: ... is already defined at clusters[1]`.
 */
export function earlierWithSameKey<T>(items: Iterable<readonly [T, number]>, key: (item: T) => unknown): ReadonlyMap<number, number> {
  const last = new Map<unknown, number>();
  const out = new Map<number, number>();
  for (const [item, i] of items) {
    const k = key(item);
    if (last.has(k)) out.set(i, last.get(k)!);
    last.set(k, i);
  }
  return out;
}
