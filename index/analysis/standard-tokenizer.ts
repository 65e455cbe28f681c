// Lucene's StandardTokenizer: UAX#29 word boundaries as Lucene's JFlex grammar applies them (mid-word
// punctuation rules, one token per CJK ideograph, whole emoji sequences). The scanner writes spans into
// a shared buffer so the hot path allocates only the term strings.

import { ASCII_WB, WB, wordBreakClass } from './word-break.ts';

// Imported bindings are copied into module constants: some loaders (CommonJS transforms, vitest)
// turn every access to an import into a getter call, which would dominate this hot loop.
const ASCII = ASCII_WB;
const classOf = wordBreakClass;
const C_ALETTER = WB.ALetter;
const C_DOUBLE_QUOTE = WB.DoubleQuote;
const C_EMOJI = WB.Emoji;
const C_EXTEND = WB.Extend;
const C_EXTEND_NUM_LET = WB.ExtendNumLet;
const C_HAN = WB.Han;
const C_HANGUL = WB.Hangul;
const C_HEBREW = WB.Hebrew;
const C_HIRAGANA = WB.Hiragana;
const C_KATAKANA = WB.Katakana;
const C_MID_LETTER = WB.MidLetter;
const C_MID_NUM = WB.MidNum;
const C_MID_NUM_LET = WB.MidNumLet;
const C_NUMERIC = WB.Numeric;
const C_OTHER = WB.Other;
const C_REGIONAL_INDICATOR = WB.RegionalIndicator;
const C_SINGLE_QUOTE = WB.SingleQuote;
const C_SOUTH_EAST_ASIAN = WB.SouthEastAsian;
const C_ZWJ = WB.ZWJ;

/** Lucene's token type names, indexed by the `types` values of {@link Spans}. */
export const TOKEN_TYPES = [
  '<ALPHANUM>',
  '<NUM>',
  '<SOUTHEAST_ASIAN>',
  '<IDEOGRAPHIC>',
  '<HIRAGANA>',
  '<KATAKANA>',
  '<HANGUL>',
  '<EMOJI>',
] as const;

const T_ALPHANUM = 0, T_NUM = 1, T_SEA = 2, T_IDEOGRAPHIC = 3, T_HIRAGANA = 4, T_KATAKANA = 5, T_HANGUL = 6, T_EMOJI = 7;

/** Lucene's default `max_token_length`. */
export const DEFAULT_MAX_TOKEN_LENGTH = 255;
/** The largest `max_token_length` Lucene accepts. */
export const MAX_TOKEN_LENGTH_LIMIT = 1024 * 1024;

/** Token spans found by {@link scanStandard}; valid until the next call (the buffers are reused). */
export interface Spans {
  starts: Int32Array;
  ends: Int32Array;
  types: Uint8Array;
  count: number;
  /** True when every char of the scanned text was ASCII (callers may lower-case without care). */
  ascii: boolean;
  /**
   * When `ascii`: whether a token has an upper-case letter. Without one the text's tokens are already
   * lower-case and a caller need not copy the text to lower-case it (a log message's copy was most of
   * what analysing it allocated).
   */
  upper: boolean;
  /**
   * When `ascii`: each token's {@link termHash} of its lower-cased chars, computed while scanning (a
   * term dictionary then need not read the chars again to hash them). Not filled otherwise.
   */
  hashes: Int32Array;
}

const spans: Spans = { starts: new Int32Array(256), ends: new Int32Array(256), types: new Uint8Array(256), count: 0, ascii: true, upper: false, hashes: new Int32Array(256) };

/**
 * Doubles the span buffers. Apart from `push` so that it captures nothing of it: a closure there made
 * every call allocate a context for the captured count (40 bytes a token, 4.5 KB per log message).
 */
