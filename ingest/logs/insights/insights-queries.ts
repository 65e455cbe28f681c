// Logs Insights query lifecycle (StartQuery, GetQueryResults, StopQuery; specs/aws.md §3.1): a query
// is parsed when started (MalformedQueryException), then runs in the background — Scheduled, Running,
// then Complete, Failed or Cancelled — scanning the groups' events in pages through the DocumentSink
// with a pre-filter derived from its leading `filter` commands, and keeps its results for an hour.
// Events are scanned newest first by (@timestamp, event id), CloudWatch's default order: the time is the
// stored `@timestamp`, never the id (log-event-reader.ts says why).

import { randomUUID } from 'node:crypto';
import type { DocumentSink } from '../../document-sink.ts';
import { optList, optNumber, optString, type AwsInput } from '../../aws/aws-input.ts';
import { logGroupIndexPrefix } from '../log-event-document.ts';
import { checkGroupName, groupNameFromArn } from '../log-names.ts';
import { constraintError, logsErrors } from '../logs-errors.ts';
import { ACCOUNT_ID } from '../../aws/aws-arn.ts';
import { InsightsSyntaxError, type Command, type Expr, type InsightsQuery, type LogGroupSource } from './insights-ast.ts';
import { parseInsightsQuery } from './insights-parser.ts';
import { InsightsPipeline, type ResultRow } from './insights-pipeline.ts';
import type { LogRecord } from './insights-row.ts';

const invalid = logsErrors.invalidParameter;
const MAX_CONCURRENT = 100;
const MAX_ROWS = 10_000;
const SCAN_PAGE = 5_000;
/** Events one query may read; beyond it the query completes on what it read. */
const MAX_SCANNED = 2_000_000;
const KEEP_RESULTS_MS = 3_600_000;
/** "If the total number of log groups exceeds 10,000, you will see an error" (CWL_QuerySyntax-Source). */
const MAX_SOURCE_GROUPS = 10_000;

type Status = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled';

interface QueryState {
  id: string;
  status: Status;
  createdAt: number;
  finishedAt?: number;
  results: ResultRow[];
  statistics: { recordsMatched: number; recordsScanned: number; bytesScanned: number };
  cancel: boolean;
  /** Why a query failed (kept for debugging; GetQueryResults only reports the status). */
  error?: unknown;
}

export interface InsightsHost {
  now(): number;
  groupExists(name: string): boolean;
  /** Every log group with its class, for SOURCE. */
  listGroups(): { name: string; logGroupClass: string }[];
  /** Makes the groups' latest writes visible before a query reads them. */
  beforeRead(groups: string[]): Promise<void>;
}

/** The Logs Insights queries of a node, by query id, with their state and results. */
export class InsightsQueries {
  private readonly queries = new Map<string, QueryState>();

  constructor(
    private readonly sink: DocumentSink,
    private readonly host: InsightsHost,
  ) {}

