// The analysis chain as Lucene builds it: char filters rewrite the text (keeping a map back to the
// original offsets), one tokenizer splits it, token filters rewrite the token stream. Built-in and
// custom analyzers are all a `ChainAnalyzer`; only the standard analyzer has its own faster path.

import { type Analyzer, type Tok, type Token, toTokens } from './analyzer.ts';

/** Splits text into chain tokens (positions as increments, first token posInc 1). */
export type Tokenizer = (text: string) => Tok[];

/** A token filter. `normalize` is set on filters that Lucene allows in normalizers. */
export interface TokenFilter {
  readonly name: string;
  apply(tokens: Tok[]): Tok[];
  /** Per-term form of the filter, for normalizers and `Analyzer.normalize`. */
  readonly normalize?: (term: string) => string;
}

/** The output of a char filter: new text and a map from its offsets back to the input's. */
export interface CharFiltered {
  text: string;
  correct(offset: number): number;
}

/** A char filter. `normalizing` marks filters allowed in normalizers (mapping, pattern_replace). */
export interface CharFilter {
  readonly name: string;
  readonly normalizing: boolean;
  apply(text: string): CharFiltered;
}

/** A filter that rewrites each term independently (lowercase, asciifolding, stemmers…). */
export function termFilter(name: string, fn: (term: string) => string, normalizing = false): TokenFilter {
  return {
    name,
    apply(tokens) {
      for (const t of tokens) if (!t.keyword) t.term = fn(t.term);
      return tokens;
    },
    normalize: normalizing ? fn : undefined,
  };
}

/**
 * A filter that drops tokens (stop, length). A dropped token's position increment is carried to the
 * next kept token, which is how Lucene's FilteringTokenFilter leaves position gaps.
 */
export function dropFilter(name: string, keep: (t: Tok) => boolean): TokenFilter {
  return {
    name,
    apply(tokens) {
      const out: Tok[] = [];
      let carry = 0;
      for (const t of tokens) {
        if (keep(t)) {
          t.posInc += carry;
          carry = 0;
          out.push(t);
        } else {
          carry += t.posInc;
        }
      }
      return out;
    },
  };
}

/** Runs char filters in order, composing their offset maps. */
export function runCharFilters(filters: readonly CharFilter[], text: string): CharFiltered {
  let current = text;
  const corrections: Array<(o: number) => number> = [];
  for (const f of filters) {
    const r = f.apply(current);
    current = r.text;
    corrections.push((o) => r.correct(o));
  }
  return {
    text: current,
    correct(offset) {
      let o = offset;
      for (let i = corrections.length - 1; i >= 0; i--) o = corrections[i](o);
      return o;
    },
  };
}

/** An analyzer assembled from char filters, a tokenizer and token filters. */
export class ChainAnalyzer implements Analyzer {
  constructor(
    readonly name: string,
    private readonly tokenizer: Tokenizer,
    private readonly filters: readonly TokenFilter[] = [],
    private readonly charFilters: readonly CharFilter[] = [],
  ) {}

  private stream(text: string): { toks: Tok[]; correct?: (o: number) => number } {
    let correct: ((o: number) => number) | undefined;
    if (this.charFilters.length > 0) {
      const r = runCharFilters(this.charFilters, text);
      text = r.text;
      correct = (o) => r.correct(o);
    }
    let toks = this.tokenizer(text);
    for (const f of this.filters) toks = f.apply(toks);
    return { toks, correct };
  }

  analyze(text: string): Token[] {
    const { toks, correct } = this.stream(text);
    return toTokens(toks, correct);
  }

  terms(text: string): string[] {
    const { toks } = this.stream(text);
    const out = new Array<string>(toks.length);
    for (let i = 0; i < toks.length; i++) out[i] = toks[i].term;
    return out;
  }

  normalize(text: string): string {
    let s = text;
    for (const c of this.charFilters) if (c.normalizing) s = c.apply(s).text;
    for (const f of this.filters) if (f.normalize) s = f.normalize(s);
    return s;
  }
}