function growSpans(): void {
  const n = spans.starts.length;
  const grow = (a: Int32Array): Int32Array => {
    const b = new Int32Array(n * 2);
    b.set(a);
    return b;
  };
  spans.starts = grow(spans.starts);
  spans.ends = grow(spans.ends);
  spans.hashes = grow(spans.hashes);
  const t = new Uint8Array(n * 2);
  t.set(spans.types);
  spans.types = t;
}

/** FNV-1a's offset basis and prime: a term's hash is FNV-1a over its UTF-16 code units. */
export const TERM_HASH_SEED = 0x811c9dc5;
export const TERM_HASH_PRIME = 0x01000193;

/** The hash of `s.slice(start, end)` as term dictionaries key terms (FNV-1a over UTF-16 code units). */
export function termHash(s: string, start: number, end: number): number {
  let h = TERM_HASH_SEED;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), TERM_HASH_PRIME);
  return h;
}

function push(start: number, end: number, type: number): void {
  const n = spans.count;
  if (n === spans.starts.length) growSpans();
  spans.starts[n] = start;
  spans.ends[n] = end;
  spans.types[n] = type;
  spans.count = n + 1;
}

// Scanner state shared by the helpers below (one scan runs at a time).
let text = '';
let limit = 0;
let sawNonAscii = false;

/** Class of the code point at `i`, or -1 at the (token length) limit. Sets `cpLen`. */
let cpLen = 1;
function classAt(i: number): number {
  if (i >= limit) return -1;
  const c = text.charCodeAt(i);
  if (c < 128) { cpLen = 1; return ASCII[c]; }
  sawNonAscii = true;
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) {
      if (i + 2 > limit) return -1; // a surrogate pair may not straddle the limit
      cpLen = 2;
      return classOf(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
    }
  }
  cpLen = 1;
  return classOf(c);
}

/** Skips (Extend | Format | ZWJ)* from `i` (UAX#29 rule WB4). */
function skipExtend(i: number): number {
  for (;;) {
    const c = classAt(i);
    if (c !== C_EXTEND && c !== C_ZWJ) return i;
    i += cpLen;
  }
}

const isAH = (c: number): boolean => c === C_ALETTER || c === C_HEBREW || c === C_HANGUL;
const isUnit = (c: number): boolean => isAH(c) || c === C_NUMERIC || c === C_KATAKANA;

let wordType = T_ALPHANUM;

/** The word rule (WB5–WB13b): returns the end of the longest word starting at `i`, or -1. */
function scanWord(i: number): number {
  let pos = i;
  let joined = false; // the next unit is joined by ExtendNumLet or a valid mid char
  let plain = true; // no ExtendNumLet / mid chars: Hangul and Katakana runs keep their own type
  let allNum = true, allHangul = true, allKata = true;
  while (classAt(pos) === C_EXTEND_NUM_LET) { pos = skipExtend(pos + 1); joined = true; plain = false; }
  let prev = -1; // class of the last unit; a single quote marks a closed Hebrew-quote group
  let accept = -1;
  for (;;) {
    // Fast path: an ASCII letter or digit directly followed by another one. One round of the rules
    // below then only extends the word, so whole ASCII words skip them but for their last char.
    while (pos + 1 < limit && (joined || prev !== C_KATAKANA)) {
      const a = text.charCodeAt(pos), b = text.charCodeAt(pos + 1);
      if (a >= 128 || b >= 128) break;
      const ua = ASCII[a], ub = ASCII[b];
      if ((ua !== C_ALETTER && ua !== C_NUMERIC) || (ub !== C_ALETTER && ub !== C_NUMERIC)) break;
      if (ua !== C_NUMERIC) allNum = false;
      allHangul = false;
      allKata = false;
      prev = ua;
      joined = false;
      accept = ++pos;
    }
    const u = classAt(pos);
    if (!isUnit(u)) break;
    if (!joined && prev !== -1) {
      const ok = prev === C_KATAKANA ? u === C_KATAKANA : u !== C_KATAKANA;
      if (!ok) break;
    }
    pos = skipExtend(pos + cpLen);
    accept = pos;
    if (u !== C_NUMERIC) allNum = false;
    if (u !== C_HANGUL) allHangul = false;
    if (u !== C_KATAKANA) allKata = false;
    prev = u;
    joined = false;
    const c = classAt(pos);
    if (c === C_EXTEND_NUM_LET) {
      while (classAt(pos) === C_EXTEND_NUM_LET) pos = skipExtend(pos + 1);
      accept = pos; // trailing underscores belong to the token
      joined = true;
      plain = false;
    } else if (c >= C_MID_LETTER && c <= C_DOUBLE_QUOTE) {
      const afterMid = skipExtend(pos + cpLen);
      const next = classAt(afterMid);
      const letterMid = c === C_MID_LETTER || c === C_MID_NUM_LET || c === C_SINGLE_QUOTE;
      const numberMid = c === C_MID_NUM || c === C_MID_NUM_LET || c === C_SINGLE_QUOTE;
      if ((isAH(prev) && isAH(next) && letterMid) || (prev === C_NUMERIC && next === C_NUMERIC && numberMid) ||
        (prev === C_HEBREW && c === C_DOUBLE_QUOTE && next === C_HEBREW)) {
        pos = afterMid;
        joined = true;
        plain = false;
      } else if (prev === C_HEBREW && c === C_SINGLE_QUOTE) {
        accept = pos = afterMid; // WB7a: Hebrew_Letter × Single_Quote
        prev = C_SINGLE_QUOTE;
        plain = false;
      } else break;
    }
  }
  if (accept < 0) return -1;
  wordType = allNum ? T_NUM : plain && allHangul ? T_HANGUL : plain && allKata ? T_KATAKANA : T_ALPHANUM;
  return accept;
}