  start(input: AwsInput): { queryId: string } {
    const named = groupParametersGiven(input);
    let groups = named ? queryGroups(input) : [];
    for (const g of groups) if (!this.host.groupExists(g)) throw logsErrors.groupNotFound();
    const startTime = optNumber(input, 'startTime', invalid);
    const endTime = optNumber(input, 'endTime', invalid);
    if (startTime === undefined) throw constraintError('startTime', 'null', 'Member must not be null');
    if (endTime === undefined) throw constraintError('endTime', 'null', 'Member must not be null');
    if (endTime < startTime) throw invalid('End time must be greater than or equal to start time.');
    const limit = optNumber(input, 'limit', invalid) ?? MAX_ROWS;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ROWS) throw constraintError('limit', limit, `Member must have value between 1 and ${MAX_ROWS}`);
    const language = optString(input, 'queryLanguage', invalid) ?? 'CWLI';
    if (language !== 'CWLI') throw invalid(`Query language ${language} is not supported; use CWLI.`);
    const text = optString(input, 'queryString', invalid);
    if (text === undefined || text.trim() === '') throw constraintError('queryString', text ?? 'null', 'Member must have length greater than or equal to 1');
    let query: InsightsQuery;
    try {
      query = parseInsightsQuery(text);
    } catch (err) {
      if (err instanceof InsightsSyntaxError) throw logsErrors.malformedQuery(err.message, err.start, err.end);
      throw err;
    }
    // StartQuery takes its groups from exactly one of logGroupName, logGroupNames, logGroupIdentifiers
    // "or" from a SOURCE command in the query string: one way, never both.
    if (query.source && named) throw invalid('Specify the log groups either with logGroupName, logGroupNames or logGroupIdentifiers or with a SOURCE command in the query, not both.');
    if (!query.source && !named) queryGroups(input); // throws its "exactly one of" message
    if (query.source) {
      groups = selectSourceGroups(query.source, this.host.listGroups());
      if (groups.length > MAX_SOURCE_GROUPS) throw invalid(`SOURCE selected ${groups.length} log groups, more than ${MAX_SOURCE_GROUPS}; narrow it with namePrefix or class, or name the log groups.`);
    }
    this.expire();
    const active = [...this.queries.values()].filter((q) => q.status === 'Scheduled' || q.status === 'Running').length;
    if (active >= MAX_CONCURRENT) throw logsErrors.limitExceeded(`Account maximum query concurrency limit of [${MAX_CONCURRENT}] reached.`);
    const state: QueryState = {
      id: randomUUID(),
      status: 'Scheduled',
      createdAt: this.host.now(),
      results: [],
      statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 },
      cancel: false,
    };
    this.queries.set(state.id, state);
    // Seconds, both ends inclusive: the end second counts whole.
    setImmediate(() => void this.run(state, query, groups, startTime * 1000, endTime * 1000 + 999, limit));
    return { queryId: state.id };
  }

  results(input: AwsInput): object {
    const q = this.lookup(input);
    return {
      queryLanguage: 'CWLI',
      status: q.status,
      results: q.status === 'Complete' ? q.results : [],
      statistics: q.statistics,
    };
  }

  /** StopQuery: a query that has already ended is an error "indicating that the query is not running" (API reference). */
  stop(input: AwsInput): object {
    const q = this.lookup(input);
    if (q.status !== 'Scheduled' && q.status !== 'Running') throw invalid(`The query ${q.id} is not running (its status is ${q.status}).`);
    q.cancel = true;
    q.status = 'Cancelled';
    q.finishedAt = this.host.now();
    return { success: true };
  }

  private lookup(input: AwsInput): QueryState {
    const id = optString(input, 'queryId', invalid);
    if (id === undefined) throw constraintError('queryId', 'null', 'Member must not be null');
    const q = this.queries.get(id);
    if (!q) throw logsErrors.queryNotFound(id);
    return q;
  }

  private expire(): void {
    const now = this.host.now();
    for (const [id, q] of this.queries) if (q.finishedAt !== undefined && now - q.finishedAt > KEEP_RESULTS_MS) this.queries.delete(id);
  }

  private async run(q: QueryState, query: InsightsQuery, groups: string[], fromMs: number, toMs: number, limit: number): Promise<void> {
    if (q.cancel) return;
    q.status = 'Running';
    try {
      await this.host.beforeRead(groups);
      const pipeline = new InsightsPipeline(query);
      const filter: Record<string, unknown>[] = [
        { terms: { logGroup: groups } },
        { range: { '@timestamp': { gte: fromMs, lte: toMs, format: 'epoch_millis' } } },
        ...insightsPrefilter(query),
      ];
      const index = groups.map((g) => `${logGroupIndexPrefix(g)}*`).join(',');
      // The sort must be a total order for search_after paging: event ids are unique per event
      // (CloudWatch's own, or Lookout's, which hash the group and stream in). A descending numeric first
      // key is also the engine's fast path (index/search/query-phase.ts collectSorted).
      let after: [number, string] | undefined;
      // A SOURCE may select no group at all: nothing to read, and the query still answers.
      while (groups.length > 0) {
        const res = await this.sink.search(index, {
          size: SCAN_PAGE,
          query: { bool: { filter } },
          sort: [{ '@timestamp': 'desc' }, { eventId: 'desc' }],
          ...(after !== undefined ? { search_after: after } : {}),
          track_total_hits: false,
          // Listed explicitly: an unfiltered _source comes back as the stored bytes, not an object.
          _source: ['@timestamp', 'message', 'logStream', 'logGroup', 'eventId', 'ingestionTime'],
        });
        if (q.cancel) return;
        const hits = ((res.hits as { hits?: { _source: Record<string, string> }[] }).hits ?? []);
        let last: LogRecord | undefined;
        for (const h of hits) {
          const s = h._source;
          q.statistics.recordsScanned++;
          q.statistics.bytesScanned += Buffer.byteLength(s.message) + 26;
          last = {
            timestamp: Date.parse(s['@timestamp']),
            message: s.message,
            logStream: s.logStream,
            logGroup: s.logGroup,
            ingestionTime: Date.parse(s.ingestionTime),
            eventId: s.eventId,
          };
          pipeline.push(last);
          if (pipeline.satisfied) break; // `limit any N`: stop scanning once N events matched
        }
        q.statistics.recordsMatched = pipeline.matched;
        if (last === undefined || pipeline.satisfied || hits.length < SCAN_PAGE || q.statistics.recordsScanned >= MAX_SCANNED) break;
        after = [last.timestamp, last.eventId];
        await new Promise((r) => setImmediate(r)); // let GetQueryResults observe progress
      }
      q.results = pipeline.finish(limit);
      q.status = 'Complete';
    } catch (err) {
      q.error = err;
      if (!q.cancel) q.status = 'Failed';
    } finally {
      q.finishedAt ??= this.host.now();
    }
  }
}

