// An index's mapping: the JSON as OpenSearch returns it, plus a compiled table of leaf fields
// (dotted paths, multi-fields included) that indexing and search look fields up in.

import { mapperParsing, illegalArgument, OpenSearchError } from '../errors.ts';
import { FIELD_TYPES, storageKindOf, type FieldInfo } from './field-types.ts';
import { validateDynamicTemplates } from './dynamic-templates.ts';

/** A mapping body as OpenSearch accepts and returns it (`{dynamic?, properties?, _source?, …}`). */
export type MappingJSON = Record<string, unknown> & { properties?: Record<string, FieldJSON> };
export type FieldJSON = Record<string, unknown> & { type?: string; properties?: Record<string, FieldJSON>; fields?: Record<string, FieldJSON> };

export const DEFAULT_DATE_FORMAT = 'strict_date_optional_time||epoch_millis';

const ROOT_PARAMS = new Set([
  'properties', 'dynamic', '_source', '_routing', 'date_detection', 'numeric_detection', 'dynamic_date_formats',
  'dynamic_templates', '_meta', 'enabled', '_field_names', '_doc_count', '_size', '_all', 'include_in_all',
]);

/** Parameters each type accepts (besides `type`); unknown ones are rejected like OpenSearch does. */
const COMMON = ['index', 'store', 'doc_values', 'null_value', 'copy_to', 'boost', 'meta', 'fields', 'ignore_malformed', 'coerce', 'script', 'on_script_error'];
const TYPE_PARAMS: Record<string, string[]> = {
  text: ['analyzer', 'search_analyzer', 'search_quote_analyzer', 'norms', 'index_options', 'fielddata', 'fielddata_frequency_filter', 'position_increment_gap', 'term_vector', 'index_prefixes', 'index_phrases', 'similarity', 'eager_global_ordinals'],
  match_only_text: ['analyzer', 'search_analyzer', 'search_quote_analyzer', 'position_increment_gap'],
  search_as_you_type: ['analyzer', 'search_analyzer', 'search_quote_analyzer', 'max_shingle_size', 'norms', 'index_options', 'similarity', 'term_vector'],
  keyword: ['ignore_above', 'normalizer', 'norms', 'index_options', 'eager_global_ordinals', 'similarity', 'split_queries_on_whitespace'],
  constant_keyword: ['value'],
  wildcard: ['ignore_above', 'normalizer'],
  date: ['format', 'locale', 'print_format'],
  date_nanos: ['format', 'locale', 'print_format'],
  scaled_float: ['scaling_factor'],
  object: ['properties', 'dynamic', 'enabled'],
  nested: ['properties', 'dynamic', 'include_in_parent', 'include_in_root'],
  alias: ['path'],
  token_count: ['analyzer', 'enable_position_increments'],
  flat_object: [],
  geo_point: ['ignore_z_value'],
};

const DYNAMIC_VALUES = ['true', 'false', 'strict', 'strict_allow_templates', 'false_allow_templates'];

/** Compiled mapping of one index. Immutable: updates produce a new Mapping. */
export class Mapping {
  readonly fields: Map<string, FieldInfo>;
  /** Object paths (containers), with their `dynamic` setting if any. */
  readonly objects: Map<string, { dynamic?: string; enabled: boolean; type: string }>;

  constructor(readonly json: MappingJSON) {
    this.fields = new Map();
    this.objects = new Map();
    this.compile(json.properties ?? {}, '');
  }

  static empty(): Mapping {
    return new Mapping({});
  }