/** Skips WB4 chars except the presentation selectors FE0E/FE0F (they end emoji elements). */
function skipExtendSansPresentation(i: number): number {
  for (;;) {
    const c = classAt(i);
    if (c !== C_EXTEND && c !== C_ZWJ) return i;
    const ch = text.charCodeAt(i);
    if (ch === 0xfe0e || ch === 0xfe0f) return i;
    i += cpLen;
  }
}

function isEmojiModifier(i: number): boolean {
  return text.charCodeAt(i) === 0xd83c && text.charCodeAt(i + 1) >= 0xdffb && text.charCodeAt(i + 1) <= 0xdfff;
}

/** One emoji element at `i` (pictograph + FE0F?, or modifier sequence); returns its end or -1. */
function emojiElement(i: number): number {
  const c = classAt(i);
  if (c === C_EMOJI || (c === C_EXTEND && isEmojiModifier(i))) {
    let p = skipExtendSansPresentation(i + cpLen);
    if (c === C_EMOJI && text.charCodeAt(p) === 0xfe0f && p < limit) p++;
    return p;
  }
  return -1;
}

/** Emoji sequences (TR#51 emoji_zwj_sequence, flags, keycaps) as Lucene's EMOJI rule; end or -1. */
function scanEmoji(i: number): number {
  const c = classAt(i);
  if (c === C_REGIONAL_INDICATOR) {
    const p = skipExtend(i + cpLen);
    return classAt(p) === C_REGIONAL_INDICATOR ? skipExtend(p + cpLen) : -1;
  }
  let q = i;
  while (classAt(q) === C_ZWJ) q++;
  let end = emojiElement(q);
  if (end < 0) return -1;
  for (;;) {
    let p = end;
    let zwj = p > i && text.charCodeAt(p - 1) === 0x200d;
    while (classAt(p) === C_ZWJ) { p++; zwj = true; }
    const next = zwj ? emojiElement(p) : -1;
    if (next < 0) return end;
    end = next;
  }
}

