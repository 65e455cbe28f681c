// The analysis registry of one index: built from its settings (OpenSearch's AnalysisRegistry.build),
// it validates every tokenizer, filter, char filter, analyzer and normalizer up front so a bad
// definition fails index creation, then hands out analyzers and normalizers by name.

import { AnalysisError, type Analyzer, lowerCase, type Normalizer } from './analyzer.ts';
import { ANALYZER_FACTORIES, builtinAnalyzer, isBuiltinAnalyzer } from './builtin-analyzers.ts';
import { type CharFilter, ChainAnalyzer, runCharFilters, type TokenFilter, type Tokenizer } from './chain.ts';
import { CHAR_FILTER_FACTORIES } from './char-filters.ts';
import { type AnalysisLimits, type Params, readAnalysisSettings } from './settings.ts';
import { FILTER_FACTORIES, NORMALIZER_FILTERS } from './token-filters.ts';
import { TOKENIZER_FACTORIES } from './tokenizers.ts';

/** Analyzers and normalizers of one index. */
export interface AnalysisRegistry {
  /** The analyzer called `name` (index-defined first, then built-in); throws {@link AnalysisError}. */
  get(name: string): Analyzer;
  has(name: string): boolean;
  /** The index's `default` analyzer (standard unless overridden in settings). */
  defaultAnalyzer(): Analyzer;
  /** `default_search` if defined, else the default analyzer. */
  defaultSearchAnalyzer(): Analyzer;
  /** The keyword normalizer called `name`; throws {@link AnalysisError}. */
  normalizer(name: string): Normalizer;
  /** An ad-hoc chain as `_analyze` accepts it: names of components or inline definitions. */
  custom(spec: CustomSpec): Analyzer;
}

/** A component reference: a name, or an inline definition with a `type`. */
export type ComponentRef = string | Params;

/** Parts of an ad-hoc analyzer (`_analyze` with `tokenizer`, `filter`, `char_filter`). */
export interface CustomSpec {
  tokenizer?: ComponentRef;
  filter?: readonly ComponentRef[];
  char_filter?: readonly ComponentRef[];
}

type Kind = 'tokenizer' | 'filter' | 'char_filter';
const FACTORY_TABLES = { tokenizer: TOKENIZER_FACTORIES, filter: FILTER_FACTORIES, char_filter: CHAR_FILTER_FACTORIES };
const CHAIN_AWARE = new Set(['synonym', 'synonym_graph']);

