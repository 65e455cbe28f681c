// Turns a document's `_source` into indexable values per leaf field, applying the mapping's type
// conversions and OpenSearch's dynamic-mapping rules (new fields become a mapping update).

import { OpenSearchError, mapperParsing } from '../errors.ts';
import { compileDateFormat, isDateLike, type DateFormat } from '../dates/date-format.ts';
import { INTEGER_RANGES, INTEGER_TYPES, NUMERIC_TYPES, type FieldInfo } from './field-types.ts';
import { IGNORED_FIELD, Mapping, type FieldJSON, type MappingJSON } from './mapping.ts';
import { encodeIp } from './ip.ts';
import { templateMappingFor, type DetectedType } from './dynamic-templates.ts';

/** One leaf field's values in a document, ready for the segment builder. */
export interface IndexedField {
  info: FieldInfo;
  /** text: raw strings; keyword: normalized strings; numeric: numbers (dates as epoch millis). */
  values: (string | number)[];
}

/** The result of parsing one document. */
export interface ParsedDocument {
  fields: IndexedField[];
  /** The mapping after dynamic updates (the same object when nothing was added). */
  mapping: Mapping;
  /** True when the document introduced new fields. */
  mappingChanged: boolean;
}

const DEFAULT_DYNAMIC_DATE_FORMATS = ['strict_date_optional_time', 'yyyy/MM/dd HH:mm:ss Z||yyyy/MM/dd Z'];
const dateFormats = new Map<string, DateFormat>();

/** A compiled date format, cached by its spec string. */
export function dateFormat(spec: string): DateFormat {
  let f = dateFormats.get(spec);
  if (!f) {
    f = compileDateFormat(spec);
    dateFormats.set(spec, f);
  }
  return f;
}

/**
 * Parses a source object against a mapping. Throws mapper_parsing_exception and friends on bad values.
 * `checkOnly` (the write path, which needs only the errors and the mapping update) validates every value
 * but returns no fields.
 */
export function parseDocument(mapping: Mapping, source: Record<string, unknown>, id: string, checkOnly = false): ParsedDocument {
  // Leaves as parallel arrays (path, raw value, trie node): no pair object per leaf.
  const leaves: Leaves = { paths: [], values: [], nodes: [] };
  const update: Record<string, FieldJSON> = {};
  collect(mapping, source, trieOf(mapping), '', leaves, update, id);
  let current = mapping;
  const changed = Object.keys(update).length > 0;
  if (changed) current = mapping.merge({ properties: update });

  // Values are gathered per field ordinal in a per-mapping scratch: a slot is valid for this document
  // only when its stamp is this call's generation, so nothing is cleared between documents (or after a throw).
  const scratch = scratchOf(current);
  const gen = nextGeneration(scratch);
  const fields: IndexedField[] = [];
  let ignored: Set<string> | undefined;
  const { paths, values, nodes } = leaves;
  for (let i = 0; i < paths.length; i++) {
    // A trie node's plan belongs to the mapping the document was collected against.
    const node = changed ? null : nodes[i];
    const plan = node ? (node.plan !== undefined ? node.plan : (node.plan = planOf(scratch, current, node.path))) : planOf(scratch, current, paths[i]!);
    if (plan === null) continue;
    const raw = values[i];
    const { targets, targetOrds } = plan;
    for (let t = 0; t < targets.length; t++) {
      const target = targets[t]!;
      const v = indexValue(target, raw, id, current);
      if (v === MALFORMED) (ignored ??= new Set()).add(target.path);
      else if (v !== undefined && !checkOnly) addValue(scratch, gen, fields, targetOrds[t]!, target, v);
    }
    const { copies, copyOrds } = plan;
    for (let c = 0; c < copies.length; c++) {
      const v = indexValue(copies[c]!, raw, id, current);
      if (v !== MALFORMED && v !== undefined && !checkOnly) addValue(scratch, gen, fields, copyOrds[c]!, copies[c]!, v);
    }
  }
  if (checkOnly) return { fields, mapping: current, mappingChanged: changed };
  if (ignored) fields.push({ info: IGNORED_FIELD, values: [...ignored] });
  return { fields, mapping: current, mappingChanged: changed };
}

interface Leaves {
  paths: string[];
  values: unknown[];
  nodes: (PathNode | null)[];
}

