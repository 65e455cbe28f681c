// `GET|PUT _cluster/settings`: persistent and transient cluster settings kept by IndicesService (the
// persistent ones survive restarts). Only settings OpenSearch knows are accepted, each validated like
// its Setting type; null removes a setting (or every key under a `prefix.*`).

import type { FastifyInstance } from 'fastify';
import { actionRequestValidation, illegalArgument, OpenSearchError } from '../../index/errors.ts';
import { flattenSettings, parseTimeValue, type FlatSettings } from '../../index/indices/settings.ts';
import type { IndicesService } from '../../index/indices/indices-service.ts';
import type { LookoutNode } from '../node.ts';
import { boolParam, jsonBody, send, type Req } from '../http.ts';
import { renderSettings } from './indices.ts';

type Kind = 'int' | 'bool' | 'time' | 'string' | 'ratio' | 'bytes';

/** Dynamic cluster settings Lookout accepts, with OpenSearch's defaults and value types. */
const KNOWN: Record<string, { dflt: string; kind: Kind; min?: number }> = {
  'action.auto_create_index': { dflt: 'true', kind: 'string' },
  'action.destructive_requires_name': { dflt: 'false', kind: 'bool' },
  'cluster.max_shards_per_node': { dflt: '1000', kind: 'int', min: 1 },
  'cluster.blocks.read_only': { dflt: 'false', kind: 'bool' },
  'cluster.blocks.read_only_allow_delete': { dflt: 'false', kind: 'bool' },
  'cluster.indices.close.enable': { dflt: 'true', kind: 'bool' },
  'cluster.routing.allocation.enable': { dflt: 'all', kind: 'string' },
  'cluster.routing.allocation.disk.threshold_enabled': { dflt: 'true', kind: 'bool' },
  'cluster.routing.allocation.disk.watermark.low': { dflt: '85%', kind: 'ratio' },
  'cluster.routing.allocation.disk.watermark.high': { dflt: '90%', kind: 'ratio' },
  'cluster.routing.allocation.disk.watermark.flood_stage': { dflt: '95%', kind: 'ratio' },
  'cluster.routing.rebalance.enable': { dflt: 'all', kind: 'string' },
  'indices.breaker.total.limit': { dflt: '95%', kind: 'ratio' },
  'indices.breaker.request.limit': { dflt: '60%', kind: 'ratio' },
  'indices.breaker.fielddata.limit': { dflt: '40%', kind: 'ratio' },
  'indices.recovery.max_bytes_per_sec': { dflt: '40mb', kind: 'bytes' },
  'indices.id_field_data.enabled': { dflt: 'true', kind: 'bool' },
  'search.max_buckets': { dflt: '65535', kind: 'int', min: 0 },
  'search.allow_expensive_queries': { dflt: 'true', kind: 'bool' },
  'search.default_search_timeout': { dflt: '-1', kind: 'time' },
  'search.default_allow_partial_results': { dflt: 'true', kind: 'bool' },
  'search.default_keep_alive': { dflt: '5m', kind: 'time' },
  'search.max_keep_alive': { dflt: '24h', kind: 'time' },
  'search.max_open_scroll_context': { dflt: '500', kind: 'int', min: 0 },
  'search.max_open_pit_context': { dflt: '300', kind: 'int', min: 0 },
  'search.low_level_cancellation': { dflt: 'true', kind: 'bool' },
  'search.cancel_after_time_interval': { dflt: '-1', kind: 'time' },
};

/** Families accepted with any value (upstream has many settings under them; we store, not enforce). */
const FAMILIES = ['cluster.routing.allocation.', 'indices.', 'logger.', 'search.'];

