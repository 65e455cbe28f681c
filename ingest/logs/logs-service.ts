// The CloudWatch Logs operations (specs/aws.md §3.1): log groups and streams, PutLogEvents,
// GetLogEvents, FilterLogEvents, retention and Logs Insights. Each handler checks its input, reads or
// changes the metadata store and reads or writes `cwl-*` documents through the DocumentSink.

import { join } from 'node:path';
import type { DocumentSink, SinkItemResult } from '../document-sink.ts';
import { optBoolean, optList, optNumber, optString, type AwsInput } from '../aws/aws-input.ts';
import { LOG_INDEX_TEMPLATE, LOG_INDEX_TEMPLATE_NAME, logGroupIndexPrefix } from './log-event-document.ts';
import { LogMetadataStore, LOGS_META_FILE, type LogGroupMeta, type LogStreamMeta } from './log-metadata-store.ts';
import { checkGroupName, checkRetentionDays, checkStreamName, groupArn, groupOf, streamArn } from './log-names.ts';
import { constraintError, logsErrors } from './logs-errors.ts';
import { buildDocuments, planBatch } from './put-log-events.ts';
import { LogEventReader, MAX_PAGE_EVENTS } from './log-event-reader.ts';
import { FilterPatternError, parseFilterPattern } from './filter-pattern.ts';
import { sweepRetention, type SweepResult } from './retention-sweeper.ts';
import { InsightsQueries } from './insights/insights-queries.ts';

const invalid = logsErrors.invalidParameter;
const LOG_GROUP_CLASSES = new Set(['STANDARD', 'INFREQUENT_ACCESS', 'ESSENTIALS', 'DELIVERY']);

export interface LogsServiceOptions {
  sink: DocumentSink;
  dataDir: string;
  /** Epoch ms; tests pass a fake clock. */
  clock?: () => number;
}

/** The CloudWatch Logs API of a node: groups, streams, PutLogEvents, reads, Insights and retention. */
export class LogsService {
  readonly meta: LogMetadataStore;
  readonly reader: LogEventReader;
  readonly queries: InsightsQueries;
  /** The clock every rule reads (PutLogEvents' age limits, retention, creation times). */
  now: () => number;
  private readonly sink: DocumentSink;
  private template: Promise<void> | null = null;
  /** Groups written since their indices were last refreshed: reads refresh them first (read-your-writes). */
  private readonly unrefreshed = new Set<string>();

  constructor(opts: LogsServiceOptions) {
    this.sink = opts.sink;
    this.now = opts.clock ?? Date.now;
    this.meta = new LogMetadataStore(join(opts.dataDir, LOGS_META_FILE));
    this.reader = new LogEventReader(this.sink);
    this.queries = new InsightsQueries(this.sink, {
      now: () => this.now(),
      groupExists: (g) => this.meta.groups.has(g),
      listGroups: () => [...this.meta.groups].map(([name, g]) => ({ name, logGroupClass: g.logGroupClass })),
      beforeRead: (groups) => Promise.all(groups.map((g) => this.refreshIfWritten(g))).then(() => undefined),
    });
  }

  /** Deletes events past each group's retention (or one group's) as of the service clock. */
  async sweepRetention(group?: string): Promise<SweepResult> {
    // Delete-by-query sees only refreshed documents.
    for (const name of this.meta.groups.keys()) if (group === undefined || group === name) await this.refreshIfWritten(name);
    return sweepRetention(this.sink, this.meta, this.now(), group);
  }

  /** The operation table registered on the AWS router. */
  operations(): Record<string, (input: AwsInput) => Promise<unknown>> {
    return {
      CreateLogGroup: (i) => this.createLogGroup(i),
      DeleteLogGroup: (i) => this.deleteLogGroup(i),
      DescribeLogGroups: (i) => this.describeLogGroups(i),
      CreateLogStream: (i) => this.createLogStream(i),
      DeleteLogStream: (i) => this.deleteLogStream(i),
      DescribeLogStreams: (i) => this.describeLogStreams(i),
      PutLogEvents: (i) => this.putLogEvents(i),
      GetLogEvents: (i) => this.getLogEvents(i),
      FilterLogEvents: (i) => this.filterLogEvents(i),
      PutRetentionPolicy: (i) => this.putRetentionPolicy(i),
      DeleteRetentionPolicy: (i) => this.deleteRetentionPolicy(i),
      StartQuery: async (i) => this.queries.start(i),
      GetQueryResults: async (i) => this.queries.results(i),
      StopQuery: async (i) => this.queries.stop(i),
    };
  }

