// Date-math index names (`<logstash-{now/d}>`, `<logs-{now/M{yyyy.MM}}>`,
// `<logs-{now/d{yyyy.MM.dd|+12:00}}>`), resolved before wildcard and alias expansion as
// OpenSearch's IndexNameExpressionResolver.DateMathExpressionResolver does.

import { compileDateFormat, parseDateMath } from '../dates/index.ts';
import { illegalArgument } from '../errors.ts';

const DEFAULT_FORMAT = 'uuuu.MM.dd';

/** Resolves every `<…>` part of a comma-separated expression; other parts are returned unchanged. */
export function resolveDateMathExpression(expression: string | undefined, now: number): string | undefined {
  if (expression === undefined || !expression.includes('<')) return expression;
  return expression.split(',').map((p) => resolveDateMathName(p.trim(), now)).join(',');
}

/** Resolves one `<static{math{format|zone}}static>` name. */
export function resolveDateMathName(name: string, now: number): string {
  if (!name.startsWith('<') || !name.endsWith('>')) return name;
  const text = name.slice(1, -1);
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      out += text[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (c === '}') throw illegalArgument(`invalid dynamic name expression [${text}]. invalid character at position [${i}]. ` + "escape with '\\' if you want to use '}' as a literal");
    if (c !== '{') {
      out += c;
      i++;
      continue;
    }
    // {math} or {math{format|zone}}
    let j = i + 1;
    let math = '';
    while (j < text.length && text[j] !== '{' && text[j] !== '}') math += text[j++];
    let format = DEFAULT_FORMAT;
    let zone: string | undefined;
    if (text[j] === '{') {
      const close = text.indexOf('}', j);
      if (close < 0) throw illegalArgument(`invalid dynamic name expression [${text}]. date math placeholder is open ended`);
      const spec = text.slice(j + 1, close);
      const bar = spec.indexOf('|');
      format = bar < 0 ? spec : spec.slice(0, bar);
      zone = bar < 0 ? undefined : spec.slice(bar + 1);
      if (format === '') format = DEFAULT_FORMAT;
      j = close + 1;
    }
    if (text[j] !== '}') throw illegalArgument(`invalid dynamic name expression [${text}]. date math placeholder is open ended`);
    const fmt = compileDateFormat(format);
    const millis = parseDateMath(math, { now, format: fmt, roundUp: false, timeZone: zone });
    out += fmt.format(Math.floor(millis), zone);
    i = j + 1;
  }
  return out;
}
