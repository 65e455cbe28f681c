// Compiles a java.time pattern (`yyyy-MM-dd'T'HH:mm:ss.SSSXXX`, `dd/MMM/uuuu[ HH:mm]`) into format
// elements with the letter rules of `DateTimeFormatterBuilder.appendPattern`, including its error
// messages, so custom `format` strings in mappings behave as in OpenSearch.

import type { El, Field } from './format-elements.ts';
import { linkAdjacent } from './format-elements.ts';

/** A pattern java.time rejects; `message` is java.time's. */
export class PatternError extends Error {}

const NUMERIC: Record<string, Field> = {
  d: 'day', D: 'dayOfYear', H: 'hour', k: 'clockHourOfDay', K: 'hourOfAmPm', h: 'clockHourOfAmPm', m: 'minute',
  s: 'second', n: 'nano', N: 'nanoOfDay', A: 'milliOfDay', w: 'week', e: 'dayOfWeek', c: 'dayOfWeek',
};
const TEXT_STYLE = (count: number): 'short' | 'full' | 'narrow' => (count === 4 ? 'full' : count === 5 ? 'narrow' : 'short');
const X_PATTERNS = ['+HHmm', '+HHMM', '+HH:MM', '+HHMMss', '+HH:MM:ss'];
const X_ZEROS = ['+00', '+0000', '+00:00', '+0000', '+00:00'];

function letterElements(letter: string, count: number): El[] {
  const tooMany = (): never => { throw new PatternError(`Too many pattern letters: ${letter}`); };
  switch (letter) {
    case 'u': case 'y': case 'Y': {
      const f: Field = letter === 'u' ? 'year' : letter === 'y' ? 'yearOfEra' : 'weekBasedYear';
      if (count === 2) return [{ k: 'reduced', f, base: 2000 }];
      return [{ k: 'num', f, min: count, max: 19, sign: count < 4 ? 'normal' : 'exceeds' }];
    }
    case 'M': case 'L': case 'Q': case 'q': {
      const f = letter === 'M' || letter === 'L' ? 'month' : 'quarter';
      if (count === 1) return [{ k: 'num', f, min: 1, max: 19, sign: 'normal' }];
      if (count === 2) return [{ k: 'num', f, min: 2, max: 2, sign: 'not_negative' }];
      if (count <= 5) return [{ k: 'text', f, style: TEXT_STYLE(count) }];
      return tooMany();
    }
    case 'E':
      if (count > 5) tooMany();
      return [{ k: 'text', f: 'dayOfWeek', style: TEXT_STYLE(count) }];
    case 'G':
      if (count > 5) tooMany();
      return [{ k: 'text', f: 'era', style: TEXT_STYLE(count) }];
    case 'a':
      if (count > 1) tooMany();
      return [{ k: 'text', f: 'ampm', style: 'short' }];
    case 'S':
      return [{ k: 'frac', min: count, max: count, point: false }];
    case 'D':
      if (count === 1) return [{ k: 'num', f: 'dayOfYear', min: 1, max: 19, sign: 'normal' }];
      if (count === 2) return [{ k: 'num', f: 'dayOfYear', min: 2, max: 3, sign: 'not_negative' }];
      if (count === 3) return [{ k: 'num', f: 'dayOfYear', min: 3, max: 3, sign: 'not_negative' }];
      return tooMany();
    case 'e': case 'c':
      if (count <= 2) return [{ k: 'num', f: 'dayOfWeek', min: count, max: count, sign: 'not_negative' }];
      if (count <= 5) return [{ k: 'text', f: 'dayOfWeek', style: TEXT_STYLE(count) }];
      return tooMany();
    case 'V':
      if (count !== 2) throw new PatternError('Pattern letter count must be 2: V');
      return [{ k: 'zoneOrOffset' }];
    case 'z':
      if (count > 4) tooMany();
      return [{ k: 'zoneText', full: count === 4 }];
    case 'O':
      if (count !== 1 && count !== 4) throw new PatternError('Pattern letter count must be 1 or 4: O');
      return [{ k: 'localizedOffset', full: count === 4 }];
    case 'X': case 'x':
      if (count > 5) tooMany();
      return [{ k: 'offset', pattern: X_PATTERNS[count - 1], zero: letter === 'X' ? 'Z' : X_ZEROS[count - 1] }];
    case 'Z':
      if (count <= 3) return [{ k: 'offset', pattern: '+HHMM', zero: '+0000' }];
      if (count === 4) return [{ k: 'localizedOffset', full: true }];
      if (count === 5) return [{ k: 'offset', pattern: '+HH:MM:ss', zero: 'Z' }];
      return tooMany();
    default: {
      const f = NUMERIC[letter];
      if (!f) throw new PatternError(`Unknown pattern letter: ${letter}`);
      const twoMax = 'dhHkKmsw'.includes(letter);
      if (count === 1) return [{ k: 'num', f, min: 1, max: 19, sign: 'normal' }];
      if (twoMax && count > 2) return tooMany();
      return [{ k: 'num', f, min: count, max: count, sign: 'not_negative' }];
    }
  }
}

/** Compiles a java.time pattern; throws {@link PatternError} with java.time's message. */
export function compileJavaPattern(pattern: string): El[] {
  const stack: El[][] = [[]];
  const top = (): El[] => stack[stack.length - 1];
  const literal = (s: string): void => {
    const els = top();
    const last = els[els.length - 1];
    if (last?.k === 'lit') els[els.length - 1] = { k: 'lit', s: last.s + s };
    else els.push({ k: 'lit', s });
  };
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
      let j = i + 1;
      while (j < pattern.length && pattern[j] === c) j++;
      if (c === 'p') throw new PatternError('Pad letter \'p\' is not supported');
      top().push(...letterElements(c, j - i));
      i = j;
    } else if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) throw new PatternError(`Pattern ends with an incomplete string literal: ${pattern}`);
      literal(end === i + 1 ? "'" : pattern.slice(i + 1, end).replace(/''/g, "'"));
      // '' inside a literal is an escaped quote: skip over doubled quotes.
      let next = end + 1;
      while (end > i + 1 && pattern[next] === "'" && pattern.indexOf("'", next + 1) > next) {
        const more = pattern.indexOf("'", next + 1);
        literal("'" + pattern.slice(next + 1, more));
        next = more + 1;
      }
      i = next;
    } else if (c === '[') {
      const opt: El = { k: 'opt', els: [] };
      top().push(opt);
      stack.push(opt.els);
      i++;
    } else if (c === ']') {
      if (stack.length === 1) throw new PatternError('Pattern invalid as it contains ] without previous [');
      stack.pop();
      i++;
    } else if (c === '{' || c === '}' || c === '#') {
      throw new PatternError(`Pattern includes reserved character: '${c}'`);
    } else {
      literal(c);
      i++;
    }
  }
  return linkAdjacent(stack[0]);
}
