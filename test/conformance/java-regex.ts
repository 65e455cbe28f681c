// Java regex emulation for `match: {path: /regex/}` and `catch: /regex/`.
// Upstream compiles match regexes with Pattern.COMMENTS and tests them with find(); JS has no
// `x` flag, so whitespace and `#` comments are stripped here, and Java's `$`, `\A`, `\Z`, `\z`
// are rewritten to their JS equivalents. RegExp.test() already has find() (substring) semantics.

/** Java's `$` without MULTILINE: end of input, or just before one final line terminator. */
const JAVA_DOLLAR = '(?=(?:\\r\\n|[\\n\\r\\u0085\\u2028\\u2029])?$)';
const END_OF_INPUT = '(?![\\s\\S])';
const WHITESPACE = new Set([' ', '\t', '\n', '\r', '\f', '\v']);

/** Options for `toJsRegexSource`. */
export interface JavaRegexOptions {
  /** Emulate Pattern.COMMENTS: drop unescaped whitespace and `#…` comments outside `[...]`. */
  comments: boolean;
}

/**
 * True when a `match` expectation is a regex: after trimming, it starts and ends with `/` and
 * has something in between (upstream `MatchAssertion`).
 */
export function isRegexLiteral(expected: unknown): expected is string {
  if (typeof expected !== 'string') return false;
  const trimmed = expected.trim();
  return trimmed.length > 2 && trimmed.startsWith('/') && trimmed.endsWith('/');
}

/** The pattern between the slashes of a trimmed `/…/` literal. */
export function regexBody(literal: string): string {
  const trimmed = literal.trim();
  return trimmed.slice(1, -1);
}

/**
 * Rewrites a Java pattern into JS RegExp source. With `comments`, whitespace is ignored and `#`
 * starts a comment to the end of the line, except when escaped (`\ `, `\#`) or inside a
 * character class, which FORMAT.md says to keep verbatim.
 */
export function toJsRegexSource(pattern: string, options: JavaRegexOptions): string {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) {
        out += '\\\\';
      } else if (next === 'A') {
        out += '^';
      } else if (next === 'z') {
        out += END_OF_INPUT;
      } else if (next === 'Z') {
        out += JAVA_DOLLAR;
      } else {
        out += c + next;
      }
      i += 2;
      continue;
    }
    if (c === '[') {
      const end = characterClassEnd(pattern, i);
      out += copyCharacterClass(pattern.slice(i, end));
      i = end;
      continue;
    }
    if (options.comments && WHITESPACE.has(c)) {
      i++;
      continue;
    }
    if (options.comments && c === '#') {
      while (i < pattern.length && pattern[i] !== '\n' && pattern[i] !== '\r') i++;
      continue;
    }
    out += c === '$' ? JAVA_DOLLAR : c;
    i++;
  }
  return out;
}

/**
 * Compiles a Java regex (the text between the slashes) into a JS RegExp. Throws a SyntaxError
 * naming both the original and the converted pattern when JS rejects it.
 */
export function compileJavaRegex(pattern: string, options: JavaRegexOptions): RegExp {
  const source = toJsRegexSource(pattern, options);
  try {
    return new RegExp(source);
  } catch (error) {
    throw new SyntaxError(`invalid regex ${JSON.stringify(pattern)} (as JS: ${source}): ${(error as Error).message}`);
  }
}

/** Index just past the `]` that closes the class opened at `start`. */
function characterClassEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++; // a `]` first in a class is a literal in Java
  let depth = 1;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '[') depth++; // Java allows nested classes such as [a-z&&[^e]]
    if (c === ']' && --depth === 0) return i + 1;
    i++;
  }
  return pattern.length;
}

/** Copies a class verbatim, escaping a leading literal `]` that JS would read as an empty class. */
function copyCharacterClass(text: string): string {
  const prefix = text.startsWith('[^') ? '[^' : '[';
  const rest = text.slice(prefix.length);
  return rest.startsWith(']') ? `${prefix}\\]${rest.slice(1)}` : text;
}
