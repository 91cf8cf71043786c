/**
 * The parser of the Go text/template subset: builds the syntax tree from the lexer's items, with Go's
 * error messages, and rejects what the evaluator does not implement (variables, `{{range}}`,
 * `{{with}}`, unknown functions) as unsupported.
 */
import { Arg, Cmd, Node, Pipe } from './ast.js';
import { FUNCTIONS } from './functions.js';
import { Item, KEYWORDS, Lexer, Tok } from './lexer.js';

/** Parses a template's text into its syntax tree; throws `GoTemplateError`. */
export function parseTemplate(text: string): Node[] {
  return new Parser(new Lexer(text)).parse();
}

class Parser {
  private items: Item[] = [];
  private i = 0;

  public constructor(private readonly lexer: Lexer) {}

  public parse(): Node[] {
    this.items = this.lexer.items();
    this.i = 0;
    const { nodes, stop } = this.list();
    if (stop) this.lexer.fail(stop.pos, `unexpected {{${stop.kind}}}`);
    return nodes;
  }

  /** Nodes up to the end of input, or up to an `{{else}}`/`{{end}}` (returned as `stop`). */
  private list(): { nodes: Node[]; stop?: { kind: 'else' | 'end'; pos: number; toks: readonly Tok[] } } {
    const nodes: Node[] = [];
    while (this.i < this.items.length) {
      const item = this.items[this.i++];
      if (item.t === 'text') {
        nodes.push({ t: 'text', text: item.text });
        continue;
      }
      const toks = item.toks.filter((t, k) => !(t.t === 'space' && k === 0));
      const first = toks[0];
      if (first?.t === 'ident' && KEYWORDS.has(first.name)) {
        switch (first.name) {
          case 'if':
            nodes.push(this.ifNode(item.pos, toks.slice(1)));
            continue;
          case 'else':
          case 'end':
            return { nodes, stop: { kind: first.name, pos: item.pos, toks: toks.slice(1) } };
          default:
            this.lexer.fail(item.pos, `{{${first.name}}} is not supported by the plan's template engine (it implements {{if}}, {{else}}, {{end}}, fields, pipelines and functions)`, true);
        }
      }
      nodes.push({ t: 'action', pipe: this.pipeline(item.pos, toks) });
    }
    return { nodes };
  }

  private ifNode(pos: number, toks: readonly Tok[]): Node {
    const pipe = this.pipeline(pos, toks);
    const then = this.list();
    if (!then.stop) this.lexer.fail(pos, 'unexpected EOF');
    if (then.stop.kind === 'end') {
      this.noExtra(then.stop.pos, then.stop.toks, 'end');
      return { t: 'if', pipe, then: then.nodes, else: [] };
    }
    const rest = then.stop.toks.filter((t) => t.t !== 'space');
    if (rest[0]?.t === 'ident' && rest[0].name === 'if') {
      // {{else if x}} is {{else}}{{if x}}...{{end}}{{end}} sharing one {{end}}.
      const elseIf = this.ifNode(then.stop.pos, then.stop.toks.slice(then.stop.toks.indexOf(rest[0]) + 1));
      return { t: 'if', pipe, then: then.nodes, else: [elseIf] };
    }
    this.noExtra(then.stop.pos, then.stop.toks, 'else');
    const otherwise = this.list();
    if (!otherwise.stop) this.lexer.fail(pos, 'unexpected EOF');
    if (otherwise.stop.kind !== 'end') this.lexer.fail(otherwise.stop.pos, 'expected end; found {{else}}');
    this.noExtra(otherwise.stop.pos, otherwise.stop.toks, 'end');
    return { t: 'if', pipe, then: then.nodes, else: otherwise.nodes };
  }

  private noExtra(pos: number, toks: readonly Tok[], kind: string): void {
    if (toks.some((t) => t.t !== 'space')) this.lexer.fail(pos, `unexpected token in {{${kind}}}`);
  }

  private pipeline(pos: number, toks: readonly Tok[]): Pipe {
    const state = { toks, k: 0 };
    const pipe = this.pipe(pos, state, false);
    return pipe;
  }