/** Keycap sequence `[0-9#*] FE0F? 20E3` starting at `i`; end or -1. */
function scanKeycap(i: number): number {
  let p = i + 1;
  for (;;) {
    const c = classAt(p);
    const ch = text.charCodeAt(p);
    if ((c !== C_EXTEND && c !== C_ZWJ) || ch === 0xfe0e || ch === 0xfe0f || ch === 0x20e3) break;
    p += cpLen;
  }
  if (text.charCodeAt(p) === 0xfe0f && p < limit) p++;
  if (text.charCodeAt(p) !== 0x20e3 || p >= limit) return -1;
  return skipExtendSansPresentation(p + 1);
}

/**
 * Scans `input` into token spans. Tokens longer than `maxTokenLength` are cut at that length and the
 * rest is scanned as a new token, as Lucene does since 7.0.
 */
export function scanStandard(input: string, maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH): Spans {
  spans.count = 0;
  if (scanAscii(input, maxTokenLength)) {
    spans.ascii = true;
    return spans;
  }
  return scanGeneral(input, maxTokenLength);
}

/** For tests: the general scan alone (the reference the ASCII scan is checked against). */
export function scanGeneralForTest(input: string, maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH): Spans {
  return scanGeneral(input, maxTokenLength);
}

function scanGeneral(input: string, maxTokenLength: number): Spans {
  spans.count = 0;
  text = input;
  sawNonAscii = false;
  const n = input.length;
  let i = 0;
  while (i < n) {
    const ch = input.charCodeAt(i);
    if (ch < 128) {
      const k = ASCII[ch];
      // Fast path: spaces and punctuation that cannot start a token.
      if (k === C_OTHER || (k >= C_MID_LETTER && k <= C_DOUBLE_QUOTE)) {
        if ((ch === 0x23 || ch === 0x2a) && i + 1 < n && input.charCodeAt(i + 1) >= 128) {
          limit = Math.min(n, i + maxTokenLength);
          const end = scanKeycap(i);
          if (end > i) { push(i, end, T_EMOJI); i = end; continue; }
        }
        i++;
        continue;
      }
    }
    limit = Math.min(n, i + maxTokenLength);
    const c = classAt(i);
    const len = cpLen;
    let end = -1;
    let type = T_ALPHANUM;
    if (isUnit(c) || c === C_EXTEND_NUM_LET) {
      end = scanWord(i);
      type = wordType;
      // A lone digit + keycap mark matches Lucene's EMOJI rule first (same text, other type).
      if (type === T_NUM && input.charCodeAt(end - 1) === 0x20e3 && scanKeycap(i) === end) type = T_EMOJI;
    } else if (c === C_HAN || c === C_HIRAGANA) {
      end = skipExtend(i + len);
      type = c === C_HAN ? T_IDEOGRAPHIC : T_HIRAGANA;
    } else if (c === C_SOUTH_EAST_ASIAN) {
      end = i;
      while (classAt(end) === C_SOUTH_EAST_ASIAN) end = skipExtend(end + cpLen);
      type = T_SEA;
    } else if (c === C_EMOJI || c === C_ZWJ || c === C_REGIONAL_INDICATOR || c === C_EXTEND) {
      end = scanEmoji(i);
      type = T_EMOJI;
    }
    if (end > i) {
      push(i, end, type);
      i = end;
    } else {
      i += len;
    }
  }
  spans.ascii = !sawNonAscii;
  spans.upper = true;
  text = '';
  return spans;
}

/** ASCII_UNITS flags: the char is a letter; an upper-case one. */
const UNIT_LETTER = 0x100, UNIT_UPPER = 0x200;

/**
 * For each ASCII char that is a word unit (WB ALetter or Numeric: letters and digits), its lower-cased
 * code (what the term hash takes) with UNIT_LETTER / UNIT_UPPER; 0 for every other char. One table
 * load per char gives what the ASCII scan needs of it.
 */
