/**
 * The syntax tree of the Go text/template subset: text, actions and `{{if}}` nodes holding pipelines of
 * commands whose arguments are fields, `$`, `.`, function names, constants, `nil` or parenthesized
 * pipelines; and their Go source form for error contexts.
 */
import { GoValue } from './values.js';

/** An argument of a command: a field chain on `.` or `$`, `.`, a function name, a constant, `nil` or a parenthesized pipeline. */
export type Arg =
  | { readonly t: 'field'; readonly pos: number; readonly names: readonly string[] }
  | { readonly t: 'root'; readonly pos: number; readonly names: readonly string[] }
  | { readonly t: 'dot'; readonly pos: number }
  | { readonly t: 'ident'; readonly pos: number; readonly name: string }
  | { readonly t: 'const'; readonly pos: number; readonly value: GoValue; readonly text: string }
  | { readonly t: 'nil'; readonly pos: number }
  | { readonly t: 'pipe'; readonly pos: number; readonly pipe: Pipe };

/** A command of a pipeline: a function name with its arguments, or a single operand. */
export interface Cmd {
  readonly pos: number;
  readonly args: readonly Arg[];
}

/** A pipeline: commands joined by `|`, each receiving the previous result as its last argument. */
export interface Pipe {
  readonly pos: number;
  readonly cmds: readonly Cmd[];
}

/** A node of a template: literal text, an action printing a pipeline, or an `{{if}}` with its branches. */
export type Node =
  | { readonly t: 'text'; readonly text: string }
  | { readonly t: 'action'; readonly pipe: Pipe }
  | { readonly t: 'if'; readonly pipe: Pipe; readonly then: readonly Node[]; readonly else: readonly Node[] };

/** The Go source form of an argument, for error contexts (`<.metadata.labels.env>`). */
export function argString(a: Arg): string {
  switch (a.t) {
    case 'field':
      return `.${a.names.join('.')}`;
    case 'root':
      return a.names.length === 0 ? '$' : `$.${a.names.join('.')}`;
    case 'dot':
      return '.';
    case 'ident':
      return a.name;
    case 'const':
      return a.text;
    case 'nil':
      return 'nil';
    case 'pipe':
      return `(${pipeString(a.pipe)})`;
  }
}

/** The Go source form of a command, for error contexts. */
export function cmdString(c: Cmd): string {
  return c.args.map(argString).join(' ');
}

function pipeString(p: Pipe): string {
  return p.cmds.map(cmdString).join(' | ');
}
