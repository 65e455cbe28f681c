// Index templates: composable `_index_template`s (priority, composed_of component templates) and
// legacy `_template`s (order), resolved into the settings, mappings and aliases of a new index.

import { illegalArgument, OpenSearchError } from '../errors.ts';
import { Mapping, type MappingJSON } from '../mapping/mapping.ts';
import { wildcardRegExp } from '../mapping/mapping.ts';
import { flattenSettings, normalizeIndexSettings, type FlatSettings } from './settings.ts';

export interface TemplateBody {
  settings?: Record<string, unknown>;
  mappings?: MappingJSON;
  aliases?: Record<string, Record<string, unknown>>;
}
export interface ComposableTemplate {
  index_patterns: string[];
  template?: TemplateBody;
  composed_of?: string[];
  priority?: number;
  version?: number;
  _meta?: Record<string, unknown>;
  data_stream?: Record<string, unknown>;
}
export interface ComponentTemplate {
  template: TemplateBody;
  version?: number;
  _meta?: Record<string, unknown>;
}
export interface LegacyTemplate extends TemplateBody {
  index_patterns: string[];
  order?: number;
  version?: number;
}

/** All templates of the cluster. */
export interface TemplateStore {
  indexTemplates: Record<string, ComposableTemplate>;
  componentTemplates: Record<string, ComponentTemplate>;
  legacyTemplates: Record<string, LegacyTemplate>;
}

/** What templates contribute to a new index. */
export interface ResolvedTemplate {
  settings: FlatSettings;
  mappings: MappingJSON;
  aliases: Record<string, Record<string, unknown>>;
}

const matches = (patterns: string[], name: string) => patterns.some((p) => wildcardRegExp(p).test(name));

/** Validates and stores a composable template. */
export function putIndexTemplate(store: TemplateStore, name: string, body: ComposableTemplate, create: boolean): void {
  if (create && store.indexTemplates[name]) {
    throw illegalArgument(`index template [${name}] already exists`);
  }
  const patterns = body.index_patterns === undefined ? undefined : ([] as string[]).concat(body.index_patterns);
  if (!patterns || patterns.length === 0) {
    throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: index patterns are missing;', 400);
  }
  const missing = (body.composed_of ?? []).filter((c) => !store.componentTemplates[c]);
  if (missing.length > 0) {
    throw new OpenSearchError('invalid_index_template_exception', `index_template [${name}] invalid, cause [index template [${name}] specifies component templates ${JSON.stringify(missing).replace(/"/g, '')} that do not exist]`, 400);
  }
  const priority = body.priority ?? 0;
  for (const [other, t] of Object.entries(store.indexTemplates)) {
    if (other === name || (t.priority ?? 0) !== priority) continue;
    const overlap = patterns.some((p) => t.index_patterns.some((q) => wildcardRegExp(p).test(q) || wildcardRegExp(q).test(p)));
    if (overlap) {
      throw illegalArgument(`index template [${name}] has index patterns ${fmtList(patterns)} matching patterns from existing templates [${other}] with patterns (${other} => ${fmtList(t.index_patterns)}) that have the same priority [${priority}], multiple index templates may not match during index creation, please use a different priority`);
    }
  }
  if (body.template?.mappings) Mapping.parse(body.template.mappings);
  store.indexTemplates[name] = { ...body, index_patterns: patterns };
}

function fmtList(list: string[]): string {
  return `[${list.join(', ')}]`;
}

/** Resolves the templates applying to a new index name. */
export function resolveTemplates(store: TemplateStore, indexName: string): ResolvedTemplate {
  const out: ResolvedTemplate = { settings: {}, mappings: {}, aliases: {} };
  const composable = Object.entries(store.indexTemplates)
    .filter(([, t]) => matches(t.index_patterns, indexName))
    .sort((a, b) => (b[1].priority ?? 0) - (a[1].priority ?? 0));
  if (composable.length > 0) {
    const [, t] = composable[0];
    const parts: TemplateBody[] = [...(t.composed_of ?? []).map((c) => store.componentTemplates[c]?.template ?? {}), t.template ?? {}];
    for (const p of parts) apply(out, p);
    return out;
  }
  const legacy = Object.values(store.legacyTemplates)
    .filter((t) => matches(t.index_patterns, indexName))
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  for (const t of legacy) apply(out, t);
  return out;
}

function apply(out: ResolvedTemplate, body: TemplateBody): void {
  Object.assign(out.settings, normalizeIndexSettings(flattenSettings(body.settings ?? {})));
  if (body.mappings) {
    const m = stripType(body.mappings);
    out.mappings = new Mapping(out.mappings).merge(m).json;
  }
  Object.assign(out.aliases, body.aliases ?? {});
}

