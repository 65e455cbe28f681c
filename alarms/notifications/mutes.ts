// Mute windows (`/_plugins/_lookout/mutes`): a one-off window (start/end) or a recurring one (cron +
// time zone + duration), scoped by alarm/monitor name patterns, channel ids or source. The notifier
// consults them before queueing: a muted notification is answered `{muted:true}` and never sent.

import { randomUUID } from 'node:crypto';
import { CronExpressionParser } from 'cron-parser';
import { OpenSearchError, illegalArgument } from '../../index/errors.ts';
import type { DocumentSink } from '../../ingest/document-sink.ts';
import { InternalStore } from './internal-store.ts';
import type { AlertNotification } from './notifier.ts';

export const MUTE_INDEX = '.lookout-mutes';

export interface MuteWindow {
  id: string;
  name: string;
  /** One-off window, epoch ms (ISO strings accepted on input). */
  start_time?: number;
  end_time?: number;
  /** Recurring window: starts at each cron occurrence and lasts `duration_seconds`. */
  cron?: { expression: string; timezone?: string };
  duration_seconds?: number;
  /** Name patterns (`*` wildcards) of alarms/monitors; empty = every name. */
  names?: string[];
  /** Channel ids; empty = every channel. */
  channels?: string[];
  /** `metric_alarm` or `monitor`; absent = both. */
  source?: AlertNotification['source'];
  created_time: number;
}

function time(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  const t = typeof v === 'number' ? v : Date.parse(String(v));
  if (!Number.isFinite(t)) throw illegalArgument(`${field} [${String(v)}] is not a date (epoch ms or ISO-8601)`);
  return t;
}

function strings(v: unknown, field: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw illegalArgument(`${field} must be a list of strings`);
  return v as string[];
}

/** Validates a mute window body. */
export function parseMute(raw: Record<string, unknown>, id: string, now: number): MuteWindow {
  for (const k of Object.keys(raw)) {
    if (!['name', 'start_time', 'end_time', 'cron', 'duration_seconds', 'names', 'channels', 'source'].includes(k)) throw illegalArgument(`unknown field [${k}] in mute window`);
  }
  const m: MuteWindow = { id, name: typeof raw.name === 'string' ? raw.name : id, created_time: now };
  m.start_time = time(raw.start_time, 'start_time');
  m.end_time = time(raw.end_time, 'end_time');
  if (raw.cron !== undefined) {
    const c = raw.cron as { expression?: unknown; timezone?: unknown };
    if (!c || typeof c.expression !== 'string') throw illegalArgument('cron.expression is required');
    const tz = typeof c.timezone === 'string' ? c.timezone : undefined;
    try {
      CronExpressionParser.parse(c.expression, { tz });
    } catch (err) {
      throw illegalArgument(`invalid cron [${c.expression}]: ${(err as Error).message}`);
    }
    m.cron = { expression: c.expression, timezone: tz };
    const d = raw.duration_seconds;
    if (typeof d !== 'number' || !(d > 0)) throw illegalArgument('duration_seconds (> 0) is required with cron');
    m.duration_seconds = d;
  } else if (m.end_time === undefined) {
    throw illegalArgument('a mute window needs end_time (with optional start_time) or cron + duration_seconds');
  }
  if (m.start_time !== undefined && m.end_time !== undefined && m.end_time <= m.start_time) throw illegalArgument('end_time must be after start_time');
  m.names = strings(raw.names, 'names');
  m.channels = strings(raw.channels, 'channels');
  if (raw.source !== undefined) {
    if (raw.source !== 'metric_alarm' && raw.source !== 'monitor') throw illegalArgument('source must be metric_alarm or monitor');
    m.source = raw.source;
  }
  return m;
}

function globMatch(pattern: string, s: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return re.test(s);
}

/** Whether the window is open at `now`. */
export function muteActive(m: MuteWindow, now: number): boolean {
  if (m.cron) {
    if (m.start_time !== undefined && now < m.start_time) return false;
    if (m.end_time !== undefined && now >= m.end_time) return false;
    // The latest occurrence at or before now opened a window of duration_seconds.
    const it = CronExpressionParser.parse(m.cron.expression, { tz: m.cron.timezone, currentDate: new Date(now + 1) });
    const last = it.prev().getTime();
    return now < last + m.duration_seconds! * 1000;
  }
  return (m.start_time === undefined || now >= m.start_time) && now < m.end_time!;
}

/** Whether the window's scope covers a notification. */
export function muteCovers(m: MuteWindow, n: AlertNotification): boolean {
  if (m.source && m.source !== n.source) return false;
  if (m.channels?.length && !m.channels.includes(n.channelId)) return false;
  if (m.names?.length && !m.names.some((p) => globMatch(p, n.name))) return false;
  return true;
}

/** The mute windows, stored in MUTE_INDEX; answers whether a notification falls in one. */
export class MuteStore {
  private readonly store: InternalStore<MuteWindow>;

  constructor(sink: DocumentSink) {
    this.store = new InternalStore<MuteWindow>(sink, MUTE_INDEX, { dynamic: false, properties: { name: { type: 'keyword' } } });
  }

  load(): Promise<void> {
    return this.store.load();
  }

  list(): MuteWindow[] {
    return this.store.all().map((s) => s.doc).sort((a, b) => a.created_time - b.created_time);
  }

  get(id: string): MuteWindow {
    const m = this.store.get(id)?.doc;
    if (!m) throw new OpenSearchError('resource_not_found_exception', `mute window [${id}] not found`, 404);
    return m;
  }

  async put(raw: Record<string, unknown>, id: string = randomUUID(), now = Date.now()): Promise<MuteWindow> {
    const prev = this.store.get(id)?.doc;
    const m = parseMute(raw, id, prev?.created_time ?? now);
    await this.store.put(id, m);
    return m;
  }

  async delete(id: string): Promise<void> {
    if (!(await this.store.delete(id))) throw new OpenSearchError('resource_not_found_exception', `mute window [${id}] not found`, 404);
  }

  /** The first window muting this notification at `now`, if any. */
  mutedBy(n: AlertNotification, now: number): MuteWindow | undefined {
    return this.list().find((m) => muteCovers(m, n) && muteActive(m, now));
  }
}
