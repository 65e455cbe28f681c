// The typed tree of a Logs Insights (CWLI) query (specs/aws.md §3.6): a pipeline of commands whose
// expressions are a small discriminated union. Produced by insights-parser.ts, run by insights-pipeline.ts.

/** An expression; `text` is its source text, which names a column that has no `as` alias. */
export type Expr = { text: string } & (
  | { k: 'field'; name: string }
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'regex'; re: RegExp }
  /** `5m`, `2hrs`, `1mo`: a fixed length in ms, or (months > 0) a count of calendar months, which have none. */
  | { k: 'duration'; ms: number; months: number }
  | { k: 'call'; fn: string; args: Expr[]; star: boolean }
  | { k: 'bin'; op: ArithOp | CompareOp; l: Expr; r: Expr }
  | { k: 'and' | 'or'; l: Expr; r: Expr }
  | { k: 'not'; e: Expr }
  | { k: 'neg'; e: Expr }
  | { k: 'like'; e: Expr; pattern: Expr; negated: boolean }
  | { k: 'in'; e: Expr; list: Expr[]; negated: boolean }
);

export type ArithOp = '+' | '-' | '*' | '/' | '%' | '^';
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** An output column: an expression and the name it is shown under. */
export interface Column {
  name: string;
  expr: Expr;
}

export type Command =
  | { cmd: 'fields'; columns: Column[] }
  | { cmd: 'display'; names: string[] }
  | { cmd: 'filter'; expr: Expr }
  | { cmd: 'stats'; aggs: Column[]; by: Column[] }
  | { cmd: 'sort'; keys: { expr: Expr; desc: boolean }[] }
  /** `any`: `limit any N` may stop reading events once N rows are found (CWL_QuerySyntax-Limit). */
  | { cmd: 'limit'; n: number; any: boolean }
  | { cmd: 'parse'; source: Expr; glob?: { re: RegExp; names: string[] }; regex?: RegExp }
  | { cmd: 'dedup'; names: string[] }
  /** Shows data a data protection policy masked; Lookout masks nothing, so it changes nothing. */
  | { cmd: 'unmask' };

/**
 * `SOURCE logGroups(namePrefix: [...], class: [...], accountIdentifiers: [...])` (CWL_QuerySyntax-Source):
 * the query picks its own log groups. An empty list means the key was left out.
 */
export interface LogGroupSource {
  namePrefix: string[];
  classes: string[];
  accountIdentifiers: string[];
}

export interface InsightsQuery {
  commands: Command[];
  source?: LogGroupSource;
}

/** Aggregation functions of `stats`. */
export const AGGREGATES = new Set(['count', 'count_distinct', 'sum', 'avg', 'min', 'max', 'pct', 'percentile', 'stddev', 'earliest', 'latest']);

/** A parse error with the character range it concerns (MalformedQueryException's queryCompileError). */
export class InsightsSyntaxError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}