  private requireGroup(name: string): LogGroupMeta {
    const g = this.meta.group(name);
    if (!g) throw logsErrors.groupNotFound();
    return g;
  }

  private requireStream(group: LogGroupMeta, name: string): LogStreamMeta {
    const s = group.streams.get(name);
    if (!s) throw logsErrors.streamNotFound();
    return s;
  }

  async createLogGroup(input: AwsInput): Promise<object> {
    const name = checkGroupName(input.logGroupName);
    const cls = optString(input, 'logGroupClass', invalid) ?? 'STANDARD';
    if (!LOG_GROUP_CLASSES.has(cls)) throw constraintError('logGroupClass', cls, `Member must satisfy enum value set: [${[...LOG_GROUP_CLASSES].join(', ')}]`);
    const tags = input.tags ?? {};
    if (tags === null || typeof tags !== 'object' || Array.isArray(tags) || Object.values(tags).some((v) => typeof v !== 'string')) throw invalid('tags must be a map of strings.');
    if (this.meta.groups.has(name)) throw logsErrors.groupExists();
    this.meta.groups.set(name, {
      creationTime: this.now(),
      logGroupClass: cls,
      kmsKeyId: optString(input, 'kmsKeyId', invalid),
      deletionProtectionEnabled: optBoolean(input, 'deletionProtectionEnabled', invalid),
      tags: tags as Record<string, string>,
      streams: new Map(),
    });
    await this.meta.save();
    return {};
  }

  /**
   * Log events that arrived another way than PutLogEvents (a CloudWatch Logs subscription delivered by
   * Firehose) were stored in their groups' `cwl-*` indices: their groups and streams are created if
   * new (as the subscription's source account has them) and their event times noted, so
   * DescribeLogGroups, DescribeLogStreams, GetLogEvents, FilterLogEvents and Insights see them. Names
   * CloudWatch would not accept are left out (their events stay readable through `cwl-*`). Resolves
   * once a new group or stream is saved (the delivery is answered after that, so a crash cannot keep
   * the events and lose their group); event times are saved within a second, as PutLogEvents' are.
   */
  noteDelivered(streams: Array<{ logGroup: string; logStream: string; first: number; last: number }>, ingestionMs: number): Promise<void> {
    let created = false;
    for (const { logGroup, logStream, first, last } of streams) {
      try {
        checkGroupName(logGroup);
        checkStreamName(logStream);
      } catch {
        continue;
      }
      let g = this.meta.groups.get(logGroup);
      if (!g) {
        g = { creationTime: this.now(), logGroupClass: 'STANDARD', tags: {}, streams: new Map() };
        this.meta.groups.set(logGroup, g);
        created = true;
      }
      let s = g.streams.get(logStream);
      if (!s) {
        s = { creationTime: this.now(), uploadSequence: 0 };
        g.streams.set(logStream, s);
        created = true;
      }
      if (s.firstEventTimestamp === undefined || first < s.firstEventTimestamp) s.firstEventTimestamp = first;
      if (s.lastEventTimestamp === undefined || last > s.lastEventTimestamp) s.lastEventTimestamp = last;
      s.lastIngestionTime = ingestionMs;
      this.unrefreshed.add(logGroup);
    }
    if (created) return this.meta.save();
    this.meta.saveSoon();
    return Promise.resolve();
  }

  async deleteLogGroup(input: AwsInput): Promise<object> {
    const name = checkGroupName(input.logGroupName);
    const g = this.requireGroup(name);
    if (g.deletionProtectionEnabled) throw logsErrors.operationAborted('Deletion protection is enabled for this log group.');
    this.meta.groups.delete(name);
    await this.meta.save();
    await this.sink.deleteIndices(`${logGroupIndexPrefix(name)}*`);
    return {};
  }