const ASCII_UNITS = (() => {
  const units = new Uint16Array(128);
  for (let a = 0; a < 128; a++) {
    if (ASCII[a] === C_NUMERIC) units[a] = a;
    else if (ASCII[a] === C_ALETTER) {
      // Lower-casing by `| 0x20` holds for A-Z and a-z, the only ASCII letters.
      if (!((a >= 0x41 && a <= 0x5a) || (a >= 0x61 && a <= 0x7a))) throw new Error(`unexpected ASCII letter ${a}`);
      units[a] = (a | 0x20) | UNIT_LETTER | (a <= 0x5a ? UNIT_UPPER : 0);
    }
  }
  return units;
})();

/**
 * The scan of an all-ASCII text, where only the word rule applies (no Extend, emoji, Katakana,
 * Hebrew or ideographs): the same spans as the general scan, in one tight loop without a function
 * call per char (the general scan cost ~120 ns per token of a log message, a third of a text field's
 * build). Returns false, with spans left half-filled, at the first non-ASCII char: the caller then
 * scans the text the general way. Tested against the general scan on random ASCII text.
 */
function scanAscii(input: string, maxTokenLength: number): boolean {
  const n = input.length;
  const table = ASCII;
  const units = ASCII_UNITS;
  let flagsAll = 0;
  let i = 0;
  while (i < n) {
    const ch = input.charCodeAt(i);
    if (ch >= 128) return false;
    if (units[ch] === 0 && ch !== 0x5f) {
      i++;
      continue;
    }
    // A word (WB5-WB13b on ASCII classes): units (letters, digits) joined directly, by underscores
    // (which also lead and trail a word), or by one mid char between two letters (`:` `.` `'`) or two
    // digits (`,` `;` `.` `'`). Classes past the token length limit count as the end of text.
    const lim = Math.min(n, i + maxTokenLength);
    // The token's hash covers every char consumed: a token always ends where consumption stopped.
    let h = TERM_HASH_SEED;
    let pos = i;
    while (pos < lim && input.charCodeAt(pos) === 0x5f) {
      h = Math.imul(h ^ 0x5f, TERM_HASH_PRIME);
      pos++;
    }
    let accept = -1;
    let flags = 0;
    for (;;) {
      // A run of letters and digits, hashed lower-cased; `flags` collects whether it had letters.
      const runStart = pos;
      while (pos < lim) {
        const a = input.charCodeAt(pos);
        if (a >= 128) return false;
        const t = units[a];
        if (t === 0) break;
        h = Math.imul(h ^ (t & 0xff), TERM_HASH_PRIME);
        flags |= t;
        pos++;
      }
      if (pos === runStart) break;
      accept = pos;
      if (pos >= lim) break;
      // The char that ended the run (ASCII: the run stopped at it), and the class of the run's last unit.
      const c = table[input.charCodeAt(pos)];
      if (c === C_EXTEND_NUM_LET) {
        while (pos < lim && input.charCodeAt(pos) === 0x5f) {
          h = Math.imul(h ^ 0x5f, TERM_HASH_PRIME);
          pos++;
        }
        accept = pos;
      } else if (c >= C_MID_LETTER && c <= C_DOUBLE_QUOTE) {
        if (pos + 1 >= lim) break;
        const d = input.charCodeAt(pos + 1);
        if (d >= 128) return false;
        const next = table[d];
        const ok = (units[input.charCodeAt(pos - 1)] & UNIT_LETTER) !== 0
          ? next === C_ALETTER && (c === C_MID_LETTER || c === C_MID_NUM_LET || c === C_SINGLE_QUOTE)
          : next === C_NUMERIC && (c === C_MID_NUM || c === C_MID_NUM_LET || c === C_SINGLE_QUOTE);
        if (!ok) break;
        h = Math.imul(h ^ input.charCodeAt(pos), TERM_HASH_PRIME);
        pos++;
      } else break;
    }
    if (accept > i) {
      push(i, accept, (flags & UNIT_LETTER) === 0 ? T_NUM : T_ALPHANUM);
      spans.hashes[spans.count - 1] = h;
      flagsAll |= flags;
      i = accept;
    } else {
      i++;
    }
  }
  spans.upper = (flagsAll & UNIT_UPPER) !== 0;
  return true;
}