function groupParametersGiven(input: AwsInput): boolean {
  return ['logGroupName', 'logGroupNames', 'logGroupIdentifiers'].some((k) => input[k] !== undefined && input[k] !== null);
}

/**
 * The groups a SOURCE command selects, by name: those starting with any namePrefix (all when none is
 * given), in one of the classes (STANDARD when none is given), in one of the accounts (Lookout has one,
 * ACCOUNT_ID; all when none is given). The docs' limits on how many prefixes and accounts are the parser's.
 */
export function selectSourceGroups(source: LogGroupSource, groups: { name: string; logGroupClass: string }[]): string[] {
  if (source.accountIdentifiers.length > 0 && !source.accountIdentifiers.includes(ACCOUNT_ID)) return [];
  const classes = source.classes.length > 0 ? source.classes : ['STANDARD'];
  return groups
    .filter((g) => classes.includes(g.logGroupClass))
    .filter((g) => source.namePrefix.length === 0 || source.namePrefix.some((p) => g.name.startsWith(p)))
    .map((g) => g.name)
    .sort();
}

/** Exactly one of logGroupName, logGroupNames, logGroupIdentifiers (≤ 50 groups). */
function queryGroups(input: AwsInput): string[] {
  const one = optString(input, 'logGroupName', invalid);
  const names = optList(input, 'logGroupNames', invalid);
  const ids = optList(input, 'logGroupIdentifiers', invalid);
  const given = [one, names, ids].filter((v) => v !== undefined).length;
  if (given !== 1) throw invalid('Exactly one of logGroupName, logGroupNames or logGroupIdentifiers must be specified, or a SOURCE command in the query.');
  const list = one !== undefined ? [one] : (names ?? ids!.map((id) => (typeof id === 'string' ? groupNameFromArn(id) : id)));
  if (list.length < 1 || list.length > 50) throw constraintError(names ? 'logGroupNames' : 'logGroupIdentifiers', list, 'Member must have length between 1 and 50');
  return list.map((g) => checkGroupName(g));
}

/**
 * Engine clauses implied by the query's leading filters (a superset of what they keep): `@message like
 * "text"`, `@message like /literal/`, `strcontains(@message, "text")` become wildcard clauses on runs
 * of letters and digits (see filter-pattern-match.ts), `@logStream = "s"` a term clause.
 */
export function insightsPrefilter(query: InsightsQuery): Record<string, unknown>[] {
  const clauses: Record<string, unknown>[] = [];
  for (const c of query.commands) {
    if (c.cmd === 'filter') clauses.push(...conjunctClauses(c.expr));
    else if (c.cmd === 'fields' && !redefinesSystemField(c)) continue;
    else if (c.cmd !== 'display' && c.cmd !== 'unmask') break;
  }
  return clauses;
}

function redefinesSystemField(c: Extract<Command, { cmd: 'fields' }>): boolean {
  return c.columns.some((col) => col.name.startsWith('@') && !(col.expr.k === 'field' && col.expr.name === col.name));
}

function conjunctClauses(e: Expr): Record<string, unknown>[] {
  if (e.k === 'and') return [...conjunctClauses(e.l), ...conjunctClauses(e.r)];
  const isField = (x: Expr, name: string) => x.k === 'field' && x.name === name;
  if (e.k === 'like' && !e.negated && isField(e.e, '@message')) {
    if (e.pattern.k === 'str') return runs(e.pattern.v);
    if (e.pattern.k === 'regex' && e.pattern.re.flags === '' && /^[A-Za-z0-9_ ]+$/.test(e.pattern.re.source)) return runs(e.pattern.re.source);
  }
  if (e.k === 'call' && e.fn === 'strcontains' && e.args.length === 2 && isField(e.args[0], '@message') && e.args[1].k === 'str') return runs(e.args[1].v);
  if (e.k === 'bin' && e.op === '=' && isField(e.l, '@logStream') && e.r.k === 'str') return [{ term: { logStream: e.r.v } }];
  return [];
}

function runs(text: string): Record<string, unknown>[] {
  return (text.match(/[A-Za-z0-9]{2,}/g) ?? []).map((r) => ({ wildcard: { message: { value: `*${r.toLowerCase()}*` } } }));
}
