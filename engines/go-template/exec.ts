/**
 * The evaluator of the Go text/template subset: runs a syntax tree against data with text/template's
 * semantics (the `missingkey` option, nil handling, short-circuit `and`/`or`, argument checks) and Go's
 * error messages.
 */
import { Arg, argString, Cmd, cmdString, Node, Pipe } from './ast.js';
import { GoTemplateError, Unsupported } from './error.js';
import { CallError, FUNCTIONS } from './functions.js';
import { MissingKey } from './options.js';
import { GoValue, goTruth, goTypeName, hasKey, isGoMap, isStringMap, printTemplateValue } from './values.js';

const NO_FINAL = Symbol('no final value');
type Final = GoValue | typeof NO_FINAL;

/** A value with the static type Go would report for it in "can't evaluate field" errors. */
interface Typed {
  readonly value: GoValue;
  /** True when the value was read out of an `interface {}` slot (a generic map or slice). */
  readonly boxed: boolean;
}

/** One execution of a syntax tree with `root` as `.` and `$`; throws Go's `executing "" at <...>` errors. */
export class Exec {
  private out = '';

  public constructor(
    private readonly src: string,
    private readonly root: GoValue,
    private readonly missingKey: MissingKey,
  ) {}

  public run(nodes: readonly Node[]): string {
    this.walk(nodes);
    return this.out;
  }

  private walk(nodes: readonly Node[]): void {
    for (const n of nodes) {
      if (n.t === 'text') this.out += n.text;
      else if (n.t === 'action') this.out += printTemplateValue(this.pipe(n.pipe, this.root));
      else this.walk(goTruth(this.pipe(n.pipe, this.root)) ? n.then : n.else);
    }
  }

  private fail(pos: number, context: string, message: string, unsupported = false): never {
    const before = this.src.slice(0, pos);
    const nl = before.lastIndexOf('\n');
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    const col = nl < 0 ? Buffer.byteLength(before) : Buffer.byteLength(before.slice(nl + 1));
    throw new GoTemplateError(`template: :${line}:${col}: executing "" at <${context}>: ${message}`, unsupported);
  }

  private pipe(p: Pipe, dot: GoValue): GoValue {
    let value: Final = NO_FINAL;
    for (const cmd of p.cmds) value = this.command(cmd, dot, value);
    // A nil interface result is no value at all (text/template's "lovely!" unwrapping).
    return value === NO_FINAL || value === null ? undefined : value;
  }

  private notAFunction(cmd: Cmd, final: Final): void {
    const first = cmd.args[0];
    if (cmd.args.length > 1 || final !== NO_FINAL) this.fail(first.pos, argString(first), `can't give argument to non-function ${argString(first)}`);
  }

  private command(cmd: Cmd, dot: GoValue, final: Final): GoValue {
    const first = cmd.args[0];
    switch (first.t) {
      case 'field':
      case 'root':
        return this.fieldChain(first, first.t === 'root' ? { value: this.root, boxed: false } : { value: dot, boxed: false }, cmd.args.length > 1 || final !== NO_FINAL).value;
      case 'ident':
        return this.call(first, cmd, dot, final);
      case 'nil':
        return this.fail(first.pos, 'nil', 'nil is not a command');
      case 'pipe':
        this.notAFunction(cmd, final);
        return this.pipe(first.pipe, dot);
      case 'dot':
        this.notAFunction(cmd, final);
        return dot;
      case 'const':
        this.notAFunction(cmd, final);
        return first.value;
    }
  }

  private fieldChain(arg: Extract<Arg, { t: 'field' | 'root' }>, start: Typed, hasArgs: boolean): Typed {
    let cur = start;
    const last = arg.names.length - 1;
    for (let i = 0; i <= last; i++) cur = this.field(arg, arg.names[i], cur, hasArgs && i === last);
    return cur;
  }