function validate(scope: string, key: string, value: string | string[]): void {
  const def = KNOWN[key];
  if (!def) {
    if (FAMILIES.some((f) => key.startsWith(f) && key.length > f.length)) return;
    throw illegalArgument(`${scope} setting [${key}], not recognized`);
  }
  const v = Array.isArray(value) ? value.join(',') : value;
  const fail = () => illegalArgument(`Failed to parse value [${v}] for setting [${key}]`);
  switch (def.kind) {
    case 'int': {
      if (!/^-?\d+$/.test(v)) throw fail();
      if (def.min !== undefined && Number(v) < def.min) throw illegalArgument(`Failed to parse value [${v}] for setting [${key}] must be >= ${def.min}`);
      break;
    }
    case 'bool':
      if (v !== 'true' && v !== 'false') throw illegalArgument(`Failed to parse value [${v}] as only [true] or [false] are allowed.`);
      break;
    case 'time':
      parseTimeValue(v, 0, key);
      break;
    case 'ratio':
      if (!/^\d+(\.\d+)?%?$|^\d+(\.\d+)?(b|kb|mb|gb|tb|pb)$/i.test(v)) throw fail();
      break;
    case 'bytes':
      if (!/^\d+(\.\d+)?(b|kb|mb|gb|tb|pb)?$/i.test(v) && v !== '-1') throw fail();
      break;
    case 'string':
      break;
  }
}

/** Applies one scope's update to `target`; returns the non-null updates (the response echoes them). */
function applyScope(target: FlatSettings, update: FlatSettings): FlatSettings {
  const applied: FlatSettings = {};
  for (const [k, v] of Object.entries(update)) {
    if (v === null || v === undefined) {
      if (k.endsWith('*')) {
        const prefix = k.slice(0, -1);
        for (const key of Object.keys(target)) if (key.startsWith(prefix)) delete target[key];
      } else {
        delete target[k];
      }
      continue;
    }
    target[k] = v;
    applied[k] = v;
  }
  return applied;
}

/** Refuses wildcard and `_all` index deletion when `action.destructive_requires_name` is set. */
export function checkDestructiveRequiresName(indices: IndicesService, expression: string): void {
  if (indices.clusterSetting('action.destructive_requires_name') !== 'true') return;
  const parts = expression.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '_all' || p === '*' || (p.includes('*') && !p.startsWith('-')))) {
    throw illegalArgument('Wildcard expressions or all indices are not allowed');
  }
}

export function registerClusterSettingsRoutes(app: FastifyInstance, node: LookoutNode): void {
  const indices = node.indices;
  app.get('/_cluster/settings', async (request, reply) => {
    const req = request as Req;
    const flat = boolParam(req, 'flat_settings');
    const body: Record<string, unknown> = {
      persistent: renderSettings(indices.persistentSettings, flat),
      transient: renderSettings(indices.transientSettings, flat),
    };
    if (boolParam(req, 'include_defaults')) {
      const defaults: FlatSettings = { 'cluster.name': 'lookout' };
      for (const [k, d] of Object.entries(KNOWN)) {
        if (indices.persistentSettings[k] === undefined && indices.transientSettings[k] === undefined) defaults[k] = d.dflt;
      }
      body.defaults = renderSettings(defaults, flat);
    }
    return send(req, reply, 200, body);
  });

  app.put('/_cluster/settings', async (request, reply) => {
    const req = request as Req;
    const body = jsonBody(req) ?? {};
    const scopes: Array<['persistent' | 'transient', FlatSettings]> = [];
    for (const scope of ['persistent', 'transient'] as const) {
      const raw = body[scope];
      if (raw === undefined || raw === null) continue;
      if (typeof raw !== 'object' || Array.isArray(raw)) throw new OpenSearchError('parsing_exception', `[${scope}] must be an object`, 400);
      scopes.push([scope, flattenSettings(raw)]);
    }
    if (scopes.every(([, s]) => Object.keys(s).length === 0)) throw actionRequestValidation(['no settings to update']);
    // Validate everything before changing anything.
    for (const [scope, s] of scopes) {
      for (const [k, v] of Object.entries(s)) {
        if (v !== null && v !== undefined) validate(scope, k, v);
        else if (!k.endsWith('*') && !KNOWN[k] && !FAMILIES.some((f) => k.startsWith(f))) throw illegalArgument(`${scope} setting [${k}], not recognized`);
      }
    }
    const out: Record<string, FlatSettings> = { persistent: {}, transient: {} };
    for (const [scope, s] of scopes) {
      const target = scope === 'persistent' ? { ...indices.persistentSettings } : { ...indices.transientSettings };
      out[scope] = applyScope(target, s);
      if (scope === 'persistent') indices.persistentSettings = target;
      else indices.transientSettings = target;
    }
    indices.persist();
    const flat = boolParam(req, 'flat_settings');
    return send(req, reply, 200, { acknowledged: true, persistent: renderSettings(out.persistent, flat), transient: renderSettings(out.transient, flat) });
  });
}
