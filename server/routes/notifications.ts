// Notification channels in OpenSearch's Notifications API shape (`/_plugins/_notifications/configs`),
// plus Lookout's mute windows (`/_plugins/_lookout/mutes`) and delivery log
// (`/_plugins/_lookout/notifications`). Handlers validate and call node.notifier's stores.

import type { FastifyInstance } from 'fastify';
import { OpenSearchError, illegalArgument } from '../../index/errors.ts';
import { parseChannelConfig, renderChannel, channelNotFound, type ChannelDoc } from '../../alarms/notifications/channels.ts';
import type { OutboxEntry } from '../../alarms/notifications/outbox.ts';
import { muteActive } from '../../alarms/notifications/mutes.ts';
import type { LookoutNode } from '../node.ts';
import { intParam, jsonBody, send, type Req } from '../http.ts';

function configList(req: Req, docs: ChannelDoc[]): Record<string, unknown> {
  const from = intParam(req, 'from_index') ?? 0;
  const max = intParam(req, 'max_items') ?? 100;
  return { start_index: from, total_hits: docs.length, total_hit_relation: 'eq', config_list: docs.slice(from, from + max).map(renderChannel) };
}

/** A delivery log entry as the UI shows it. */
function renderEntry(e: OutboxEntry): Record<string, unknown> {
  const n = e.notification;
  return {
    id: e.id,
    channel_id: n.channelId,
    source: n.source,
    name: n.name,
    kind: n.kind,
    state: n.state,
    previous_state: n.previousState,
    reason: n.reason,
    severity: n.severity,
    dedup_key: n.dedupKey,
    idempotency_key: n.idempotencyKey,
    time: n.time,
    created_time: e.created_time,
    status: e.status,
    delivered_time: e.delivered_time,
    muted_by: e.muted_by,
    attempts: e.attempts,
  };
}

/** `/_plugins/_notifications/…` and Lookout's `/_plugins/_lookout/{mutes,notifications}` over `node.notifier`. */
export function registerNotificationRoutes(app: FastifyInstance, node: LookoutNode): void {
  const notifier = node.notifier;

  app.post('/_plugins/_notifications/configs', async (request, reply) => {
    const req = request as Req;
    const body = jsonBody(req);
    if (!body) throw illegalArgument('request body is required');
    const id = body.config_id;
    if (id !== undefined && typeof id !== 'string') throw illegalArgument('config_id must be a string');
    const doc = await notifier.channels.create(id as string | undefined, parseChannelConfig(body.config));
    return send(req, reply, 200, { config_id: doc.config_id });
  });

  app.get('/_plugins/_notifications/configs', async (request, reply) => {
    const req = request as Req;
    const ids = req.query.config_id_list?.split(',') ?? (req.query.config_id ? [req.query.config_id] : undefined);
    const types = req.query.config_type?.split(',');
    const docs = notifier.channels.list().filter((d) => (!ids || ids.includes(d.config_id)) && (!types || types.includes(d.config.config_type)));
    return send(req, reply, 200, configList(req, docs));
  });

  app.get('/_plugins/_notifications/configs/:id', async (request, reply) => {
    const req = request as Req;
    const doc = notifier.channels.get(req.params.id);
    if (!doc) throw channelNotFound(req.params.id);
    return send(req, reply, 200, configList(req, [doc]));
  });

  app.put('/_plugins/_notifications/configs/:id', async (request, reply) => {
    const req = request as Req;
    const body = jsonBody(req);
    if (!body) throw illegalArgument('request body is required');
    const doc = await notifier.channels.update(req.params.id, parseChannelConfig(body.config));
    return send(req, reply, 200, { config_id: doc.config_id });
  });

  app.delete('/_plugins/_notifications/configs/:id', async (request, reply) => {
    const req = request as Req;
    await notifier.channels.delete(req.params.id);
    return send(req, reply, 200, { delete_response_list: { [req.params.id]: 'OK' } });
  });

  app.get('/_plugins/_notifications/channels', async (request, reply) => {
    const req = request as Req;
    const list = notifier.channels.list().map((d) => ({ config_id: d.config_id, name: d.config.name, description: d.config.description, config_type: d.config.config_type, is_enabled: d.config.is_enabled }));
    return send(req, reply, 200, { start_index: 0, total_hits: list.length, total_hit_relation: 'eq', channel_list: list });
  });

  app.get('/_plugins/_notifications/features', async (request, reply) => {
    return send(request as Req, reply, 200, { allowed_config_type_list: ['slack', 'webhook', 'pagerduty'], plugin_features: { tooltip_support: 'false' } });
  });

  // Sends a test message now (not through the outbox), as OpenSearch's "send test message".
  const sendTest = async (request: unknown, reply: Parameters<typeof send>[1]) => {
    const req = request as Req;
    const doc = notifier.channels.get(req.params.id);
    if (!doc) throw channelNotFound(req.params.id);
    const res = await notifier.sendTest(req.params.id);
    return send(req, reply, 200, {
      event_source: { title: 'Test message', reference_id: req.params.id, severity: 'info', tags: [] },
      status_list: [{ config_id: doc.config_id, config_type: doc.config.config_type, config_name: doc.config.name, email_recipient_status: [], delivery_status: { status_code: String(res.status), status_text: res.text } }],
    });
  };
  app.get('/_plugins/_notifications/feature/test/:id', sendTest);
  app.post('/_plugins/_notifications/feature/test/:id', sendTest);

  // --- Lookout: mute windows ---
  app.get('/_plugins/_lookout/mutes', async (request, reply) => {
    const now = Date.now();
    return send(request as Req, reply, 200, { mutes: notifier.mutes.list().map((m) => ({ ...m, active: muteActive(m, now) })) });
  });
  app.get('/_plugins/_lookout/mutes/:id', async (request, reply) => {
    const req = request as Req;
    return send(req, reply, 200, notifier.mutes.get(req.params.id));
  });
  app.post('/_plugins/_lookout/mutes', async (request, reply) => {
    const req = request as Req;
    const body = jsonBody(req);
    if (!body) throw illegalArgument('request body is required');
    return send(req, reply, 201, await notifier.mutes.put(body));
  });
  app.put('/_plugins/_lookout/mutes/:id', async (request, reply) => {
    const req = request as Req;
    const body = jsonBody(req);
    if (!body) throw illegalArgument('request body is required');
    return send(req, reply, 200, await notifier.mutes.put(body, req.params.id));
  });
  app.delete('/_plugins/_lookout/mutes/:id', async (request, reply) => {
    const req = request as Req;
    await notifier.mutes.delete(req.params.id);
    return send(req, reply, 200, { acknowledged: true });
  });

  // --- Lookout: delivery log ---
  app.get('/_plugins/_lookout/notifications', async (request, reply) => {
    const req = request as Req;
    const q = req.query;
    const entries = notifier.log({ channel: q.channel, source: q.source, name: q.name, status: q.status, dedupKey: q.dedup_key });
    const from = intParam(req, 'from') ?? 0;
    const size = intParam(req, 'size') ?? 100;
    return send(req, reply, 200, { total: entries.length, notifications: entries.slice(from, from + size).map(renderEntry) });
  });
  app.get('/_plugins/_lookout/notifications/:id', async (request, reply) => {
    const req = request as Req;
    const e = notifier.outbox.get(req.params.id);
    if (!e) throw new OpenSearchError('resource_not_found_exception', `notification [${req.params.id}] not found`, 404);
    return send(req, reply, 200, renderEntry(e));
  });
}
