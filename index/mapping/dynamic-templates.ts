// Dynamic templates (`mappings.dynamic_templates`): rules that choose the mapping of a field the first
// time a document introduces it, by its name (`match`/`unmatch`), its dotted path (`path_match`/
// `path_unmatch`) and the JSON type detected for its value (`match_mapping_type`). The first matching
// template wins; its `mapping` may use `{name}` (the leaf name) and `{dynamic_type}` placeholders.

import { mapperParsing } from '../errors.ts';
import type { FieldJSON } from './mapping.ts';
import { wildcardRegExp } from './mapping.ts';

/** The JSON types a template can select on, as OpenSearch names them. */
export type DetectedType = 'string' | 'long' | 'double' | 'boolean' | 'date' | 'object' | 'binary';

const MATCH_MAPPING_TYPES = new Set<string>(['*', 'string', 'long', 'double', 'boolean', 'date', 'object', 'binary']);
const TEMPLATE_KEYS = new Set(['match', 'unmatch', 'path_match', 'path_unmatch', 'match_mapping_type', 'match_pattern', 'mapping']);

/** The mapping type OpenSearch substitutes for `{dynamic_type}` (and uses when a template omits `type`). */
const DEFAULT_MAPPING_TYPE: Record<DetectedType, string> = {
  string: 'text', long: 'long', double: 'float', boolean: 'boolean', date: 'date', object: 'object', binary: 'binary',
};

interface CompiledTemplate {
  name: string;
  match?: RegExp[];
  unmatch?: RegExp[];
  pathMatch?: RegExp[];
  pathUnmatch?: RegExp[];
  mappingType?: string;
  mapping: FieldJSON;
}

const compiledCache = new WeakMap<object, CompiledTemplate[]>();

/** Validates a `dynamic_templates` value from a mapping request; throws mapper_parsing_exception. */
export function validateDynamicTemplates(value: unknown): void {
  compile(value);
}

/**
 * The mapping of a new field from the first matching template, placeholders substituted, or undefined.
 * `path` is the full dotted path; the leaf name is its last segment.
 */
export function templateMappingFor(templates: unknown, path: string, detected: DetectedType): FieldJSON | undefined {
  if (!Array.isArray(templates) || templates.length === 0) return undefined;
  let compiled = compiledCache.get(templates);
  if (!compiled) {
    compiled = compile(templates);
    compiledCache.set(templates, compiled);
  }
  const name = path.slice(path.lastIndexOf('.') + 1);
  for (const t of compiled) {
    if (t.mappingType !== undefined && t.mappingType !== '*' && t.mappingType !== detected) continue;
    if (t.match && !t.match.some((r) => r.test(name))) continue;
    if (t.unmatch && t.unmatch.some((r) => r.test(name))) continue;
    if (t.pathMatch && !t.pathMatch.some((r) => r.test(path))) continue;
    if (t.pathUnmatch && t.pathUnmatch.some((r) => r.test(path))) continue;
    const dynamicType = DEFAULT_MAPPING_TYPE[detected];
    const mapping = substitute(t.mapping, name, dynamicType) as FieldJSON;
    if (mapping.type === undefined && !(detected === 'object' && mapping.properties)) mapping.type = dynamicType;
    return mapping;
  }
  return undefined;
}

function compile(value: unknown): CompiledTemplate[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw mapperParsing('Failed to parse mapping: Dynamic template syntax error. An array of named objects is expected.');
  return value.map((entry) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry) || Object.keys(entry).length !== 1) {
      throw mapperParsing('Failed to parse mapping: Dynamic template syntax error. An array of named objects is expected.');
    }
    const [name, body] = Object.entries(entry as Record<string, unknown>)[0];
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw mapperParsing(`Failed to parse mapping: Dynamic template syntax error. An array of named objects is expected.`);
    }
    const b = body as Record<string, unknown>;
    for (const k of Object.keys(b)) {
      if (!TEMPLATE_KEYS.has(k)) throw mapperParsing(`Failed to parse mapping: Illegal dynamic template parameter: [${k}]`);
    }
    if (b.mapping === null || typeof b.mapping !== 'object' || Array.isArray(b.mapping)) {
      throw mapperParsing(`Failed to parse mapping: template [${name}] must have either mapping set`);
    }
    const mappingType = b.match_mapping_type === undefined ? undefined : String(b.match_mapping_type);
    if (mappingType !== undefined && !MATCH_MAPPING_TYPES.has(mappingType)) {
      throw mapperParsing(`Failed to parse mapping: No field type matched on [${mappingType}], possible values are [object, string, long, double, boolean, date, binary]`);
    }
    const regex = b.match_pattern === 'regex';
    if (b.match_pattern !== undefined && b.match_pattern !== 'regex' && b.match_pattern !== 'simple') {
      throw mapperParsing(`Failed to parse mapping: Illegal match_pattern value [${String(b.match_pattern)}]`);
    }
    const patterns = (v: unknown): RegExp[] | undefined => {
      if (v === undefined || v === null) return undefined;
      return ([] as unknown[]).concat(v).map((p) => (regex ? new RegExp(`^(?:${String(p)})$`) : wildcardRegExp(String(p))));
    };
    return {
      name,
      match: patterns(b.match),
      unmatch: patterns(b.unmatch),
      pathMatch: patterns(b.path_match),
      pathUnmatch: patterns(b.path_unmatch),
      mappingType,
      mapping: b.mapping as FieldJSON,
    };
  });
}

/** Replaces `{name}` and `{dynamic_type}` in every key and string value (a fresh copy). */
function substitute(v: unknown, name: string, dynamicType: string): unknown {
  if (typeof v === 'string') return v.replaceAll('{name}', name).replaceAll('{dynamic_type}', dynamicType);
  if (Array.isArray(v)) return v.map((x) => substitute(x, name, dynamicType));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k.replaceAll('{name}', name).replaceAll('{dynamic_type}', dynamicType)] = substitute(x, name, dynamicType);
    return out;
  }
  return v;
}