  private pipe(pos: number, s: { toks: readonly Tok[]; k: number }, inParen: boolean): Pipe {
    const cmds: Cmd[] = [];
    for (;;) {
      while (s.toks[s.k]?.t === 'space') s.k++;
      const cmd = this.command(s);
      if (cmd.args.length === 0) this.lexer.fail(pos, cmds.length === 0 && !s.toks[s.k] ? 'missing value for command' : 'missing command');
      cmds.push(cmd);
      const t = s.toks[s.k];
      if (t?.t === 'pipe') {
        s.k++;
        continue;
      }
      if (t?.t === 'rparen') {
        if (!inParen) this.lexer.fail(t.pos, 'unexpected right paren');
        s.k++;
        return { pos, cmds };
      }
      if (t === undefined) {
        if (inParen) this.lexer.fail(pos, 'unclosed left paren');
        return { pos, cmds };
      }
      this.lexer.fail(t.pos, `unexpected ${tokText(t)} in command`);
    }
  }

  private command(s: { toks: readonly Tok[]; k: number }): Cmd {
    const args: Arg[] = [];
    const pos = s.toks[s.k]?.pos ?? 0;
    for (;;) {
      const t = s.toks[s.k];
      if (t === undefined || t.t === 'pipe' || t.t === 'rparen') return { pos, args };
      args.push(this.operand(s));
      const after = s.toks[s.k];
      if (after === undefined || after.t === 'pipe' || after.t === 'rparen') return { pos, args };
      if (after.t !== 'space') this.lexer.fail(after.pos, `unexpected ${tokText(after)} in operand`);
      while (s.toks[s.k]?.t === 'space') s.k++;
    }
  }

  private operand(s: { toks: readonly Tok[]; k: number }): Arg {
    const t = s.toks[s.k++];
    const chain = (): { names: string[]; pos: number } => {
      const names: string[] = [];
      let pos = -1;
      while (s.toks[s.k]?.t === 'field') {
        const f = s.toks[s.k++] as { name: string; pos: number };
        if (pos < 0) pos = f.pos;
        names.push(f.name);
      }
      return { names, pos };
    };
    switch (t.t) {
      case 'field': {
        const more = chain();
        // text/template gives a chained field the position of its second element.
        return { t: 'field', pos: more.names.length > 0 ? more.pos : t.pos, names: [t.name, ...more.names] };
      }
      case 'var': {
        if (t.name !== '$') this.lexer.fail(t.pos, `variable ${t.name} is not supported by the plan's template engine (only $ and its fields)`, true);
        const more = chain();
        return { t: 'root', pos: more.names.length > 0 ? more.pos : t.pos, names: more.names };
      }
      case 'dot':
        if (s.toks[s.k]?.t === 'field') this.lexer.fail(t.pos, 'unexpected . after term "."');
        return { t: 'dot', pos: t.pos };
      case 'const':
        return { t: 'const', pos: t.pos, value: t.value, text: t.text };
      case 'ident':
        if (t.name === 'nil') return { t: 'nil', pos: t.pos };
        if (KEYWORDS.has(t.name)) this.lexer.fail(t.pos, `unexpected <${t.name}> in command`);
        if (!FUNCTIONS.has(t.name)) {
          this.lexer.fail(
            t.pos,
            `function "${t.name}" is not supported by the plan's template engine (it implements ${[...FUNCTIONS.keys()].sort().join(', ')}); Argo CD has text/template's builtins and Sprig, so add it to engines/go-template/functions.ts if this is one of them`,
            true,
          );
        }
        if (s.toks[s.k]?.t === 'field') this.lexer.fail(t.pos, `field chains after a function call are not supported by the plan's template engine`, true);
        return { t: 'ident', pos: t.pos, name: t.name };
      case 'lparen': {
        const pipe = this.pipe(t.pos, s, true);
        if (s.toks[s.k]?.t === 'field') this.lexer.fail(t.pos, 'field chains after a parenthesized pipeline are not supported by the plan\'s template engine', true);
        return { t: 'pipe', pos: t.pos, pipe };
      }
      default:
        return this.lexer.fail(t.pos, `unexpected ${tokText(t)} in operand`);
    }
  }
}

function tokText(t: Tok): string {
  switch (t.t) {
    case 'space':
      return 'space';
    case 'pipe':
      return '"|"';
    case 'lparen':
      return '"("';
    case 'rparen':
      return '")"';
    case 'dot':
      return '"."';
    case 'field':
      return `<.${t.name}>`;
    case 'ident':
    case 'var':
      return `<${t.name}>`;
    case 'const':
      return t.text;
  }
}