/**
 * A mapped path, reached from its parent object by one key: collecting a document walks these instead
 * of building each path string and looking it up in the mapping's maps (a third of the parse).
 * One trie per (immutable) Mapping; only mapped paths get a node, so unmapped keys cannot grow it.
 */
interface PathNode {
  path: string;
  field: FieldInfo | undefined;
  object: ObjectInfo | undefined;
  children: Map<string, PathNode> | null;
  /** The leaf plan, filled on first use (undefined: not yet computed). */
  plan: LeafPlan | null | undefined;
}
type ObjectInfo = Mapping['objects'] extends Map<string, infer O> ? O : never;

const tries = new WeakMap<Mapping, PathNode>();
function trieOf(mapping: Mapping): PathNode {
  let root = tries.get(mapping);
  if (!root) {
    root = { path: '', field: undefined, object: undefined, children: null, plan: undefined };
    tries.set(mapping, root);
  }
  return root;
}

/** The child of `node` for `key`, or null when its path is not mapped. */
function childOf(mapping: Mapping, node: PathNode, key: string): PathNode | null {
  const known = node.children?.get(key);
  if (known !== undefined) return known;
  const path = node.path === '' ? key : node.path + '.' + key;
  const field = mapping.fields.get(path);
  const object = mapping.objects.get(path);
  if (field === undefined && object === undefined) return null;
  const child: PathNode = { path, field, object, children: null, plan: undefined };
  (node.children ??= new Map()).set(key, child);
  return child;
}

/** What indexing a leaf at one path touches: the field, its multi-fields, its copy_to targets (with ordinals). */
interface LeafPlan {
  targets: FieldInfo[];
  targetOrds: number[];
  copies: FieldInfo[];
  copyOrds: number[];
}

/** Per-mapping state: field ordinals, leaf plans, and the reusable per-document slots. */
interface Scratch {
  ordinals: Map<string, number>;
  plans: Map<string, LeafPlan | null>;
  /** Generation that last wrote each ordinal's slot. */
  stamps: Uint32Array;
  /** The document's entry for each ordinal (valid when its stamp is current). */
  slots: (IndexedField | undefined)[];
  generation: number;
}

const scratches = new WeakMap<Mapping, Scratch>();
function scratchOf(mapping: Mapping): Scratch {
  let s = scratches.get(mapping);
  if (!s) {
    const ordinals = new Map<string, number>();
    for (const path of mapping.fields.keys()) ordinals.set(path, ordinals.size);
    s = { ordinals, plans: new Map(), stamps: new Uint32Array(ordinals.size), slots: new Array(ordinals.size), generation: 0 };
    scratches.set(mapping, s);
  }
  return s;
}

function nextGeneration(s: Scratch): number {
  if (s.generation === 0xffffffff) {
    s.stamps.fill(0);
    s.generation = 0;
  }
  return ++s.generation;
}

function addValue(s: Scratch, gen: number, fields: IndexedField[], ord: number, info: FieldInfo, value: string | number): void {
  if (s.stamps[ord] === gen) {
    s.slots[ord]!.values.push(value);
    return;
  }
  const f: IndexedField = { info, values: [value] };
  s.stamps[ord] = gen;
  s.slots[ord] = f;
  fields.push(f);
}

function planOf(s: Scratch, mapping: Mapping, path: string): LeafPlan | null {
  let plan = s.plans.get(path);
  if (plan !== undefined) return plan;
  const info = mapping.fields.get(path);
  if (!info || info.type === 'alias') {
    plan = null;
  } else {
    const targets = [info, ...subFieldsOf(mapping, path)];
    const copies: FieldInfo[] = [];
    for (const copy of info.copyTo ?? []) {
      const c = mapping.fields.get(copy);
      if (c) copies.push(c);
    }
    plan = {
      targets,
      targetOrds: targets.map((t) => s.ordinals.get(t.path)!),
      copies,
      copyOrds: copies.map((c) => s.ordinals.get(c.path)!),
    };
  }
  s.plans.set(path, plan);
  return plan;
}

const subFieldCache = new WeakMap<Mapping, Map<string, FieldInfo[]>>();
function subFieldsOf(mapping: Mapping, path: string): FieldInfo[] {
  let cache = subFieldCache.get(mapping);
  if (!cache) {
    cache = new Map();
    for (const f of mapping.fields.values()) {
      if (!f.parentPath) continue;
      const list = cache.get(f.parentPath) ?? [];
      list.push(f);
      cache.set(f.parentPath, list);
    }
    subFieldCache.set(mapping, cache);
  }
  return cache.get(path) ?? [];
}