  /** Validates a mapping body from a request and returns it as a Mapping. */
  static parse(body: unknown, opts: { allowTypeName?: boolean } = {}): Mapping {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw mapperParsing('Failed to parse mapping: mapping must be an object');
    }
    let json = body as MappingJSON;
    // A body may still carry the removed type name: {"_doc": {"properties": …}} (create index only).
    const keys = Object.keys(json);
    if (keys.length === 1 && keys[0] === '_doc' && typeof json._doc === 'object') {
      if (opts.allowTypeName === false) {
        throw illegalArgument('Types cannot be provided in put mapping requests');
      }
      json = json._doc as MappingJSON;
    }
    if (json.properties && typeof json.properties === 'object') json = { ...json, properties: expandDotted(json.properties) };
    for (const key of Object.keys(json)) {
      if (!ROOT_PARAMS.has(key)) {
        throw mapperParsing(`Root mapping definition has unsupported parameters:  [${key} : ${JSON.stringify(json[key])}]`);
      }
    }
    const dynamic = json.dynamic;
    if (dynamic !== undefined && !DYNAMIC_VALUES.includes(String(dynamic))) {
      throw mapperParsing(`Failed to parse mapping: Could not convert [dynamic] to boolean`);
    }
    validateDynamicTemplates(json.dynamic_templates);
    validateProperties(json.properties, '');
    return new Mapping(json);
  }

  /** The `dynamic` setting that applies under an object path ('' = root). */
  dynamicAt(objectPath: string): string {
    let path = objectPath;
    while (path) {
      const d = this.objects.get(path)?.dynamic;
      if (d !== undefined) return d;
      const dot = path.lastIndexOf('.');
      path = dot < 0 ? '' : path.slice(0, dot);
    }
    return this.json.dynamic === undefined ? 'true' : String(this.json.dynamic);
  }

  /** The leaf field at a path, following `alias` fields (and the `_ignored` metadata field). */
  field(path: string): FieldInfo | undefined {
    if (path === IGNORED_FIELD.path) return IGNORED_FIELD;
    const f = this.fields.get(path);
    if (f?.type === 'alias' && f.aliasPath) return this.fields.get(f.aliasPath);
    return f;
  }

  /** Field paths matching a pattern with `*` wildcards (as `fields`, `docvalue_fields`, multi_match use). */
  matchFields(pattern: string): string[] {
    if (!pattern.includes('*')) return this.fields.has(pattern) ? [pattern] : [];
    const re = wildcardRegExp(pattern);
    return [...this.fields.keys()].filter((p) => re.test(p));
  }

  /** Whether the `_source` field is enabled. */
  get sourceEnabled(): boolean {
    const src = this.json._source as { enabled?: boolean } | undefined;
    return src?.enabled !== false;
  }

  /** Whether documents must carry a routing value. */
  get routingRequired(): boolean {
    return (this.json._routing as { required?: boolean } | undefined)?.required === true;
  }

  /** Merges a mapping update (put mapping, or fields added dynamically) and returns the new mapping. */
  merge(update: MappingJSON): Mapping {
    const merged = structuredClone(this.json);
    for (const [key, value] of Object.entries(update)) {
      if (key === 'properties') continue;
      (merged as Record<string, unknown>)[key] = value;
    }
    if (update.properties) {
      merged.properties = mergeProperties(merged.properties ?? {}, update.properties, '');
    }
    return new Mapping(merged);
  }

  private compile(props: Record<string, FieldJSON>, prefix: string): void {
    for (const [name, def] of Object.entries(props)) {
      const path = prefix + name;
      const type = fieldTypeOf(def);
      if (type === 'object' || type === 'nested') {
        this.objects.set(path, {
          dynamic: def.dynamic === undefined ? undefined : String(def.dynamic),
          enabled: def.enabled !== false,
          type,
        });
        if (def.enabled !== false) this.compile(def.properties ?? {}, path + '.');
        continue;
      }
      const info = compileLeaf(path, type, def);
      this.fields.set(path, info);
      for (const [sub, subDef] of Object.entries(def.fields ?? {})) {
        const subInfo = compileLeaf(`${path}.${sub}`, fieldTypeOf(subDef), subDef);
        subInfo.parentPath = path;
        this.fields.set(subInfo.path, subInfo);
      }
    }
  }
}

/**
 * `_ignored`: the names of a document's fields that `ignore_malformed` dropped, indexed as keywords
 * so they can be searched, aggregated and shown on hits, as in OpenSearch.
 */
export const IGNORED_FIELD: FieldInfo = {
  path: '_ignored', type: 'keyword', storage: 'keyword', index: true, docValues: true, store: true, coerce: false, norms: false, raw: { type: 'keyword' },
};

/** A field definition's type: explicit, or `object` when it only has properties. */
export function fieldTypeOf(def: FieldJSON): string {
  return typeof def.type === 'string' ? def.type : 'object';
}

function compileLeaf(path: string, type: string, def: FieldJSON): FieldInfo {
  const isText = storageKindOf(type) === 'text';
  return {
    path,
    type,
    storage: storageKindOf(type),
    analyzer: (def.analyzer as string | undefined) ?? (isText ? 'default' : undefined),
    searchAnalyzer: (def.search_analyzer as string | undefined) ?? (def.analyzer as string | undefined),
    searchQuoteAnalyzer: def.search_quote_analyzer as string | undefined,
    normalizer: def.normalizer as string | undefined,
    ignoreAbove: def.ignore_above === undefined ? undefined : Number(def.ignore_above),
    ignoreMalformed: def.ignore_malformed === true || def.ignore_malformed === 'true',
    format: type === 'date' || type === 'date_nanos' ? ((def.format as string | undefined) ?? DEFAULT_DATE_FORMAT) : undefined,
    scalingFactor: def.scaling_factor === undefined ? undefined : Number(def.scaling_factor),
    nullValue: def.null_value,
    index: def.index !== false && def.index !== 'false',
    docValues: def.doc_values !== false && def.doc_values !== 'false',
    store: def.store === true || def.store === 'true',
    coerce: def.coerce !== false && def.coerce !== 'false',
    aliasPath: type === 'alias' ? (def.path as string) : undefined,
    norms: isText ? def.norms !== false : false,
    copyTo: def.copy_to === undefined ? undefined : ([] as string[]).concat(def.copy_to as string | string[]),
    indexOptions: def.index_options as string | undefined,
    raw: def,
  };
}

