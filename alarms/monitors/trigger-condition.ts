// Trigger conditions: the painless subset Alerting users write, run on Lookout's safe expression
// language (index/expr). `ctx.results[0].hits.total.value > 0`, `ctx.results[0].aggregations.x.value
// >= 5 && …`, `.size()` / `.length` on lists, and `return true;`. Each `ctx…` path is lifted out of
// the source into a parameter, so the expression language never sees indexing or method calls.

import { compileExpression, ExpressionError, type Expression } from '../../index/expr/index.ts';
import { illegalArgument } from '../../index/errors.ts';

/** A compiled query-level condition: evaluate against the trigger's ctx. */
export interface Condition {
  readonly source: string;
  evaluate(ctx: Record<string, unknown>): boolean;
}

const CTX_PATH = /\bctx((?:\s*\.\s*[A-Za-z_$][\w$]*(?![\w$]|\s*\()|\[\s*\d+\s*\]|\[\s*(?:"[^"]*"|'[^']*')\s*\])+)(\s*\.\s*(?:size\s*\(\s*\)|length\b))?/g;

function splitPath(raw: string): string[] {
  const out: string[] = [];
  const re = /\.\s*([A-Za-z_$][\w$]*)|\[\s*(\d+)\s*\]|\[\s*"([^"]*)"\s*\]|\[\s*'([^']*)'\s*\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw))) out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return out;
}

function resolve(root: unknown, path: string[]): unknown {
  let v = root;
  for (const k of path) v = v === null || v === undefined ? undefined : (v as Record<string, unknown>)[k];
  return v;
}

/** Compiles a query-level condition; throws an OpenSearch illegal_argument error on bad syntax. */
export function compileCondition(source: string): Condition {
  const paths: Array<{ path: string[]; size: boolean }> = [];
  const rewritten = source.replace(CTX_PATH, (_all, path: string, size: string | undefined) => {
    paths.push({ path: splitPath(path), size: !!size });
    return `__ctx${paths.length - 1}`;
  });
  let expr: Expression;
  try {
    expr = compileExpression(rewritten);
  } catch (err) {
    throw illegalArgument(`unsupported trigger condition [${source}]: ${(err as Error).message} (Lookout runs a painless subset: ctx paths, comparisons, arithmetic, &&, ||, !, ternaries, Math.*)`);
  }
  return {
    source,
    evaluate(ctx) {
      const params: Record<string, unknown> = {};
      paths.forEach((p, i) => {
        const v = resolve(ctx, p.path);
        params[`__ctx${i}`] = p.size ? (Array.isArray(v) ? v.length : v && typeof v === 'object' ? Object.keys(v).length : null) : v === undefined ? null : v;
      });
      const out = expr.evaluate(params);
      if (typeof out !== 'boolean') throw new ExpressionError(`trigger condition [${source}] returned ${JSON.stringify(out)}, not a boolean`);
      return out;
    },
  };
}

/** A bucket-level condition: `params.<var>` over the variables of buckets_path. */
export function compileBucketCondition(source: string): Expression {
  try {
    return compileExpression(source);
  } catch (err) {
    throw illegalArgument(`unsupported bucket trigger condition [${source}]: ${(err as Error).message}`);
  }
}

/**
 * Resolves a buckets_path entry inside one bucket as a bucket_selector does: `_count` → doc_count,
 * `_key` → key, `agg` → its value, `agg.prop` / `agg>sub` → nested.
 */
export function bucketValue(bucket: Record<string, unknown>, path: string): unknown {
  if (path === '_count') return bucket.doc_count;
  if (path === '_key') return bucket.key;
  const parts = path.split(/>|\./);
  let v: unknown = bucket;
  for (let i = 0; i < parts.length; i++) {
    const k = parts[i];
    if (v === null || typeof v !== 'object') return null;
    const o = v as Record<string, unknown>;
    if (k === '_count') v = o.doc_count;
    else if (k in o) v = o[k];
    else if (o.values && typeof o.values === 'object' && k in (o.values as object)) v = (o.values as Record<string, unknown>)[k];
    else return null;
  }
  if (v && typeof v === 'object' && 'value' in (v as object)) return (v as { value: unknown }).value;
  if (v && typeof v === 'object' && 'doc_count' in (v as object)) return (v as { doc_count: unknown }).doc_count;
  return v ?? null;
}

/** Evaluates a bucket condition for one bucket; false when a variable is missing (as bucket_selector skips gaps). */
export function bucketMatches(expr: Expression, bucketsPath: Record<string, string>, bucket: Record<string, unknown>): boolean {
  const params: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(bucketsPath)) {
    const v = bucketValue(bucket, path);
    if (v === null || v === undefined) return false;
    params[name] = v;
  }
  const out = expr.evaluate(params);
  if (typeof out !== 'boolean') throw new ExpressionError(`bucket condition [${expr.source}] returned ${JSON.stringify(out)}, not a boolean`);
  return out;
}