function collect(
  mapping: Mapping,
  obj: Record<string, unknown>,
  node: PathNode | null,
  prefix: string,
  leaves: Leaves,
  update: Record<string, FieldJSON>,
  id: string,
): void {
  const keys = Object.keys(obj);
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const value = obj[key];
    if (key === '') throw mapperParsing('field name cannot be an empty string');
    if (prefix === '' && key.startsWith('_') && isMetadataField(key)) {
      throw mapperParsing(
        `Field [${key}] is a metadata field and cannot be added inside a document. Use the index API request parameters.`,
      );
    }
    // Dotted keys are object paths: {"a.b": 1} is {"a": {"b": 1}}.
    const child = node === null ? null : childOf(mapping, node, key);
    if (child !== null) collectValue(mapping, child.path, child, child.field, child.object, value, leaves, update, id);
    else {
      // Not mapped (yet): no node; under a mapped object the lookups below find nothing either.
      const path = prefix + key;
      const existing = node === null ? mapping.fields.get(path) : undefined;
      const objInfo = node === null && mapping.objects.size > 0 ? mapping.objects.get(path) : undefined;
      collectValue(mapping, path, null, existing, objInfo, value, leaves, update, id);
    }
  }
}

function collectValue(
  mapping: Mapping,
  path: string,
  node: PathNode | null,
  existing: FieldInfo | undefined,
  obj: ObjectInfo | undefined,
  value: unknown,
  leaves: Leaves,
  update: Record<string, FieldJSON>,
  id: string,
): void {
  if (Array.isArray(value)) {
    for (const v of value) collectValue(mapping, path, node, existing, obj, v, leaves, update, id);
    return;
  }
  if (value !== null && typeof value === 'object') {
    if (existing && existing.type !== 'flat_object' && existing.type !== 'geo_point') {
      throw mapperParsing(
        `failed to parse field [${path}] of type [${existing.type}] in document with id '${id}'. Preview of field's value: '${javaMapPreview(value)}'`,
        new OpenSearchError('illegal_state_exception', `Can't get text on a START_OBJECT at 1:1`, 400),
      );
    }
    if (existing) {
      pushLeaf(leaves, path, value, node);
      return;
    }
    if (obj && !obj.enabled) return;
    if (!obj) {
      const pending = pendingField(update, path);
      if (pending && !isObjectDef(pending)) {
        pushLeaf(leaves, path, value, null);
        return;
      }
      if (!pending) {
        const templated = templateFor(mapping, path, 'object');
        if (templated && !isObjectDef(templated)) {
          // A template may map an object value to a leaf type (flat_object, geo_point, …).
          if (ensureDynamic(mapping, path, update, templated, true)) pushLeaf(leaves, path, value, null);
          return;
        }
        if (!ensureDynamic(mapping, path, update, templated ?? { type: 'object' }, templated !== undefined)) return;
      }
    }
    collect(mapping, value as Record<string, unknown>, node, path + '.', leaves, update, id);
    return;
  }
  if (obj) {
    if (!obj.enabled) return;
    if (value === null) return;
    throw mapperParsing(
      `object mapping for [${path}] tried to parse field [${path.slice(path.lastIndexOf('.') + 1)}] as object, but found a concrete value`,
    );
  }
  if (!existing && !pendingField(update, path)) {
    if (value === null) return;
    const detected = detectType(mapping, value);
    if (!detected) return;
    const templated = templateFor(mapping, path, detected.type);
    if (!ensureDynamic(mapping, path, update, templated ?? detected.def, templated !== undefined)) return;
  }
  pushLeaf(leaves, path, value, node);
}

function pushLeaf(leaves: Leaves, path: string, value: unknown, node: PathNode | null): void {
  leaves.paths.push(path);
  leaves.values.push(value);
  leaves.nodes.push(node);
}

function isObjectDef(def: FieldJSON): boolean {
  return def.type === undefined || def.type === 'object' || def.type === 'nested';
}

