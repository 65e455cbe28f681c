// Command-line flags shared by the benchmark scripts: `--name value`, `--flag` (boolean) and
// `--name=value`. Deliberately tiny; every scenario documents its own flags in its header.

/** Parsed `--flags` of a command line. */
export interface Flags {
  /** A numeric flag, or `fallback` when absent; throws on a non-number. */
  num(name: string, fallback: number): number;
  /** A string flag, or `fallback` when absent. */
  str(name: string, fallback: string): string;
  /** A string flag, or undefined when absent. */
  opt(name: string): string | undefined;
  /** True when `--name` is present (or given as `--name=true`). */
  bool(name: string): boolean;
}

/** Parse `--name value` / `--name=value` / `--flag` pairs from argv (default: process.argv.slice(2)). */
export function parseFlags(argv: string[] = process.argv.slice(2)): Flags {
  const values = new Map<string, string>();
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k]!;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq > 0) values.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (k + 1 < argv.length && !argv[k + 1]!.startsWith('--')) values.set(arg.slice(2), argv[++k]!);
    else values.set(arg.slice(2), 'true');
  }
  return {
    num(name, fallback) {
      const v = values.get(name);
      if (v === undefined) return fallback;
      const n = Number(v.replaceAll('_', ''));
      if (!Number.isFinite(n)) throw new Error(`--${name} takes a number, got ${v}`);
      return n;
    },
    str: (name, fallback) => values.get(name) ?? fallback,
    opt: (name) => values.get(name),
    bool: (name) => values.has(name) && values.get(name) !== 'false',
  };
}
