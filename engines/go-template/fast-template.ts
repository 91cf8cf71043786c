import { GoMap } from './values.js';
import { GoTemplateError } from './template.js';

/** Argo CD only runs fasttemplate on strings matching `.*{{.*}}.*` (both braces on one line). */
const IS_TEMPLATED = /\{\{.*\}\}/;

/**
 * Renders one string as Argo CD does without `goTemplate` (valyala/fasttemplate behind
 * `Render.Replace`): every `{{ key }}` whose trimmed key names a string parameter is replaced, any other
 * tag is left as it is (`{{ unknown }}` stays, there is no error for a missing key); a `{{` without a
 * closing `}}` after it is an error.
 *
 * @see https://github.com/argoproj/argo-cd/blob/master/applicationset/utils/utils.go (Render.Replace)
 */
export function renderFastTemplate(text: string, params: GoMap): string {
  if (!IS_TEMPLATED.test(text)) return text;
  let out = '';
  let pos = 0;
  for (;;) {
    const open = text.indexOf('{{', pos);
    if (open < 0) return out + text.slice(pos);
    const close = text.indexOf('}}', open + 2);
    if (close < 0) {
      throw new GoTemplateError(`invalid template: cannot find end tag="}}" in the template=${JSON.stringify(text)} starting from ${JSON.stringify(text.slice(open + 2))}`);
    }
    out += text.slice(pos, open);
    const tag = text.slice(open + 2, close);
    const key = tag.trim();
    const value = Object.prototype.hasOwnProperty.call(params, key) ? params[key] : undefined;
    out += key.length > 0 && typeof value === 'string' ? value : `{{${tag}}}`;
    pos = close + 2;
  }
}
