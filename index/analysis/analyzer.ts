// Text analysis: turns a field's text into the tokens the inverted index stores and queries look up.
// Mirrors Lucene's analyzers as OpenSearch configures them (standard, simple, whitespace, keyword,
// stop, english, and custom analyzers declared in index settings).

/** One token as Lucene's analysis chain emits it. */
export interface Token {
  term: string;
  /** Token position (increments by 1 per token, more where stop words were removed). */
  position: number;
  startOffset: number;
  endOffset: number;
  /** Lucene's token type (`<ALPHANUM>`, `<NUM>`, `word`, `SYNONYM`, `shingle`…), as `_analyze` shows it. */
  type?: string;
  /** Positions the token spans (shingles, multi-word synonyms); 1 when absent. */
  positionLength?: number;
}

/** An analyzer: text in, tokens out. Implementations are stateless and cheap to call. */
export interface Analyzer {
  readonly name: string;
  analyze(text: string): Token[];
  /** Just the terms, in order (the hot path at index time). */
  terms(text: string): string[];
  /** True when token positions are always 0, 1, 2, … (no stop words or synonyms), so terms() suffices at index time. */
  readonly sequentialPositions?: boolean;
  /**
   * The index-time fast path: terms() as spans of one string (positions 0, 1, 2, …), so the indexer
   * can hash them in place without a substring per token. Null when this text needs terms().
   */
  termSpans?(text: string): TermSpans | null;
  /**
   * Lucene's `Analyzer.normalize`: applies only the char filters and the normalising token filters
   * (lower-casing, folding) to a whole string, for wildcard, prefix and fuzzy query terms.
   */
  normalize?(text: string): string;
}

/** Terms as `text.slice(starts[i], ends[i])` for i < count; valid until the next call (buffers are reused). */
export interface TermSpans {
  text: string;
  starts: Int32Array;
  ends: Int32Array;
  count: number;
  /** Each term's `termHash` (standard-tokenizer.ts), when the analyzer computed them while scanning; else null. */
  hashes: Int32Array | null;
}

/** A keyword-field normalizer: the whole value in, one normalised value out. */
export interface Normalizer {
  readonly name: string;
  normalize(text: string): string;
}

/**
 * An analysis configuration or lookup failure. `reason` is OpenSearch's wording; the caller wraps it
 * as `illegal_argument_exception` (index creation, `_analyze`) or `mapper_parsing_exception` (mappings).
 */
export class AnalysisError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'AnalysisError';
  }
}

/**
 * A token inside an analysis chain: Lucene's attributes, with a position increment instead of an
 * absolute position so filters can drop or insert tokens the way Lucene's do.
 */
export interface Tok {
  term: string;
  start: number;
  end: number;
  /** Positions advanced from the previous token (0 = same position, e.g. a synonym). */
  posInc: number;
  posLen: number;
  type: string;
  /** Marked by keyword_marker-like logic: stemmers leave it alone. */
  keyword?: boolean;
}

/** Converts chain tokens to absolute positions, mapping offsets through `correct` (char filters). */
export function toTokens(toks: Tok[], correct?: (offset: number) => number): Token[] {
  const out: Token[] = new Array(toks.length);
  let pos = -1;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    pos += t.posInc;
    const token: Token = {
      term: t.term,
      position: pos < 0 ? 0 : pos,
      startOffset: correct ? correct(t.start) : t.start,
      endOffset: correct ? correct(t.end) : t.end,
      type: t.type,
    };
    if (t.posLen !== 1) token.positionLength = t.posLen;
    out[i] = token;
  }
  return out;
}

/**
 * Lower-cases as Lucene's `LowerCaseFilter` does: code point by code point (`Character.toLowerCase`),
 * so final sigma stays σ and İ becomes i, unlike `String.prototype.toLowerCase`.
 */
export function lowerCase(term: string): string {
  const lower = term.toLowerCase();
  if (lower.length === term.length && term.indexOf('\u03a3') < 0) return lower;
  let out = '';
  for (const ch of term) {
    if (ch === '\u0130') { out += 'i'; continue; }
    const l = ch.toLowerCase();
    out += [...l].length === 1 ? l : ch;
  }
  return out;
}

/** Upper-cases code point by code point (`Character.toUpperCase`): ß stays ß rather than SS. */
export function upperCase(term: string): string {
  const upper = term.toUpperCase();
  if (upper.length === term.length) return upper;
  let out = '';
  for (const ch of term) {
    const u = ch.toUpperCase();
    out += [...u].length === 1 ? u : ch;
  }
  return out;
}
