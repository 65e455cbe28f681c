// Character classes of Unicode's word-break algorithm (UAX#29) as Lucene's StandardTokenizer grammar
// uses them. The standard tokenizer asks `wordBreakClass` for every code point: ASCII comes from a
// 128-entry table, the rest is computed once per code point from Unicode properties and cached.

/** Word-break classes. `Extend` covers WB:Extend and WB:Format (both attach to the preceding char). */
export enum WB {
  Other = 0,
  ALetter = 1,
  Hebrew = 2,
  Numeric = 3,
  Katakana = 4,
  Han = 5,
  Hiragana = 6,
  /** Line_Break=Complex_Context: Thai, Lao, Myanmar, Khmer… kept together as one token. */
  SouthEastAsian = 7,
  Extend = 8,
  ZWJ = 9,
  MidLetter = 10,
  MidNumLet = 11,
  MidNum = 12,
  SingleQuote = 13,
  DoubleQuote = 14,
  ExtendNumLet = 15,
  RegionalIndicator = 16,
  /** Extended_Pictographic that is no letter or digit: starts an emoji token. */
  Emoji = 17,
  /** Hangul letters (a subset of ALetter, only distinguished for the token type). */
  Hangul = 18,
}

const ASCII = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) ASCII[c] = WB.Numeric;
for (let c = 0x41; c <= 0x5a; c++) ASCII[c] = WB.ALetter;
for (let c = 0x61; c <= 0x7a; c++) ASCII[c] = WB.ALetter;
ASCII[0x5f] = WB.ExtendNumLet; // _
ASCII[0x27] = WB.SingleQuote; // '
ASCII[0x22] = WB.DoubleQuote; // "
ASCII[0x2e] = WB.MidNumLet; // .
ASCII[0x3a] = WB.MidLetter; // :
ASCII[0x2c] = WB.MidNum; // ,
ASCII[0x3b] = WB.MidNum; // ;

/** The class of each ASCII char; index with a char code below 128. */
export const ASCII_WB: Uint8Array = ASCII;

// Explicit members of the punctuation classes (WordBreakProperty.txt, Unicode 12).
const MID_LETTER = new Set([0x3a, 0xb7, 0x387, 0x55f, 0x5f4, 0x2027, 0xfe13, 0xfe55, 0xff1a]);
const MID_NUM_LET = new Set([0x2e, 0x2018, 0x2019, 0x2024, 0xfe52, 0xff07, 0xff0e]);
const MID_NUM = new Set([
  0x2c, 0x3b, 0x37e, 0x589, 0x60c, 0x60d, 0x66c, 0x7f8, 0x2044, 0xfe10, 0xfe14, 0xfe50, 0xfe54, 0xff0c, 0xff1b,
]);
const EXTEND_NUM_LET = new Set([0x5f, 0x202f, 0x203f, 0x2040, 0x2054, 0xfe33, 0xfe34, 0xfe4d, 0xfe4e, 0xfe4f, 0xff3f]);
// Katakana-class chars whose Script is Common rather than Katakana.
const KATAKANA_EXTRA = new Set([0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x309b, 0x309c, 0x30a0, 0x30fc, 0xff70]);
// Modifier symbols that WB counts as ALetter although they are not Alphabetic.
const ALETTER_RANGES: Array<[number, number]> = [
  [0x2c2, 0x2c5], [0x2d2, 0x2d7], [0x2de, 0x2df], [0x2e5, 0x2eb], [0x2ed, 0x2ed], [0x2ef, 0x2ff],
  [0x55a, 0x55c], [0x55e, 0x55e], [0x58a, 0x58a], [0x5f3, 0x5f3], [0xa708, 0xa716], [0xa720, 0xa721],
  [0xa789, 0xa78a], [0xab5b, 0xab5b],
];

const RE_EXTEND = /[\p{Grapheme_Extend}\p{Mc}\p{Emoji_Modifier}]/u;
const RE_FORMAT = /\p{Cf}/u;
const RE_KATAKANA = /\p{Script=Katakana}/u;
const RE_HIRAGANA = /\p{Script=Hiragana}/u;
const RE_HAN = /\p{Script=Han}/u;
const RE_SEA = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Myanmar}\p{Script=Khmer}\p{Script=Tai_Le}\p{Script=New_Tai_Lue}\p{Script=Tai_Tham}\p{Script=Tai_Viet}]/u;
const RE_LETTER_OR_MARK = /[\p{L}\p{M}]/u;
const RE_HEBREW_LETTER = /(?=\p{Script=Hebrew})\p{L}/u;
const RE_DIGIT = /\p{Nd}/u;
const RE_HANGUL = /\p{Script=Hangul}/u;
const RE_ALPHABETIC = /\p{Alphabetic}/u;
const RE_IDEOGRAPHIC = /\p{Ideographic}/u;
const RE_PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

function computeClass(cp: number): WB {
  if (cp < 128) return ASCII[cp] as WB;
  if (cp === 0x200d) return WB.ZWJ;
  const ch = String.fromCodePoint(cp);
  if (RE_EXTEND.test(ch)) return WB.Extend;
  // ZWSP is Cf but WB:Other: it separates words.
  if (cp !== 0x200b && RE_FORMAT.test(ch)) return WB.Extend;
  if (cp >= 0x1f1e6 && cp <= 0x1f1ff) return WB.RegionalIndicator;
  if (MID_LETTER.has(cp)) return WB.MidLetter;
  if (MID_NUM_LET.has(cp)) return WB.MidNumLet;
  if (MID_NUM.has(cp)) return WB.MidNum;
  if (EXTEND_NUM_LET.has(cp)) return WB.ExtendNumLet;
  if (KATAKANA_EXTRA.has(cp) || RE_KATAKANA.test(ch)) return WB.Katakana;
  if (RE_HIRAGANA.test(ch)) return WB.Hiragana;
  if (RE_HAN.test(ch)) return WB.Han;
  if (RE_SEA.test(ch) && RE_LETTER_OR_MARK.test(ch)) return WB.SouthEastAsian;
  if (RE_HEBREW_LETTER.test(ch)) return WB.Hebrew;
  if (RE_DIGIT.test(ch) || cp === 0x66b) return WB.Numeric;
  if (RE_ALPHABETIC.test(ch)) {
    if (RE_HANGUL.test(ch)) return WB.Hangul;
    // Ideographs outside Han (Tangut, Nüshu…) are neither ALetter nor Han: Lucene drops them.
    return RE_IDEOGRAPHIC.test(ch) ? WB.Other : WB.ALetter;
  }
  for (const [lo, hi] of ALETTER_RANGES) if (cp >= lo && cp <= hi) return WB.ALetter;
  if (RE_PICTOGRAPHIC.test(ch)) return WB.Emoji;
  return WB.Other;
}

// BMP classes are cached in a flat table (0xff = not computed yet); astral ones in a map.
const BMP = new Uint8Array(0x10000).fill(0xff);
const ASTRAL = new Map<number, WB>();

/** The word-break class of a code point. */
export function wordBreakClass(cp: number): WB {
  if (cp < 0x10000) {
    let c = BMP[cp];
    if (c === 0xff) BMP[cp] = c = computeClass(cp);
    return c as WB;
  }
  let c = ASTRAL.get(cp);
  if (c === undefined) ASTRAL.set(cp, (c = computeClass(cp)));
  return c;
}

/** True for the classes that form words (the "units" joined by UAX#29 rules 5–13). */
export function isWordUnit(c: WB): boolean {
  return c === WB.ALetter || c === WB.Hebrew || c === WB.Numeric || c === WB.Katakana || c === WB.Hangul;
}