/** Removes a legacy `{_doc: {...}}` wrapper from a mapping body. */
export function stripType(m: MappingJSON): MappingJSON {
  const keys = Object.keys(m);
  if (keys.length === 1 && (keys[0] === '_doc' || !['properties', 'dynamic', '_source', '_routing', 'dynamic_templates', '_meta', 'date_detection', 'numeric_detection', 'dynamic_date_formats', 'enabled'].includes(keys[0])) && typeof m[keys[0]] === 'object') {
    return m[keys[0]] as MappingJSON;
  }
  return m;
}

/** Templates whose names match a pattern list (GET with wildcards). */
export function matchNames<T>(all: Record<string, T>, names: string | undefined): Record<string, T> {
  if (!names || names === '*' || names === '_all') return { ...all };
  const out: Record<string, T> = {};
  for (const n of names.split(',')) {
    const re = wildcardRegExp(n);
    for (const [k, v] of Object.entries(all)) if (re.test(k)) out[k] = v;
  }
  return out;
}

const invalidTemplate = (name: string, errors: string[]) =>
  new OpenSearchError('invalid_index_template_exception', `index_template [${name}] invalid, cause [Validation Failed: ${errors.map((e, i) => `${i + 1}: ${e};`).join('')}]`, 400);

/** Index pattern rules shared by every template kind (MetadataIndexTemplateService.validate). */
function patternProblems(patterns: string[]): string[] {
  const errors: string[] = [];
  for (const p of patterns) {
    if (p.includes(' ')) errors.push(`index_patterns [${p}] must not contain a space`);
    if (p.includes(',')) errors.push(`index_pattern [${p}] must not contain a ','`);
    if (p.includes('#')) errors.push(`index_pattern [${p}] must not contain a '#'`);
    if (p.includes(':')) errors.push(`index_pattern [${p}] must not contain a ':'`);
    if (p.startsWith('_')) errors.push(`index_pattern [${p}] must not start with '_'`);
    if (/[\\/?"<>|]/.test(p)) errors.push(`index_pattern [${p}] must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?]`);
  }
  return errors;
}

function checkTemplateBody(kind: string, body: unknown): TemplateBody {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new OpenSearchError('x_content_parse_exception', `[${kind}] template doesn't support values of type: VALUE_STRING`, 400);
  for (const k of Object.keys(body)) {
    if (!['settings', 'mappings', 'aliases'].includes(k)) throw new OpenSearchError('x_content_parse_exception', `[template] unknown field [${k}]`, 400);
  }
  const t = body as TemplateBody;
  flattenSettings(t.settings ?? {});
  if (t.mappings) Mapping.parse(stripType(t.mappings));
  return t;
}

/** Validates the keys of a composable template body (`[index_template] unknown field [x]`). */
export function parseComposableTemplate(body: Record<string, unknown>): ComposableTemplate {
  const allowed = ['index_patterns', 'template', 'composed_of', 'priority', 'version', '_meta', 'data_stream', 'context'];
  for (const k of Object.keys(body)) {
    if (!allowed.includes(k)) throw new OpenSearchError('x_content_parse_exception', `[index_template] unknown field [${k}]`, 400);
  }
  checkTemplateBody('index_template', body.template);
  if (body.priority !== undefined && (typeof body.priority !== 'number' || body.priority < 0)) {
    throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: index template priority must be >= 0;', 400);
  }
  const t = body as unknown as ComposableTemplate;
  const patterns = t.index_patterns === undefined ? undefined : ([] as string[]).concat(t.index_patterns);
  if (patterns) {
    const errors = patternProblems(patterns);
    if (errors.length > 0) throw illegalArgument(`Validation Failed: ${errors.map((e, i) => `${i + 1}: ${e};`).join('')}`);
  }
  return t;
}

/** Validates and stores a component template (`create` refuses to replace). */
export function putComponentTemplate(store: TemplateStore, name: string, body: Record<string, unknown>, create: boolean): void {
  for (const k of Object.keys(body)) {
    if (!['template', 'version', '_meta'].includes(k)) throw new OpenSearchError('x_content_parse_exception', `[component_template] unknown field [${k}]`, 400);
  }
  if (body.template === undefined) throw new OpenSearchError('x_content_parse_exception', 'Required [template]', 400);
  if (create && store.componentTemplates[name]) throw illegalArgument(`component template [${name}] already exists`);
  const template = checkTemplateBody('component_template', body.template);
  store.componentTemplates[name] = { ...(body as unknown as ComponentTemplate), template };
}

/** Validates and stores a legacy `_template` (PutIndexTemplateRequest.source + MetadataIndexTemplateService.validate). */
export function putLegacyTemplate(store: TemplateStore, name: string, body: Record<string, unknown>, create: boolean, order: number | undefined): void {
  const t: LegacyTemplate = { index_patterns: [], order: order ?? 0 };
  for (const [k, v] of Object.entries(body)) {
    switch (k) {
      case 'template':
        if (typeof v === 'string') t.index_patterns = [v];
        break;
      case 'index_patterns':
        if (typeof v === 'string') t.index_patterns = [v];
        else if (Array.isArray(v)) t.index_patterns = v.map(String);
        else throw illegalArgument('Malformed [index_patterns] value, should be a string or a list of strings');
        break;
      case 'order':
        t.order = Number(v);
        break;
      case 'version':
        if (v === null) break;
        if (typeof v !== 'number' || !Number.isInteger(v)) throw illegalArgument('Malformed [version] value, should be an integer');
        t.version = v;
        break;
      case 'settings':
        if (v === null || typeof v !== 'object' || Array.isArray(v)) throw illegalArgument('Malformed [settings] section, should include an inner object');
        t.settings = v as Record<string, unknown>;
        break;
      case 'mappings':
        t.mappings = stripType((v ?? {}) as MappingJSON);
        break;
      case 'aliases':
        t.aliases = (v ?? {}) as Record<string, Record<string, unknown>>;
        break;
      default:
        throw new OpenSearchError('parse_exception', `unknown key [${k}] in the template `, 400);
    }
  }
  if (t.index_patterns.length === 0) {
    throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: index patterns are missing;', 400);
  }
  if (create && store.legacyTemplates[name]) throw illegalArgument(`index_template [${name}] already exists`);
  const errors: string[] = [];
  if (name.includes(' ')) errors.push('name must not contain a space');
  if (name.includes(',')) errors.push("name must not contain a ','");
  if (name.includes('#')) errors.push("name must not contain a '#'");
  if (name.includes('*')) errors.push("name must not contain a '*'");
  if (name.startsWith('_')) errors.push("name must not start with '_'");
  if (name.toLowerCase() !== name) errors.push('name must be lower cased');
  errors.push(...patternProblems(t.index_patterns));
  const shards = normalizeIndexSettings(flattenSettings(t.settings ?? {}))['index.number_of_shards'];
  if (shards !== undefined && !(Number(shards) >= 1)) errors.push(`Failed to parse value [${String(shards)}] for setting [index.number_of_shards] must be >= 1`);
  if (errors.length > 0) throw invalidTemplate(name, errors);
  if (t.mappings) Mapping.parse(t.mappings);
  store.legacyTemplates[name] = t;
}

/**
 * Deletes the templates of one kind whose names match `pattern` (a name or wildcard). No match is
 * fine only for match-all patterns; otherwise `missing()` is thrown.
 */
export function deleteTemplates<T>(all: Record<string, T>, pattern: string, missing: () => OpenSearchError, guard?: (names: string[]) => OpenSearchError | null): string[] {
  const names = [...new Set(pattern.split(',').flatMap((p) => Object.keys(all).filter((k) => wildcardRegExp(p).test(k))))];
  if (names.length === 0) {
    if (pattern === '*' || pattern === '_all') return [];
    throw missing();
  }
  const refused = guard?.(names);
  if (refused) throw refused;
  for (const n of names) delete all[n];
  return names;
}

/** Component templates still used by composable templates, as OpenSearch refuses to remove them. */
export function componentTemplatesInUse(store: TemplateStore, names: string[]): OpenSearchError | null {
  const users = Object.entries(store.indexTemplates).filter(([, t]) => (t.composed_of ?? []).some((c) => names.includes(c))).map(([n]) => n);
  if (users.length === 0) return null;
  const used = names.filter((n) => users.some((u) => (store.indexTemplates[u].composed_of ?? []).includes(n)));
  return illegalArgument(`component templates [${used.join(', ')}] cannot be removed as they are still in use by index templates [${users.join(', ')}]`);
}

/** Composable templates matching an index name, best (highest priority) first. */
export function matchingIndexTemplates(store: TemplateStore, indexName: string): Array<[string, ComposableTemplate]> {
  return Object.entries(store.indexTemplates)
    .filter(([, t]) => matches(t.index_patterns, indexName))
    .sort((a, b) => (b[1].priority ?? 0) - (a[1].priority ?? 0));
}
