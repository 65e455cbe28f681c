// Char filters: html_strip, mapping and pattern_replace rewrite the text before tokenizing. Each keeps
// Lucene's offset-correction map (BaseCharFilter) so token offsets still point into the original.

import { AnalysisError } from './analyzer.ts';
import type { CharFilter, CharFiltered } from './chain.ts';
import { javaRegex, type Params, rejectPathParam, rulesParam, strParam, listParam } from './settings.ts';

/** Builds filtered text while recording offset corrections the way Lucene's char filters do. */
class Rewriter {
  out = '';
  private readonly at: number[] = [];
  private readonly diffs: number[] = [];
  private cum = 0;

  keep(s: string): void {
    this.out += s;
  }

  /** Replaces `inputLength` input chars ending at input offset `inputEnd` by `replacement`. */
  replace(inputLength: number, replacement: string, inputEnd: number): void {
    const diff = inputLength - replacement.length;
    this.out += replacement;
    if (diff > 0) {
      this.add(inputEnd - diff - this.cum, this.cum + diff);
    } else if (diff < 0) {
      // Extra output chars all map back to the end of the replaced input.
      const outputStart = inputEnd - this.cum;
      const prev = this.cum;
      for (let k = 0; k < -diff; k++) this.add(outputStart + k, prev - k - 1);
    }
  }

  private add(offset: number, cumulativeDiff: number): void {
    if (this.at.length > 0 && this.at[this.at.length - 1] === offset) {
      this.diffs[this.diffs.length - 1] = cumulativeDiff;
    } else {
      this.at.push(offset);
      this.diffs.push(cumulativeDiff);
    }
    this.cum = cumulativeDiff;
  }

  result(): CharFiltered {
    const { at, diffs } = this;
    return {
      text: this.out,
      correct(offset: number): number {
        let lo = 0, hi = at.length - 1, idx = -1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          if (at[mid] <= offset) { idx = mid; lo = mid + 1; } else hi = mid - 1;
        }
        return idx < 0 ? offset : offset + diffs[idx];
      },
    };
  }
}

function unescapeRule(s: string, rule: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '\\': '\\', '"': '"', "'": "'" };
    if (simple[e] === undefined) throw new AnalysisError(`Invalid Mapping Rule : [${rule}]`);
    return simple[e];
  });
}

/** Lucene's MappingCharFilter: longest-match replacement of `key => value` rules. */
export function mappingCharFilter(rules: readonly string[]): CharFilter {
  const map = new Map<string, string>();
  let maxKey = 0;
  for (const rule of rules) {
    const m = /^\s*(.*?)\s*=>\s*(.*?)\s*$/s.exec(rule);
    if (!m || m[1] === '') throw new AnalysisError(`Invalid Mapping Rule : [${rule}]`);
    const key = unescapeRule(m[1], rule);
    map.set(key, unescapeRule(m[2], rule));
    maxKey = Math.max(maxKey, key.length);
  }
  return {
    name: 'mapping',
    normalizing: true,
    apply(text) {
      const w = new Rewriter();
      for (let i = 0; i < text.length; ) {
        let matched = 0;
        for (let len = Math.min(maxKey, text.length - i); len > 0; len--) {
          const v = map.get(text.substr(i, len));
          if (v !== undefined) { w.replace(len, v, i + len); matched = len; break; }
        }
        if (matched === 0) { w.keep(text[i]); i++; } else i += matched;
      }
      return w.result();
    },
  };
}

/** Lucene's PatternReplaceCharFilter (`$1` group references in the replacement). */
export function patternReplaceCharFilter(re: RegExp, replacement: string): CharFilter {
  return {
    name: 'pattern_replace',
    normalizing: true,
    apply(text) {
      const w = new Rewriter();
      let last = 0;
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m[0].length === 0) { re.lastIndex++; continue; }
        w.keep(text.slice(last, m.index));
        const groups = m;
        const rep = replacement.replace(/\$(\d)/g, (_x, d: string) => groups[Number(d)] ?? '');
        w.replace(m[0].length, rep, m.index + m[0].length);
        last = m.index + m[0].length;
      }
      w.keep(text.slice(last));
      return w.result();
    },
  };
}

const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'caption', 'center', 'dd', 'dir', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'isindex', 'li',
  'main', 'menu', 'nav', 'noframes', 'noscript', 'ol', 'p', 'pre', 'section', 'table', 'tbody', 'td', 'tfoot', 'th',
  'thead', 'title', 'tr', 'ul',
]);
const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '©', reg: '®', trade: '™', hellip: '…',
  mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', euro: '€',
  pound: '£', yen: '¥', cent: '¢', sect: '§', deg: '°', middot: '·', times: '×', divide: '÷', eacute: 'é',
  egrave: 'è', agrave: 'à', aacute: 'á', ccedil: 'ç', uuml: 'ü', ouml: 'ö', auml: 'ä', szlig: 'ß', ntilde: 'ñ',
};

/**
 * HTML stripping (a simplified HTMLStripCharFilter): tags and comments go, block-level tags become a
 * newline, script/style bodies are dropped, character entities are decoded.
 */
export function htmlStripCharFilter(escapedTags: readonly string[] = []): CharFilter {
  const escaped = new Set(escapedTags.map((t) => t.toLowerCase()));
  const TOKEN = /<!--[\s\S]*?(?:-->|$)|<(script|style)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)|<\/?([a-zA-Z][\w:-]*)(?:\s[^<>]*)?\/?>|<![^>]*>|<\?[\s\S]*?\?>|&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/gi;
  return {
    name: 'html_strip',
    normalizing: false,
    apply(text) {
      const w = new Rewriter();
      let last = 0;
      TOKEN.lastIndex = 0;
      for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
        const whole = m[0];
        const end = m.index + whole.length;
        let rep: string | undefined;
        if (m[3] !== undefined) {
          const e = m[3];
          if (e[0] === '#') {
            const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
            rep = cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : undefined;
          } else rep = ENTITIES[e] ?? ENTITIES[e.toLowerCase()];
          if (rep === undefined) continue; // unknown entity: keep the text
        } else if (m[2] !== undefined) {
          const tag = m[2].toLowerCase();
          if (escaped.has(tag)) continue;
          rep = BLOCK_TAGS.has(tag) ? '\n' : '';
        } else {
          if (m[1] !== undefined && escaped.has(m[1].toLowerCase())) continue;
          rep = '';
        }
        w.keep(text.slice(last, m.index));
        w.replace(whole.length, rep, end);
        last = end;
      }
      w.keep(text.slice(last));
      return w.result();
    },
  };
}

type CharFilterFactory = (p: Params, name: string) => CharFilter;

/** Char filter types accepted in `analysis.char_filter.<name>.type` (and as built-in names). */
export const CHAR_FILTER_FACTORIES: Readonly<Record<string, CharFilterFactory>> = {
  html_strip: (p) => htmlStripCharFilter(listParam(p, 'escaped_tags') ?? []),
  mapping: (p, name) => {
    rejectPathParam(p, 'mappings_path', name);
    const rules = rulesParam(p, 'mappings');
    if (!rules) throw new AnalysisError('mapping requires either `mappings` or `mappings_path` to be configured');
    return mappingCharFilter(rules);
  },
  pattern_replace: (p, name) => {
    const pattern = strParam(p, 'pattern');
    if (pattern === undefined) throw new AnalysisError('pattern is missing for [' + name + '] char filter of type \'pattern_replace\'');
    return patternReplaceCharFilter(javaRegex(pattern, strParam(p, 'flags'), name), strParam(p, 'replacement', ''));
  },
};
