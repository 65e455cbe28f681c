// Notification channels in the shape of OpenSearch's Notifications plugin
// (`/_plugins/_notifications/configs`): `webhook` and `slack` as OpenSearch has them, and `pagerduty`
// as Lookout's own config type. Stored in an internal index; the outbox reads them at delivery time.

import { randomUUID } from 'node:crypto';
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { OpenSearchError, illegalArgument } from '../../index/errors.ts';
import type { DocumentSink } from '../../ingest/document-sink.ts';
import { InternalStore, type Stored } from './internal-store.ts';

export const CHANNEL_INDEX = '.opensearch-notifications-config';
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export interface WebhookConfig {
  url: string;
  method?: 'POST' | 'PUT' | 'PATCH';
  header_params?: Record<string, string>;
  /** Lookout: HMAC-SHA256 key for `X-Lookout-Signature`. */
  secret?: string;
}
export interface SlackConfig {
  url: string;
}
export interface PagerDutyConfig {
  routing_key: string;
  /** Defaults to PagerDuty's Events API v2 endpoint; tests point it at a local receiver. */
  url?: string;
  client?: string;
  client_url?: string;
}

/** The `config` object of a channel. */
export interface ChannelConfig {
  name: string;
  description?: string;
  config_type: 'webhook' | 'slack' | 'pagerduty';
  is_enabled: boolean;
  webhook?: WebhookConfig;
  slack?: SlackConfig;
  pagerduty?: PagerDutyConfig;
}

export interface ChannelDoc {
  config_id: string;
  created_time_ms: number;
  last_updated_time_ms: number;
  config: ChannelConfig;
}

const TYPES = ['webhook', 'slack', 'pagerduty'] as const;

function str(v: unknown, field: string, required = true): string | undefined {
  if (v === undefined || v === null) {
    if (required) throw illegalArgument(`${field} is required`);
    return undefined;
  }
  if (typeof v !== 'string') throw illegalArgument(`${field} must be a string`);
  return v;
}

