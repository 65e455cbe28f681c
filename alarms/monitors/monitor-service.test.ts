import { describe, expect, it } from 'vitest';
import type { DocumentSink, SinkDocument, StagedWrite } from '../../ingest/document-sink.ts';
import type { AlertNotification, Notifier } from '../notifications/notifier.ts';
import { ALERT_INDEX, MonitorService } from './monitor-service.ts';
import type { Clock } from './monitor-scheduler.ts';

/** An in-memory DocumentSink: internal indices keep documents; the monitored index answers `result`. */
class FakeSink implements DocumentSink {
  docs = new Map<string, Map<string, Record<string, unknown>>>();
  result: Record<string, unknown> = { hits: { total: { value: 0 }, hits: [] } };
  async write(docs: SinkDocument[]) {
    return this.stage(docs).items;
  }
  stage(docs: SinkDocument[]): StagedWrite {
    const items = docs.map((d) => {
      const m = this.docs.get(d.index) ?? new Map();
      this.docs.set(d.index, m);
      m.set(d.id!, d.source);
      return { index: d.index, id: d.id!, status: 200 };
    });
    return { items, marks: [], durable: Promise.resolve() };
  }
  survived() { return true; }
  async search(index: string) {
    const m = this.docs.get(index);
    if (index.startsWith('.')) return { hits: { hits: [...(m ?? new Map()).entries()].map(([id, s]) => ({ _id: id, _source: s })) } };
    return this.result;
  }
  async deleteByQuery(index: string, query: Record<string, unknown>) {
    const ids = (query.ids as { values: string[] }).values;
    for (const id of ids) this.docs.get(index)?.delete(id);
    return ids.length;
  }
  async count() { return 0; }
  async get() { return null; }
  async putIndexTemplate() {}
  async listIndices() { return []; }
  async deleteIndices() {}
  async refresh() {}
}

class Recorder implements Notifier {
  sent: AlertNotification[] = [];
  async notify(n: AlertNotification) {
    this.sent.push(n);
    return { muted: false, notificationId: String(this.sent.length) };
  }
}

const clock: Clock & { t: number } = { t: Date.UTC(2024, 0, 1), now() { return this.t; }, setTimeout: () => 0, clearTimeout: () => undefined };

const buckets = (counts: Record<string, number>) => ({
  hits: { total: { value: Object.values(counts).reduce((a, b) => a + b, 0) }, hits: [] },
  aggregations: { by_host: { buckets: Object.entries(counts).map(([host, n]) => ({ key: { host }, doc_count: n })) } },
});

const monitor = {
  name: 'hosts', monitor_type: 'bucket_level_monitor', schedule: { period: { interval: 1, unit: 'MINUTES' } },
  inputs: [{ search: { indices: ['logs'], query: { size: 0 } } }],
  triggers: [{ bucket_level_trigger: {
    name: 'busy', severity: '3', lookout: { cooldown_seconds: 120 },
    condition: { buckets_path: { c: '_count' }, parent_bucket_path: 'by_host', script: { source: 'params.c >= 10' } },
    actions: [{ name: 'page', destination_id: 'pd', message_template: { source: '{{ctx.alert.bucket_keys}}' }, action_execution_policy: { action_execution_scope: { per_alert: { actionable_alerts: ['NEW'] } } } }],
  } }],
};

describe('MonitorService (fake sink, fake clock)', () => {
  it('per-bucket alerts with cooldown; NEW-only actions; history pruned past maxAlerts', async () => {
    const sink = new FakeSink();
    const notifier = new Recorder();
    const svc = new MonitorService({ sink, notifier, clock, maxAlerts: 3 });
    await svc.start();
    const { id } = await svc.create(monitor);
    const step = async (counts: Record<string, number>) => {
      clock.t += 60_000;
      sink.result = buckets(counts);
      await svc.executeSaved(id, false);
      return notifier.sent.splice(0).map((n) => `${n.kind}:${n.details!.bucket_keys}`);
    };
    expect(await step({ a: 12, b: 3 })).toEqual(['trigger:a']);
    expect(await step({ a: 15, b: 11 })).toEqual(['trigger:b']); // a is DEDUPED: not actionable
    expect(await step({ a: 2, b: 11 })).toEqual([]); // a cooling down
    expect(await step({ a: 2, b: 11 })).toEqual([]);
    expect(await step({ a: 2, b: 11 })).toEqual(['resolve:a']); // 120 s without breach
    expect(await step({ a: 20, c: 30, b: 1 })).toEqual(['trigger:a', 'trigger:c']);
    for (let i = 0; i < 3; i++) await step({ b: 1 });
    const states = svc.listAlerts({ monitorId: id }).alerts.map((a) => `${a.state}:${(a.agg_alert_content as { bucket_keys: string[] }).bucket_keys}`);
    // a (first), b, a (second) and c completed; only the 3 most recent alerts are kept.
    expect(states).toHaveLength(3);
    expect(sink.docs.get(ALERT_INDEX)!.size).toBe(3);
  });
});
