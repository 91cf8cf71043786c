import { GoTemplateError } from './error.js';

/**
 * What a missing map key does, after Go's `missingkey=` template option: `error` stops the template
 * (what every ApplicationSet of this fleet asks for), `invalid` (Go's default, also spelled `default`)
 * prints `<no value>`, `zero` gives the map's zero value.
 *
 * @see https://pkg.go.dev/text/template#Template.Option
 */
export type MissingKey = 'error' | 'invalid' | 'zero';

/**
 * Reads an ApplicationSet's `goTemplateOptions` the way `template.Option` does: `missingkey=error`,
 * `missingkey=zero`, `missingkey=invalid` or `missingkey=default`; anything else is an error (Go panics).
 */
export function parseGoTemplateOptions(options: readonly unknown[] | undefined): MissingKey {
  let missingKey: MissingKey = 'invalid';
  for (const option of options ?? []) {
    const m = typeof option === 'string' ? /^missingkey=(error|zero|invalid|default)$/.exec(option) : null;
    if (!m) {
      throw new GoTemplateError(
        `unrecognized goTemplateOptions entry ${JSON.stringify(option)}: text/template only knows missingkey=error, missingkey=zero, missingkey=invalid and missingkey=default`,
      );
    }
    missingKey = m[1] === 'default' ? 'invalid' : (m[1] as MissingKey);
  }
  return missingKey;
}