function validateProperties(props: unknown, prefix: string): void {
  if (props === undefined) return;
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    throw mapperParsing(`Failed to parse mapping: Expected map for property [properties] on field [${prefix || '_doc'}] but got a class java.lang.String`);
  }
  for (const [name, defUnknown] of Object.entries(props as Record<string, unknown>)) {
    const path = prefix + name;
    if (name.trim() === '') {
      throw mapperParsing('Failed to parse mapping: field name cannot be an empty string', illegalArgument('field name cannot be an empty string'));
    }
    if (defUnknown === null || typeof defUnknown !== 'object' || Array.isArray(defUnknown)) {
      throw mapperParsing(`Failed to parse mapping: Expected map for property [fields] on field [${name}] but got a class java.lang.String`);
    }
    const def = defUnknown as FieldJSON;
    const type = fieldTypeOf(def);
    if (!(FIELD_TYPES as readonly string[]).includes(type)) {
      throw mapperParsing(`Failed to parse mapping: No handler for type [${type}] declared on field [${name}]`,
        mapperParsing(`No handler for type [${type}] declared on field [${name}]`));
    }
    const allowed = new Set(['type', ...COMMON, ...(TYPE_PARAMS[type] ?? [])]);
    const unsupported = Object.keys(def).filter((k) => !allowed.has(k));
    if (unsupported.length > 0) {
      const list = unsupported.map((k) => `${k} : ${String(def[k])}`).join(', ');
      throw mapperParsing(`Failed to parse mapping: unknown parameter [${unsupported[0]}] on mapper [${name}] of type [${type}]`,
        mapperParsing(`unknown parameter [${unsupported[0]}] on mapper [${name}] of type [${type}]` + (list ? '' : '')));
    }
    if (type === 'scaled_float' && def.scaling_factor === undefined) {
      throw mapperParsing(`Failed to parse mapping: Field [scaling_factor] is required`);
    }
    if (type === 'object' || type === 'nested') validateProperties(def.properties, path + '.');
    if (def.fields !== undefined) validateProperties(def.fields, path + '.');
  }
}

/** Expands dotted property names (`a.b: {...}`) into object mappings, as OpenSearch does. */
function expandDotted(props: Record<string, FieldJSON>): Record<string, FieldJSON> {
  const out: Record<string, FieldJSON> = {};
  for (const [name, def] of Object.entries(props)) {
    let d = def;
    if (d && typeof d === 'object' && d.properties && typeof d.properties === 'object') d = { ...d, properties: expandDotted(d.properties) };
    if (!name.includes('.') || name.startsWith('.') || name.endsWith('.')) {
      out[name] = d;
      continue;
    }
    const [head, ...rest] = name.split('.');
    const child = expandDotted({ [rest.join('.')]: d });
    const existing = out[head];
    out[head] = existing ? { ...existing, properties: { ...(existing.properties ?? {}), ...child } } : { properties: child };
  }
  return out;
}

function mergeProperties(
  current: Record<string, FieldJSON>,
  update: Record<string, FieldJSON>,
  prefix: string,
): Record<string, FieldJSON> {
  const out: Record<string, FieldJSON> = { ...current };
  for (const [name, def] of Object.entries(update)) {
    const existing = current[name];
    if (!existing) {
      out[name] = def;
      continue;
    }
    const from = fieldTypeOf(existing);
    // An update without `type` that only adds properties keeps the existing object type (e.g. nested).
    const to = def.type === undefined && (from === 'object' || from === 'nested') ? from : fieldTypeOf(def);
    if (from !== to) {
      throw illegalArgument(`mapper [${prefix}${name}] cannot be changed from type [${from}] to [${to}]`);
    }
    if (to === 'object' || to === 'nested') {
      out[name] = { ...existing, ...def, type: existing.type, properties: mergeProperties(existing.properties ?? {}, def.properties ?? {}, `${prefix}${name}.`) };
      if (existing.type === undefined) delete out[name].type;
      if (!def.properties && !existing.properties) delete out[name].properties;
    } else {
      checkCompatible(existing, def, `${prefix}${name}`);
      const merged: FieldJSON = { ...existing, ...def };
      if (existing.fields || def.fields) {
        merged.fields = mergeProperties(existing.fields ?? {}, def.fields ?? {}, `${prefix}${name}.`);
      }
      out[name] = merged;
    }
  }
  return out;
}

/** Parameters that cannot change once a field exists (OpenSearch's merge conflicts). */
function checkCompatible(existing: FieldJSON, update: FieldJSON, path: string): void {
  for (const param of ['analyzer', 'index', 'doc_values', 'store', 'format', 'normalizer', 'scaling_factor']) {
    if (param in update && update[param] !== existing[param] && !(existing[param] === undefined && param === 'analyzer' && update[param] === 'default')) {
      throw illegalArgument(`Mapper for [${path}] conflicts with existing mapper:\n\tCannot update parameter [${param}] from [${existing[param] ?? 'default'}] to [${update[param]}]`);
    }
  }
}

/** A RegExp for a simple `*` wildcard pattern over a whole string. */
export function wildcardRegExp(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}

export { OpenSearchError };