  /**
   * DescribeLogGroups, with AWS's request rules: logGroupNamePrefix and logGroupNamePattern exclude each
   * other, and beside logGroupIdentifiers the only other filter AWS allows is includeLinkedAccounts.
   */
  async describeLogGroups(input: AwsInput): Promise<object> {
    const prefix = optString(input, 'logGroupNamePrefix', invalid);
    const pattern = optString(input, 'logGroupNamePattern', invalid);
    if (prefix !== undefined && pattern !== undefined) throw invalid('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
    const limit = pageLimit(input, 50);
    const cls = optString(input, 'logGroupClass', invalid);
    const ids = optList(input, 'logGroupIdentifiers', invalid);
    if (ids !== undefined) {
      // The docs call logGroupClass a filter too ("limit the results to … the specified log group class").
      const others = Object.entries({ logGroupNamePrefix: prefix, logGroupNamePattern: pattern, logGroupClass: cls }).filter(([, v]) => v !== undefined).map(([k]) => k);
      if (others.length > 0) throw invalid(`logGroupIdentifiers cannot be combined with ${others.join(' or ')}; the only other filter allowed with logGroupIdentifiers is includeLinkedAccounts.`);
    }
    let names = [...this.meta.groups.keys()].sort();
    if (prefix !== undefined) names = names.filter((n) => n.startsWith(prefix));
    // A case-sensitive substring search (AWS: `Foo` matches `aws/Foo`, not `foo`).
    if (pattern !== undefined) names = names.filter((n) => n.includes(pattern));
    if (cls !== undefined) names = names.filter((n) => this.meta.groups.get(n)!.logGroupClass === cls);
    if (ids) {
      const wanted = new Set(ids.map((id) => String(id).replace(/^arn:[^:]+:logs:[^:]*:[^:]*:log-group:/, '').replace(/:\*$/, '')));
      names = names.filter((n) => wanted.has(n));
    }
    const { page, nextToken } = paginate(names, optString(input, 'nextToken', invalid), limit);
    const logGroups = [];
    for (const name of page) {
      const g = this.meta.groups.get(name)!;
      // With logGroupNamePattern AWS answers only arn, creationTime and logGroupName per group.
      if (pattern !== undefined) {
        logGroups.push({ logGroupName: name, creationTime: g.creationTime, arn: groupArn(name, true) });
        continue;
      }
      const indices = await this.sink.listIndices(`${logGroupIndexPrefix(name)}*`);
      logGroups.push({
        logGroupName: name,
        creationTime: g.creationTime,
        ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
        metricFilterCount: 0,
        arn: groupArn(name, true),
        logGroupArn: groupArn(name, false),
        storedBytes: indices.reduce((n, i) => n + i.bytes, 0),
        ...(g.kmsKeyId !== undefined ? { kmsKeyId: g.kmsKeyId } : {}),
        logGroupClass: g.logGroupClass,
        ...(g.deletionProtectionEnabled !== undefined ? { deletionProtectionEnabled: g.deletionProtectionEnabled } : {}),
      });
    }
    return { logGroups, ...(nextToken ? { nextToken } : {}) };
  }

  async createLogStream(input: AwsInput): Promise<object> {
    const g = this.requireGroup(checkGroupName(input.logGroupName));
    const name = checkStreamName(input.logStreamName);
    if (g.streams.has(name)) throw logsErrors.streamExists();
    g.streams.set(name, { creationTime: this.now(), uploadSequence: 0 });
    await this.meta.save();
    return {};
  }

  async deleteLogStream(input: AwsInput): Promise<object> {
    const groupName = checkGroupName(input.logGroupName);
    const g = this.requireGroup(groupName);
    const name = checkStreamName(input.logStreamName);
    this.requireStream(g, name);
    g.streams.delete(name);
    await this.meta.save();
    await this.refreshIfWritten(groupName); // delete-by-query sees only refreshed documents
    await this.sink.deleteByQuery(`${logGroupIndexPrefix(groupName)}*`, { bool: { filter: [{ term: { logGroup: groupName } }, { term: { logStream: name } }] } });
    return {};
  }

  async describeLogStreams(input: AwsInput): Promise<object> {
    const groupName = groupOf(input);
    const g = this.requireGroup(groupName);
    const prefix = optString(input, 'logStreamNamePrefix', invalid);
    const orderBy = optString(input, 'orderBy', invalid) ?? 'LogStreamName';
    if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') throw constraintError('orderBy', orderBy, 'Member must satisfy enum value set: [LogStreamName, LastEventTime]');
    if (orderBy === 'LastEventTime' && prefix !== undefined) throw invalid('Cannot order by LastEventTime with a logStreamNamePrefix.');
    const descending = optBoolean(input, 'descending', invalid) ?? false;
    const limit = pageLimit(input, 50);
    let names = [...g.streams.keys()];
    if (prefix !== undefined) names = names.filter((n) => n.startsWith(prefix));
    if (orderBy === 'LogStreamName') names.sort();
    else names.sort((a, b) => (g.streams.get(a)!.lastEventTimestamp ?? 0) - (g.streams.get(b)!.lastEventTimestamp ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
    if (descending) names.reverse();
    const keyOf = orderBy === 'LogStreamName' ? (n: string) => [n] : (n: string) => [g.streams.get(n)?.lastEventTimestamp ?? 0, n];
    const { page, nextToken } = paginate(names, optString(input, 'nextToken', invalid), limit, keyOf, descending);
    const logStreams = page.map((name) => {
      const s = g.streams.get(name)!;
      return {
        logStreamName: name,
        creationTime: s.creationTime,
        ...(s.firstEventTimestamp !== undefined
          ? { firstEventTimestamp: s.firstEventTimestamp, lastEventTimestamp: s.lastEventTimestamp, lastIngestionTime: s.lastIngestionTime }
          : {}),
        uploadSequenceToken: sequenceToken(s.uploadSequence),
        arn: streamArn(groupName, name),
        storedBytes: 0,
      };
    });
    return { logStreams, ...(nextToken ? { nextToken } : {}) };
  }

  /**
   * Not an async frame: once the documents are handed to the engine nothing here holds the batch (up to
   * 10,000 parsed events and their documents) while the write waits for its fsync.
   */
  putLogEvents(input: AwsInput): Promise<object> {
    const groupName = checkGroupName(input.logGroupName);
    const streamName = checkStreamName(input.logStreamName);
    const g = this.requireGroup(groupName);
    const s = this.requireStream(g, streamName);
    const now = this.now();
    const plan = planBatch(input.logEvents, now, g.retentionInDays);
    const rejected = plan.rejected;
    const answer = (): object => {
      s.uploadSequence++;
      this.meta.saveSoon();
      return { nextSequenceToken: sequenceToken(s.uploadSequence), ...(rejected ? { rejectedLogEventsInfo: rejected } : {}) };
    };
    if (plan.end <= plan.start) return Promise.resolve(answer());
    const first = plan.events[plan.start].timestamp;
    const last = plan.events[plan.end - 1].timestamp;
    const stored = (items: SinkItemResult[]): object => {
      const failed = items.find((it) => it.error);
      if (failed) throw logsErrors.serviceUnavailable(`The log events could not be stored: ${failed.error!.reason}`);
      this.unrefreshed.add(groupName);
      if (s.firstEventTimestamp === undefined || first < s.firstEventTimestamp) s.firstEventTimestamp = first;
      if (s.lastEventTimestamp === undefined || last > s.lastEventTimestamp) s.lastEventTimestamp = last;
      s.lastIngestionTime = now;
      return answer();
    };
    const unavailable = (err: unknown): never => {
      throw logsErrors.serviceUnavailable(`The log events could not be stored: ${(err as Error).message}`);
    };
    return this.ensureTemplate().then(() => {
      const docs = buildDocuments(groupName, streamName, plan, now);
      let written: Promise<SinkItemResult[]>;
      try {
        written = this.sink.write(docs);
      } catch (err) {
        return unavailable(err);
      }
      return written.then(stored, unavailable);
    });
  }

  async getLogEvents(input: AwsInput): Promise<object> {
    const groupName = groupOf(input);
    const streamName = checkStreamName(input.logStreamName);
    this.requireStream(this.requireGroup(groupName), streamName);
    await this.refreshIfWritten(groupName);
    return this.reader.getLogEvents(groupName, streamName, {
      startTime: optTime(input, 'startTime'),
      endTime: optTime(input, 'endTime'),
      nextToken: optString(input, 'nextToken', invalid),
      limit: pageLimit(input, MAX_PAGE_EVENTS),
      startFromHead: optBoolean(input, 'startFromHead', invalid) ?? false,
    });
  }

  async filterLogEvents(input: AwsInput): Promise<object> {
    const groupName = groupOf(input);
    this.requireGroup(groupName);
    const streams = optList(input, 'logStreamNames', invalid);
    const streamPrefix = optString(input, 'logStreamNamePrefix', invalid);
    if (streams && streamPrefix !== undefined) throw invalid('Parameters logStreamNames and logStreamNamePrefix are mutually exclusive.');
    if (streams && (streams.length < 1 || streams.length > 100)) throw constraintError('logStreamNames', streams, 'Member must have length between 1 and 100');
    let pattern;
    try {
      pattern = parseFilterPattern(optString(input, 'filterPattern', invalid) ?? '');
    } catch (err) {
      if (err instanceof FilterPatternError) throw invalid(err.message);
      throw err;
    }
    await this.refreshIfWritten(groupName);
    const page = await this.reader.filterLogEvents(groupName, {
      streams: streams?.map((s) => checkStreamName(s, 'logStreamNames')),
      streamPrefix,
      startTime: optTime(input, 'startTime'),
      endTime: optTime(input, 'endTime'),
      pattern,
      nextToken: optString(input, 'nextToken', invalid),
      limit: pageLimit(input, MAX_PAGE_EVENTS),
      startFromHead: optBoolean(input, 'startFromHead', invalid) ?? true,
    });
    return { events: page.events, searchedLogStreams: [], ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  async putRetentionPolicy(input: AwsInput): Promise<object> {
    const name = checkGroupName(input.logGroupName);
    const g = this.requireGroup(name);
    g.retentionInDays = checkRetentionDays(input.retentionInDays);
    await this.meta.save();
    return {};
  }

  async deleteRetentionPolicy(input: AwsInput): Promise<object> {
    const g = this.requireGroup(checkGroupName(input.logGroupName));
    delete g.retentionInDays;
    await this.meta.save();
    return {};
  }

  private ensureTemplate(): Promise<void> {
    this.template ??= this.sink.putIndexTemplate(LOG_INDEX_TEMPLATE_NAME, LOG_INDEX_TEMPLATE as unknown as Record<string, unknown>).catch((err) => {
      this.template = null;
      throw err;
    });
    return this.template;
  }

  private async refreshIfWritten(group: string): Promise<void> {
    if (!this.unrefreshed.delete(group)) return;
    await this.sink.refresh(`${logGroupIndexPrefix(group)}*`);
  }
}

/** A `startTime` / `endTime` (epoch ms): the model's minimum is 0. */
function optTime(input: AwsInput, name: string): number | undefined {
  const t = optNumber(input, name, invalid);
  if (t !== undefined && t < 0) throw constraintError(name, String(t), 'Member must have value greater than or equal to 0');
  return t;
}

/** `limit`: 1..max, default max. */
function pageLimit(input: AwsInput, max: number): number {
  const limit = optNumber(input, 'limit', invalid) ?? max;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw constraintError('limit', limit, `Member must have value between 1 and ${max}`);
  return limit;
}

/**
 * A page of `names` (already in the listing's order) after the item a nextToken names. The token holds
 * the last item's sort key (`keyOf`: the values the listing is ordered by, the name last), so the next
 * page starts after where that item stood even when it was deleted in between (a cleanup loop that
 * deletes each page before asking for the next one still sees every item).
 */
function paginate(names: string[], token: string | undefined, limit: number, keyOf: (name: string) => Array<string | number> = (n) => [n], descending = false): { page: string[]; nextToken?: string } {
  let start = 0;
  if (token !== undefined) {
    let key: unknown;
    try {
      const decoded = Buffer.from(token, 'base64url').toString('utf8');
      key = decoded.startsWith('k:') ? JSON.parse(decoded.slice(2)) : undefined;
    } catch {
      key = undefined;
    }
    if (!Array.isArray(key) || key.length === 0) throw invalid('The specified nextToken is invalid.');
    const after = (name: string): boolean => {
      const c = compareKeys(keyOf(name), key as Array<string | number>);
      return descending ? c < 0 : c > 0;
    };
    start = names.findIndex(after);
    if (start < 0) start = names.length;
  }
  const page = names.slice(start, start + limit);
  const more = start + limit < names.length;
  return { page, nextToken: more ? Buffer.from(`k:${JSON.stringify(keyOf(page[page.length - 1]))}`).toString('base64url') : undefined };
}

/** Orders sort keys element by element (numbers numerically, strings by code unit, as Array.sort). */
function compareKeys(a: Array<string | number>, b: Array<string | number>): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

/** A 56-digit sequence token in CloudWatch's style. */
function sequenceToken(n: number): string {
  return '49' + String(n).padStart(54, '0');
}