const asList = (v: unknown): ComponentRef[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? (v as ComponentRef[]) : String(v).split(',').map((s) => s.trim()).filter(Boolean);

/** Builds the registry for index settings as OpenSearch's GET returns them (nested or flattened). */
export function buildAnalysisRegistry(indexSettings: Record<string, unknown>): AnalysisRegistry {
  const settings = readAnalysisSettings(indexSettings);
  const limits: AnalysisLimits = settings.limits;
  const defs: Record<Kind, Record<string, Params>> = {
    tokenizer: settings.tokenizer,
    filter: settings.filter,
    char_filter: settings.char_filter,
  };

  /** Resolves a component to its type and params, or undefined when the name is unknown. */
  const resolve = (kind: Kind, ref: ComponentRef): { type: string; params: Params; name: string } | undefined => {
    if (typeof ref !== 'string') {
      const type = ref.type === undefined ? undefined : String(ref.type);
      if (type === undefined) throw new AnalysisError(`${kind} [_anonymous_${kind}] must specify either an analyzer type, or a tokenizer`);
      if (!Object.hasOwn(FACTORY_TABLES[kind], type)) throw new AnalysisError(`Unknown ${kind} type [${type}] for [_anonymous_${kind}]`);
      return { type, params: ref, name: `_anonymous_${kind}` };
    }
    const def = defs[kind][ref];
    if (def) {
      const type = def.type === undefined ? undefined : String(def.type);
      if (type === undefined) throw new AnalysisError(`${kind} [${ref}] must specify either an analyzer type, or a tokenizer`);
      if (!Object.hasOwn(FACTORY_TABLES[kind], type)) throw new AnalysisError(`Unknown ${kind} type [${type}] for [${ref}]`);
      return { type, params: def, name: ref };
    }
    return Object.hasOwn(FACTORY_TABLES[kind], ref) ? { type: ref, params: {}, name: ref } : undefined;
  };

  const buildTokenizer = (r: { type: string; params: Params; name: string }): Tokenizer =>
    TOKENIZER_FACTORIES[r.type](r.params, limits, r.name);
  const buildCharFilter = (r: { type: string; params: Params; name: string }): CharFilter =>
    CHAR_FILTER_FACTORIES[r.type](r.params, r.name);

  // Validate every defined component now, as OpenSearch does when the index is created.
  for (const name of Object.keys(defs.tokenizer)) buildTokenizer(resolve('tokenizer', name)!);
  for (const name of Object.keys(defs.char_filter)) buildCharFilter(resolve('char_filter', name)!);
  for (const name of Object.keys(defs.filter)) {
    const r = resolve('filter', name)!;
    FILTER_FACTORIES[r.type](r.params, { name, limits });
  }

  /** Assembles a chain; synonym filters analyze their rules with the chain before them. */
  const chain = (name: string, owner: string, spec: CustomSpec): ChainAnalyzer => {
    const what = (kind: string, ref: ComponentRef): string =>
      `Custom Analyzer [${owner}] failed to find ${kind} under name [${typeof ref === 'string' ? ref : String(ref.type)}]`;
    if (spec.tokenizer === undefined) throw new AnalysisError(`Custom Analyzer [${owner}] must be configured with a tokenizer`);
    const tr = resolve('tokenizer', spec.tokenizer);
    if (!tr) throw new AnalysisError(what('tokenizer', spec.tokenizer));
    const tokenizer = buildTokenizer(tr);
    const charFilters = (spec.char_filter ?? []).map((ref) => {
      const r = resolve('char_filter', ref);
      if (!r) throw new AnalysisError(what('char_filter', ref));
      return buildCharFilter(r);
    });
    const filters: TokenFilter[] = [];
    for (const ref of spec.filter ?? []) {
      const r = resolve('filter', ref);
      if (!r) throw new AnalysisError(what('filter', ref));
      const before = [...filters];
      const analyzeRule = CHAIN_AWARE.has(r.type)
        ? (text: string) => new ChainAnalyzer('_rule', tokenizer, before, charFilters).terms(text)
        : undefined;
      filters.push(FILTER_FACTORIES[r.type](r.params, { name: r.name, limits, analyzeRule }));
    }
    return new ChainAnalyzer(name, tokenizer, filters, charFilters);
  };

  const analyzers = new Map<string, Analyzer>();
  for (const [name, def] of Object.entries(settings.analyzer)) {
    if (name.startsWith('_')) throw new AnalysisError(`analyzer name must not start with '_'. got "${name}"`);
    if (name === 'default_index') {
      throw new AnalysisError('setting [index.analysis.analyzer.default_index] is not supported anymore, use [index.analysis.analyzer.default] instead');
    }
    const type = def.type === undefined ? undefined : String(def.type);
    if (type === undefined && def.tokenizer === undefined) {
      throw new AnalysisError(`analyzer [${name}] must specify either an analyzer type, or a tokenizer`);
    }
    if (type === undefined || type === 'custom') {
      analyzers.set(name, chain(name, name, {
        tokenizer: def.tokenizer as ComponentRef | undefined,
        filter: asList(def.filter),
        char_filter: asList(def.char_filter),
      }));
    } else if (Object.hasOwn(ANALYZER_FACTORIES, type)) {
      analyzers.set(name, ANALYZER_FACTORIES[type](def, name));
    } else {
      throw new AnalysisError(`Unknown analyzer type [${type}] for [${name}]`);
    }
  }

  const normalizers = new Map<string, Normalizer>();
  normalizers.set('lowercase', { name: 'lowercase', normalize: lowerCase });
  for (const [name, def] of Object.entries(settings.normalizer)) {
    const type = def.type === undefined ? 'custom' : String(def.type);
    if (type !== 'custom') throw new AnalysisError(`Unknown normalizer type [${type}] for [${name}]`);
    const charFilters = asList(def.char_filter).map((ref) => {
      const r = resolve('char_filter', ref);
      if (!r) throw new AnalysisError(`Custom normalizer [${name}] failed to find char_filter under name [${String(ref)}]`);
      const cf = buildCharFilter(r);
      if (!cf.normalizing) throw new AnalysisError(`Custom normalizer [${name}] may not use char filter [${String(ref)}]`);
      return cf;
    });
    const steps = asList(def.filter).map((ref) => {
      const r = resolve('filter', ref);
      if (!r) throw new AnalysisError(`Custom normalizer [${name}] failed to find filter under name [${String(ref)}]`);
      const f = FILTER_FACTORIES[r.type](r.params, { name: r.name, limits });
      if (!NORMALIZER_FILTERS.has(r.type) || !f.normalize) throw new AnalysisError(`Custom normalizer may not use filter [${r.name}]`);
      return f.normalize;
    });
    normalizers.set(name, {
      name,
      normalize(text) {
        let s = charFilters.length > 0 ? runCharFilters(charFilters, text).text : text;
        for (const step of steps) s = step(s);
        return s;
      },
    });
  }

  const registry: AnalysisRegistry = {
    get(name) {
      const a = analyzers.get(name);
      if (a) return a;
      if (isBuiltinAnalyzer(name) || name === 'default') return builtinAnalyzer(name);
      throw new AnalysisError(`failed to find analyzer [${name}]`);
    },
    has: (name) => analyzers.has(name) || isBuiltinAnalyzer(name) || name === 'default',
    defaultAnalyzer: () => registry.get('default'),
    defaultSearchAnalyzer: () => analyzers.get('default_search') ?? registry.get('default'),
    normalizer(name) {
      const n = normalizers.get(name);
      if (!n) throw new AnalysisError(`failed to find normalizer [${name}]`);
      return n;
    },
    custom: (spec) => chain('__custom__', '__custom__', spec),
  };
  return registry;
}
