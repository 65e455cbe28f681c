// Checks a successful response's `Warning` headers against a `do` step's `warnings` and
// `allowed_warnings`, as upstream's DoSection.checkWarningHeaders: every expected warning must
// appear, anything else must be allowed or start with "[types removal]".

/** `299 OpenSearch-2.19.0-abc "message" "date"` — the quoted message is group 1. */
const WARNING_HEADER = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"(?: "[^"]*")?$/;

/** The problems found with a response's warnings; all empty means the step passes. */
export interface WarningProblems {
  unexpected: string[];
  missing: string[];
  malformed: string[];
}

/**
 * Compares the `Warning` header values of a response with the step's expectations. Messages are
 * compared in their header-encoded form (quotes and backslashes escaped, non-ASCII
 * percent-encoded), as upstream does with `escapeAndEncode`.
 */
export function checkWarnings(headerValues: readonly string[], expected: readonly string[], allowed: readonly string[]): WarningProblems {
  const allowedSet = new Set(allowed.map(encodeWarning));
  const stillExpected = new Set(expected.map(encodeWarning));
  const problems: WarningProblems = { unexpected: [], missing: [], malformed: [] };
  for (const header of headerValues.flatMap(splitWarningHeader)) {
    const match = WARNING_HEADER.exec(header);
    if (!match) {
      problems.malformed.push(header);
      continue;
    }
    const message = match[1]!;
    if (allowedSet.has(message) || message.startsWith('[types removal]')) continue;
    if (!stillExpected.delete(message)) problems.unexpected.push(message);
  }
  problems.missing = [...stillExpected];
  return problems;
}

/** True when nothing is wrong. */
export function warningsOk(problems: WarningProblems): boolean {
  return problems.unexpected.length === 0 && problems.missing.length === 0 && problems.malformed.length === 0;
}

/** Upstream's HeaderWarning.escapeAndEncode: escape `\` and `"`, percent-encode the rest. */
export function encodeWarning(message: string): string {
  const escaped = message.replace(/[\\"]/g, (c) => `\\${c}`);
  let out = '';
  for (const char of escaped) {
    const code = char.codePointAt(0)!;
    if (code === 0x09 || (code >= 0x20 && code <= 0x7e && code !== 0x25)) out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A single header line may carry several comma-separated warnings (`299 … "a", 299 … "b"`). */
function splitWarningHeader(value: string): string[] {
  const parts: string[] = [];
  const pattern = /\d{3} \S+ "(?:[^"\\]|\\.)*"(?: "[^"]*")?/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(value)) !== null) parts.push(match[0]);
  return parts.length > 0 ? parts : [value];
}