  private field(arg: Arg, name: string, receiver: Typed, hasArgs: boolean): Typed {
    const r = receiver.value;
    if (r === undefined) {
      if (this.missingKey === 'error') this.fail(arg.pos, argString(arg), `nil data; no entry for key "${name}"`);
      return { value: undefined, boxed: false };
    }
    if (r === null) this.fail(arg.pos, argString(arg), `nil pointer evaluating interface {}.${name}`);
    if (isGoMap(r)) {
      if (hasArgs) this.fail(arg.pos, argString(arg), `${name} is not a method but has arguments`);
      if (hasKey(r, name)) return { value: r[name], boxed: !isStringMap(r) };
      switch (this.missingKey) {
        case 'error':
          return this.fail(arg.pos, argString(arg), `map has no entry for key "${name}"`);
        case 'zero':
          return { value: isStringMap(r) ? '' : null, boxed: !isStringMap(r) };
        default:
          return { value: undefined, boxed: false };
      }
    }
    return this.fail(arg.pos, argString(arg), `can't evaluate field ${name} in type ${receiver.boxed ? 'interface {}' : goTypeName(r)}`);
  }

  /** Evaluates an argument of a function call. */
  private arg(a: Arg, dot: GoValue): GoValue {
    switch (a.t) {
      case 'field':
      case 'root':
        return this.fieldChain(a, a.t === 'root' ? { value: this.root, boxed: false } : { value: dot, boxed: false }, false).value;
      case 'dot':
        return dot;
      case 'const':
        return a.value;
      case 'nil':
        return null;
      case 'pipe':
        return this.pipe(a.pipe, dot);
      case 'ident':
        // A function name as an argument is a call without arguments.
        return this.call(a, { pos: a.pos, args: [a] }, dot, NO_FINAL);
    }
  }

  private call(ident: Extract<Arg, { t: 'ident' }>, cmd: Cmd, dot: GoValue, final: Final): GoValue {
    const spec = FUNCTIONS.get(ident.name)!;
    const argNodes = cmd.args.slice(1);
    const count = argNodes.length + (final === NO_FINAL ? 0 : 1);
    const want = spec.params.length;
    if (spec.variadic ? count < want : count !== want) {
      this.fail(ident.pos, ident.name, `wrong number of args for ${ident.name}: want ${spec.variadic ? 'at least ' : ''}${want} got ${count}`);
    }
    if (ident.name === 'and' || ident.name === 'or') {
      // Short-circuit: later arguments are not evaluated (so a missing key there is no error).
      let v: GoValue = undefined;
      const n = count;
      for (let i = 0; i < n; i++) {
        v = i < argNodes.length ? this.arg(argNodes[i], dot) : (final as GoValue);
        if (ident.name === 'and' ? !goTruth(v) : goTruth(v)) break;
      }
      return v === undefined ? null : v;
    }
    const values: GoValue[] = argNodes.map((a) => this.arg(a, dot));
    if (final !== NO_FINAL) values.push(final);
    values.forEach((v, i) => {
      const kind = i < want ? spec.params[i] : spec.variadic!;
      const node = argNodes[i] ?? ident;
      if (kind === 'any') return;
      if (v === undefined || v === null) this.fail(node.pos, argString(node), `invalid value; expected ${kind}`);
      if ((kind === 'string' && typeof v !== 'string') || (kind === 'int' && typeof v !== 'bigint')) {
        this.fail(node.pos, argString(node), `wrong type for value; expected ${kind}; got ${goTypeName(v)}`);
      }
    });
    try {
      return spec.call(values.map((v) => (v === undefined ? null : v)));
    } catch (e) {
      if (e instanceof CallError) this.fail(cmd.pos, cmdString(cmd), `error calling ${ident.name}: ${e.message}`);
      if (e instanceof Unsupported) this.fail(cmd.pos, cmdString(cmd), `not supported by the offline engine: ${e.message}`, true);
      throw e;
    }
  }
}
