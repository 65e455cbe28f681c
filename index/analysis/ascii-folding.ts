// ASCII folding (Lucene's ASCIIFoldingFilter): letters, digits and punctuation outside Basic Latin
// become their ASCII equivalents (é → e, æ → ae, ß → ss, ① → 1, “ → "). Compatibility decomposition
// (NFKD) without combining marks covers most of Lucene's table; the rest is listed here.

/** Letters and symbols that have no ASCII decomposition but that Lucene folds anyway. */
const SPECIAL: Record<string, string> = {
  'Æ': 'AE', 'æ': 'ae', 'Ð': 'D', 'ð': 'd', 'Ø': 'O', 'ø': 'o', 'Þ': 'TH', 'þ': 'th', 'ß': 'ss',
  'Đ': 'D', 'đ': 'd', 'Ħ': 'H', 'ħ': 'h', 'ı': 'i', 'ĸ': 'q', 'Ł': 'L', 'ł': 'l', 'Ŋ': 'N', 'ŋ': 'n',
  'Œ': 'OE', 'œ': 'oe', 'Ŧ': 'T', 'ŧ': 't', 'ƀ': 'b', 'Ɓ': 'B', 'Ƃ': 'B', 'ƃ': 'b', 'Ƈ': 'C', 'ƈ': 'c',
  'Ɖ': 'D', 'Ɗ': 'D', 'Ƌ': 'D', 'ƌ': 'd', 'Ɛ': 'E', 'Ƒ': 'F', 'ƒ': 'f', 'Ɠ': 'G', 'Ɨ': 'I', 'Ƙ': 'K',
  'ƙ': 'k', 'ƚ': 'l', 'Ɲ': 'N', 'ƞ': 'n', 'Ƥ': 'P', 'ƥ': 'p', 'ƫ': 't', 'Ƭ': 'T', 'ƭ': 't', 'Ʈ': 'T',
  'Ʋ': 'V', 'Ƴ': 'Y', 'ƴ': 'y', 'Ƶ': 'Z', 'ƶ': 'z', 'ȡ': 'd', 'Ȥ': 'Z', 'ȥ': 'z', 'ȴ': 'l', 'ȵ': 'n',
  'ȶ': 't', 'ȷ': 'j', 'ȸ': 'db', 'ȹ': 'qp', 'Ⱥ': 'A', 'Ȼ': 'C', 'ȼ': 'c', 'Ƚ': 'L', 'Ⱦ': 'T', 'ȿ': 's',
  'ɀ': 'z', 'Ƀ': 'B', 'Ʉ': 'U', 'Ɇ': 'E', 'ɇ': 'e', 'Ɉ': 'J', 'ɉ': 'j', 'Ɍ': 'R', 'ɍ': 'r', 'Ɏ': 'Y',
  'ɏ': 'y', 'ɓ': 'b', 'ɕ': 'c', 'ɖ': 'd', 'ɗ': 'd', 'ɛ': 'e', 'ɠ': 'g', 'ɡ': 'g', 'ɢ': 'G', 'ɦ': 'h',
  'ɨ': 'i', 'ɪ': 'I', 'ɫ': 'l', 'ɬ': 'l', 'ɭ': 'l', 'ɱ': 'm', 'ɲ': 'n', 'ɳ': 'n', 'ɴ': 'N', 'ɶ': 'OE',
  'ɼ': 'r', 'ɽ': 'r', 'ɾ': 'r', 'ʀ': 'R', 'ʂ': 's', 'ʈ': 't', 'ʉ': 'u', 'ʋ': 'v', 'ʏ': 'Y', 'ʐ': 'z',
  'ʑ': 'z', 'ʙ': 'B', 'ʛ': 'G', 'ʜ': 'H', 'ʝ': 'j', 'ʟ': 'L', 'ʠ': 'q', 'ʣ': 'dz', 'ʥ': 'dz', 'ʦ': 'ts',
  'ʪ': 'ls', 'ʫ': 'lz', 'ᴀ': 'A', 'ᴁ': 'AE', 'ᴃ': 'B', 'ᴄ': 'C', 'ᴅ': 'D', 'ᴆ': 'D', 'ᴇ': 'E', 'ᴊ': 'J',
  'ᴋ': 'K', 'ᴌ': 'L', 'ᴍ': 'M', 'ᴏ': 'O', 'ᴘ': 'P', 'ᴛ': 'T', 'ᴜ': 'U', 'ᴠ': 'V', 'ᴡ': 'W', 'ᴢ': 'Z',
  'ẞ': 'SS', 'Ꝺ': 'D', 'ꝺ': 'd', 'Ꞁ': 'L', 'ꞁ': 'l',
  // Punctuation and symbols.
  '‘': "'", '’': "'", '‚': "'", '‛': "'", '′': "'", '‵': "'", '‹': "'", '›': "'", '❛': "'", '❜': "'",
  '“': '"', '”': '"', '„': '"', '‟': '"', '″': '"', '‶': '"', '«': '"', '»': '"', '❝': '"', '❞': '"',
  '‐': '-', '‑': '-', '‒': '-', '–': '-', '—': '-', '―': '-', '⁻': '-', '₋': '-', '−': '-',
  '⁄': '/', '⁎': '*', '※': '*', '⁃': '-', '⁅': '[', '⁆': ']', '❨': '(', '❩': ')', '❪': '(', '❫': ')',
  '❬': '<', '❭': '>', '❮': '"', '❯': '"', '❰': '<', '❱': '>', '❲': '[', '❳': ']', '❴': '{', '❵': '}',
  '⸨': '((', '⸩': '))', '\u00a0': ' ', '\u2002': ' ', '\u2003': ' ', '\u2009': ' ', '\u200a': ' ', '\u202f': ' ',
};

// Symbols whose NFKD form is ASCII but which Lucene leaves alone.
const KEEP = new Set(['™', '℠', '¨', '¯', '´', '¸', '˘', '˙', '˚', '˛', '˜', '˝', '΄', '΅', '῭', '`']);

const MARKS = /\p{M}/gu;
const NON_ASCII = /[^\x00-\x7f]/;
const cache = new Map<string, string>();

function foldChar(ch: string): string {
  let folded = cache.get(ch);
  if (folded !== undefined) return folded;
  folded = SPECIAL[ch];
  if (folded === undefined) {
    folded = ch;
    if (!KEEP.has(ch)) {
      const d = ch.normalize('NFKD').replace(MARKS, '');
      let out = '';
      for (const part of d) out += SPECIAL[part] ?? part;
      if (out.length > 0 && !NON_ASCII.test(out)) folded = out;
    }
  }
  cache.set(ch, folded);
  return folded;
}

/** Folds a term to ASCII where an equivalent exists; chars without one are kept. */
export function asciiFold(term: string): string {
  if (!NON_ASCII.test(term)) return term;
  let out = '';
  for (const ch of term) out += ch.charCodeAt(0) < 0x80 ? ch : foldChar(ch);
  return out;
}