/** The matching dynamic template's mapping for a new field, or undefined. */
function templateFor(mapping: Mapping, path: string, detected: DetectedType): FieldJSON | undefined {
  return templateMappingFor(mapping.json.dynamic_templates, path, detected);
}

/** A field this document already added to the dynamic update (e.g. a template's object properties). */
function pendingField(update: Record<string, FieldJSON>, path: string): FieldJSON | undefined {
  if (Object.keys(update).length === 0) return undefined;
  const parts = path.split('.');
  let props: Record<string, FieldJSON> | undefined = update;
  for (let i = 0; i < parts.length; i++) {
    const node: FieldJSON | undefined = props?.[parts[i]];
    if (!node) return undefined;
    if (i === parts.length - 1) return node;
    props = node.properties;
  }
  return undefined;
}

/** Adds `def` at `path` to the dynamic update if the enclosing object allows it; false if ignored. */
function ensureDynamic(mapping: Mapping, path: string, update: Record<string, FieldJSON>, def: FieldJSON, fromTemplate = false): boolean {
  const parts = path.split('.');
  const parentPath = parts.slice(0, -1).join('.');
  const dynamic = mapping.dynamicAt(parentPath);
  // `*_allow_templates`: only fields a dynamic template maps may be added.
  const allowed = dynamic === 'true' || (fromTemplate && (dynamic === 'strict_allow_templates' || dynamic === 'false_allow_templates'));
  if (!allowed && (dynamic === 'strict' || dynamic === 'strict_allow_templates')) {
    throw new OpenSearchError(
      'strict_dynamic_mapping_exception',
      `mapping set to strict, dynamic introduction of [${parts[parts.length - 1]}] within [${parentPath || '_doc'}] is not allowed`,
      400,
    );
  }
  if (!allowed) return false;
  // Walk/create the object chain in the update tree.
  let props = update;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts.slice(0, i + 1).join('.');
    let node = props[parts[i]];
    if (!node) {
      node = mapping.objects.has(p) ? { properties: {} } : { type: 'object', properties: {} };
      if (mapping.objects.has(p)) delete node.type;
      props[parts[i]] = node;
    }
    node.properties ??= {};
    props = node.properties;
  }
  const leaf = parts[parts.length - 1];
  if (!props[leaf]) props[leaf] = def.type === 'object' ? { ...def, properties: { ...(def.properties ?? {}) } } : def;
  return true;
}

/** The JSON type OpenSearch detects for a new field's value (templates select on it) and its default mapping. */
function detectType(mapping: Mapping, value: unknown): { type: DetectedType; def: FieldJSON } | undefined {
  switch (typeof value) {
    case 'boolean':
      return { type: 'boolean', def: { type: 'boolean' } };
    case 'number':
      return Number.isInteger(value) && !String(value).includes('.') ? { type: 'long', def: { type: 'long' } } : { type: 'double', def: { type: 'float' } };
    case 'bigint':
      return { type: 'long', def: { type: 'long' } };
    case 'string': {
      const json = mapping.json;
      if (json.date_detection !== false) {
        const formats = (json.dynamic_date_formats as string[] | undefined) ?? DEFAULT_DYNAMIC_DATE_FORMATS;
        const hit = formats.find((f) => isDateLike(value, [f]));
        if (hit) return { type: 'date', def: hit === DEFAULT_DYNAMIC_DATE_FORMATS[0] && !json.dynamic_date_formats ? { type: 'date' } : { type: 'date', format: hit } };
      }
      if (json.numeric_detection === true && value.trim() !== '' && !Number.isNaN(Number(value))) {
        return /^-?\d+$/.test(value) ? { type: 'long', def: { type: 'long' } } : { type: 'double', def: { type: 'float' } };
      }
      return { type: 'string', def: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } } };
    }
    default:
      return undefined;
  }
}

/** Marks a value `ignore_malformed` dropped. */
const MALFORMED: unique symbol = Symbol('malformed');

/** One value's indexed form: undefined when not indexed, MALFORMED when `ignore_malformed` dropped it. */
function indexValue(info: FieldInfo, raw: unknown, id: string, mapping: Mapping): string | number | undefined | typeof MALFORMED {
  let value = raw;
  if (value === null || value === undefined) {
    if (info.nullValue === undefined || info.nullValue === null) return undefined;
    value = info.nullValue;
  }
  if (!info.index && !info.docValues) return undefined;
  try {
    return convert(info, value, mapping);
  } catch (err) {
    if (info.ignoreMalformed) return MALFORMED;
    const cause = err instanceof OpenSearchError ? err : new OpenSearchError('illegal_argument_exception', String((err as Error).message ?? err), 400);
    throw mapperParsing(
      `failed to parse field [${info.path}] of type [${info.type}] in document with id '${id}'. Preview of field's value: '${preview(value)}'`,
      cause,
    );
  }
}