function httpUrl(v: unknown, field: string): string {
  const s = str(v, field)!;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw illegalArgument(`${field} [${s}] is not a valid URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw illegalArgument(`${field} must be an http or https URL`);
  return s;
}

function onlyKeys(obj: Record<string, unknown>, allowed: string[], where: string): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) throw illegalArgument(`unknown field [${k}] in ${where}`);
}

/** Validates the `config` object of a create/update request. */
export function parseChannelConfig(raw: unknown): ChannelConfig {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw illegalArgument('config is required');
  const c = raw as Record<string, unknown>;
  const type = c.config_type;
  if (!TYPES.includes(type as never)) throw illegalArgument(`config_type [${String(type)}] is not supported (webhook, slack, pagerduty)`);
  onlyKeys(c, ['name', 'description', 'config_type', 'is_enabled', 'webhook', 'slack', 'pagerduty'], 'config');
  const out: ChannelConfig = {
    name: str(c.name, 'config.name')!,
    description: str(c.description, 'config.description', false) ?? '',
    config_type: type as ChannelConfig['config_type'],
    is_enabled: c.is_enabled === undefined ? true : c.is_enabled === true,
  };
  const body = c[type as string] as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object') throw illegalArgument(`config.${String(type)} is required for config_type [${String(type)}]`);
  if (type === 'webhook') {
    onlyKeys(body, ['url', 'method', 'header_params', 'secret'], 'config.webhook');
    const method = (str(body.method, 'config.webhook.method', false) ?? 'POST').toUpperCase();
    if (!['POST', 'PUT', 'PATCH'].includes(method)) throw illegalArgument(`config.webhook.method [${method}] must be POST, PUT or PATCH`);
    const headers = (body.header_params ?? {}) as Record<string, unknown>;
    if (typeof headers !== 'object' || Array.isArray(headers) || Object.values(headers).some((v) => typeof v !== 'string')) {
      throw illegalArgument('config.webhook.header_params must be an object of strings');
    }
    // A header fetch would refuse (a space in the name, a line break in the value) fails every delivery
    // with a TypeError, retried as if the receiver were down: refuse it here instead.
    for (const [name, value] of Object.entries(headers)) {
      try {
        validateHeaderName(name);
        validateHeaderValue(name, value as string);
      } catch (err) {
        throw illegalArgument(`config.webhook.header_params [${name}] is not a valid HTTP header: ${(err as Error).message}`);
      }
    }
    out.webhook = { url: httpUrl(body.url, 'config.webhook.url'), method: method as WebhookConfig['method'], header_params: headers as Record<string, string> };
    const secret = str(body.secret, 'config.webhook.secret', false);
    if (secret) out.webhook.secret = secret;
  } else if (type === 'slack') {
    onlyKeys(body, ['url'], 'config.slack');
    out.slack = { url: httpUrl(body.url, 'config.slack.url') };
  } else {
    onlyKeys(body, ['routing_key', 'url', 'client', 'client_url'], 'config.pagerduty');
    out.pagerduty = { routing_key: str(body.routing_key, 'config.pagerduty.routing_key')! };
    if (body.url !== undefined) out.pagerduty.url = httpUrl(body.url, 'config.pagerduty.url');
    const client = str(body.client, 'config.pagerduty.client', false);
    const clientUrl = str(body.client_url, 'config.pagerduty.client_url', false);
    if (client) out.pagerduty.client = client;
    if (clientUrl) out.pagerduty.client_url = clientUrl;
  }
  return out;
}

/** A channel as the GET APIs show it: the webhook secret is never echoed back. */
export function renderChannel(doc: ChannelDoc): Record<string, unknown> {
  const config = structuredClone(doc.config) as ChannelConfig & { webhook?: WebhookConfig & { has_secret?: boolean } };
  if (config.webhook?.secret) {
    delete config.webhook.secret;
    config.webhook.has_secret = true;
  }
  return { config_id: doc.config_id, last_updated_time_ms: doc.last_updated_time_ms, created_time_ms: doc.created_time_ms, config };
}

export const channelNotFound = (id: string): OpenSearchError =>
  new OpenSearchError('status_exception', `Channel with id [${id}] not found`, 404);

/** Channel configs: CRUD over the internal index, read from memory. */
export class ChannelStore {
  private readonly store: InternalStore<ChannelDoc>;

  constructor(sink: DocumentSink) {
    this.store = new InternalStore<ChannelDoc>(sink, CHANNEL_INDEX, {
      properties: { config_id: { type: 'keyword' }, config: { properties: { name: { type: 'keyword' }, config_type: { type: 'keyword' } } } },
    });
  }

  load(): Promise<void> {
    return this.store.load();
  }

  get(id: string): ChannelDoc | undefined {
    return this.store.get(id)?.doc;
  }

  list(): ChannelDoc[] {
    return this.store.all().map((s: Stored<ChannelDoc>) => s.doc).sort((a, b) => a.created_time_ms - b.created_time_ms);
  }

  async create(id: string | undefined, config: ChannelConfig, now = Date.now()): Promise<ChannelDoc> {
    const configId = id ?? randomUUID().replace(/-/g, '').slice(0, 20);
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(configId)) throw illegalArgument(`config_id [${configId}] may only contain letters, digits, '_' and '-'`);
    if (this.store.get(configId)) throw new OpenSearchError('version_conflict_engine_exception', `[${configId}]: version conflict, document already exists`, 409);
    const doc: ChannelDoc = { config_id: configId, created_time_ms: now, last_updated_time_ms: now, config };
    await this.store.put(configId, doc);
    return doc;
  }

  async update(id: string, config: ChannelConfig, now = Date.now()): Promise<ChannelDoc> {
    const prev = this.get(id);
    if (!prev) throw channelNotFound(id);
    // An update that omits the (never echoed) secret keeps the stored one.
    if (config.webhook && !config.webhook.secret && prev.config.webhook?.secret) config.webhook.secret = prev.config.webhook.secret;
    const doc: ChannelDoc = { ...prev, last_updated_time_ms: now, config };
    await this.store.put(id, doc);
    return doc;
  }

  async delete(id: string): Promise<void> {
    if (!(await this.store.delete(id))) throw channelNotFound(id);
  }
}
