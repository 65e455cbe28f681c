// Turns one decided notification into the HTTP request its channel expects: Lookout's generic webhook
// event (signed with HMAC-SHA256), a Slack incoming-webhook message (spec §7.2) or a PagerDuty Events
// API v2 event (spec §7.1). Pure functions: the outbox sends what these return.

import { createHash, createHmac } from 'node:crypto';
import { PAGERDUTY_EVENTS_URL, type ChannelDoc } from './channels.ts';
import type { AlertNotification } from './notifier.ts';

/** An HTTP request ready to send. */
export interface OutboundRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The generic webhook event (documented in README): what happened, to what, and how to deduplicate it.
 * `id` is the outbox's notification id.
 */
export function webhookEvent(id: string, n: AlertNotification): Record<string, unknown> {
  return {
    version: '1.0',
    id,
    kind: n.kind,
    source: n.source,
    alarm: n.name,
    state: n.state,
    previous_state: n.previousState,
    reason: n.reason,
    time: new Date(n.time).toISOString(),
    severity: n.severity ?? null,
    dedup_key: n.dedupKey,
    idempotency_key: n.idempotencyKey,
    link: n.link ?? null,
    subject: n.subject ?? null,
    message: n.message ?? null,
    details: n.details ?? {},
  };
}

/** `sha256=<hex HMAC-SHA256 of the raw body>` — what `X-Lookout-Signature` carries. */
export function signBody(secret: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
}

/** PagerDuty caps dedup keys at 255 characters: longer keys are hashed, stably. */
export function pagerDutyDedupKey(dedupKey: string): string {
  return dedupKey.length <= 255 ? dedupKey : 'lookout:' + createHash('sha256').update(dedupKey).digest('hex');
}

/** Monitor severities are "1" (highest) to "5"; alarms may name PagerDuty's severities directly. */
export function pagerDutySeverity(severity: string | undefined, kind: AlertNotification['kind']): 'critical' | 'error' | 'warning' | 'info' {
  if (severity === 'critical' || severity === 'error' || severity === 'warning' || severity === 'info') return severity;
  if (kind === 'no_data') return 'warning';
  switch (severity) {
    case '1': return 'critical';
    case '2': return 'error';
    case '3': return 'warning';
    case '4':
    case '5': return 'info';
    default: return 'critical';
  }
}

function headline(n: AlertNotification): string {
  if (n.kind === 'resolve') return `RESOLVED: ${n.name}`;
  if (n.kind === 'no_data') return `NO DATA: ${n.name}`;
  return `${n.state}: ${n.name}`;
}

export function pagerDutyBody(channel: ChannelDoc, n: AlertNotification): Record<string, unknown> {
  const pd = channel.config.pagerduty!;
  const dedupKey = pagerDutyDedupKey(n.dedupKey);
  if (n.kind === 'resolve') return { routing_key: pd.routing_key, event_action: 'resolve', dedup_key: dedupKey };
  const summary = (n.subject ?? `${headline(n)} — ${n.reason}`).slice(0, 1024);
  const body: Record<string, unknown> = {
    routing_key: pd.routing_key,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary,
      source: n.source === 'monitor' ? `lookout monitor ${n.name}` : `lookout alarm ${n.name}`,
      severity: pagerDutySeverity(n.severity, n.kind),
      timestamp: new Date(n.time).toISOString(),
      class: n.kind,
      custom_details: { state: n.state, previous_state: n.previousState, reason: n.reason, ...(n.message ? { message: n.message } : {}), ...(n.details ?? {}) },
    },
    client: pd.client ?? 'Lookout',
  };
  const link = n.link ?? pd.client_url;
  if (link) {
    body.client_url = link;
    body.links = [{ href: link, text: n.source === 'monitor' ? 'Monitor' : 'Alarm' }];
  }
  return body;
}

const SLACK_COLORS: Record<AlertNotification['kind'], string> = { trigger: '#d00000', resolve: '#2eb886', no_data: '#a0a0a0' };
const SLACK_ICONS: Record<AlertNotification['kind'], string> = { trigger: '🔴', resolve: '✅', no_data: '⚪' };

export function slackBody(n: AlertNotification): Record<string, unknown> {
  const when = new Date(n.time).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  const text = n.message ?? `*Reason:* ${n.reason}`;
  const blocks: Array<Record<string, unknown>> = [
    { type: 'header', text: { type: 'plain_text', text: `${SLACK_ICONS[n.kind]} ${headline(n)}`.slice(0, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `${n.previousState} → ${n.state} · ${when}${n.link ? ` · <${n.link}|open>` : ''}` }] },
  ];
  return {
    text: n.subject ?? `${headline(n)} — ${n.reason}`,
    blocks,
    attachments: [{ color: SLACK_COLORS[n.kind], text: n.reason }],
  };
}

/** Builds the request for a channel; the idempotency headers go on every request. */
export function buildRequest(channel: ChannelDoc, id: string, n: AlertNotification, attempt: number): OutboundRequest {
  const common: Record<string, string> = {
    'idempotency-key': n.idempotencyKey,
    'x-lookout-idempotency-key': n.idempotencyKey,
    'x-lookout-notification-id': id,
    'x-lookout-attempt': String(attempt),
    'user-agent': 'Lookout-Notifications/1.0',
  };
  const c = channel.config;
  switch (c.config_type) {
    case 'slack':
      return { url: c.slack!.url, method: 'POST', headers: { 'content-type': 'application/json', ...common }, body: JSON.stringify(slackBody(n)) };
    case 'pagerduty':
      return { url: c.pagerduty!.url ?? PAGERDUTY_EVENTS_URL, method: 'POST', headers: { 'content-type': 'application/json', ...common }, body: JSON.stringify(pagerDutyBody(channel, n)) };
    case 'webhook': {
      const w = c.webhook!;
      // As OpenSearch's custom webhook, a rendered message template is the body verbatim; otherwise the event.
      const body = n.message !== undefined ? n.message : JSON.stringify(webhookEvent(id, n));
      const headers: Record<string, string> = { 'content-type': 'application/json', ...lowerKeys(w.header_params ?? {}), ...common };
      if (w.secret) headers['x-lookout-signature'] = signBody(w.secret, body);
      return { url: w.url, method: w.method ?? 'POST', headers, body };
    }
  }
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}