/** Converts a source value to the field's indexed representation (undefined = not indexed). */
export function convert(info: FieldInfo, value: unknown, _mapping?: Mapping): string | number | undefined {
  const type = info.type;
  if (NUMERIC_TYPES.has(type)) return toNumber(info, value);
  switch (type) {
    case 'text':
    case 'match_only_text':
    case 'search_as_you_type':
      if (typeof value === 'object') throw illegalState(value);
      return String(value);
    case 'keyword':
    case 'constant_keyword':
    case 'wildcard':
    case 'version': {
      if (typeof value === 'object') throw illegalState(value);
      const s = String(value);
      if (info.ignoreAbove !== undefined && s.length > info.ignoreAbove) return undefined;
      return s;
    }
    case 'flat_object':
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'date':
    case 'date_nanos': {
      if (typeof value === 'number') {
        return dateFormat(info.format!).parse(String(value));
      }
      if (typeof value !== 'string') throw illegalState(value);
      return dateFormat(info.format!).parse(value);
    }
    case 'boolean':
      if (value === true || value === 'true') return 1;
      if (value === false || value === 'false' || value === '') return 0;
      throw new OpenSearchError('illegal_argument_exception', `Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`, 400);
    case 'ip': {
      const ip = encodeIp(String(value));
      if (!ip) throw new OpenSearchError('illegal_argument_exception', `'${String(value)}' is not an IP string literal.`, 400);
      return ip;
    }
    default:
      return undefined;
  }
}

function toNumber(info: FieldInfo, value: unknown): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && info.coerce && value.trim() !== '' && !Number.isNaN(Number(value))) n = Number(value);
  else if (typeof value === 'boolean' || typeof value === 'object') throw illegalState(value);
  else throw new OpenSearchError('number_format_exception', `For input string: "${String(value)}"`, 400);
  if (!Number.isFinite(n)) throw new OpenSearchError('illegal_argument_exception', `[${info.type}] supports only finite values, but got [${n}]`, 400);
  if (INTEGER_TYPES.has(info.type)) {
    if (!Number.isInteger(n)) {
      if (!info.coerce) throw new OpenSearchError('illegal_argument_exception', `Value [${n}] has a decimal part`, 400);
      n = Math.trunc(n);
    }
    const [lo, hi] = INTEGER_RANGES[info.type] ?? [-Infinity, Infinity];
    if (n < lo || n > hi) {
      throw new OpenSearchError('illegal_argument_exception', `Value [${String(value)}] is out of range for ${info.type === 'long' ? 'a long' : `an ${info.type}`}`, 400);
    }
  } else if (info.type === 'float') {
    n = Math.fround(n);
  } else if (info.type === 'half_float') {
    n = Math.fround(n); // close enough: half precision rounding is not reproduced
  } else if (info.type === 'scaled_float') {
    n = Math.round(n * (info.scalingFactor ?? 1)) / (info.scalingFactor ?? 1);
  }
  return n;
}

function illegalState(value: unknown): OpenSearchError {
  const token = Array.isArray(value) ? 'START_ARRAY' : typeof value === 'object' ? 'START_OBJECT' : 'VALUE_BOOLEAN';
  return new OpenSearchError('illegal_state_exception', `Can't get text on a ${token} at 1:1`, 400);
}

function preview(value: unknown): string {
  return typeof value === 'object' ? javaMapPreview(value) : String(value);
}

function javaMapPreview(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(javaMapPreview).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${k}=${javaMapPreview(v)}`).join(', ')}}`;
  }
  return String(value);
}

const METADATA_FIELDS = new Set(['_id', '_index', '_routing', '_source', '_seq_no', '_primary_term', '_version', '_field_names', '_ignored', '_type', '_size', '_doc_count', '_data_stream_timestamp']);
function isMetadataField(key: string): boolean {
  return METADATA_FIELDS.has(key);
}

export type { MappingJSON };
