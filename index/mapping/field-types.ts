// Field types as OpenSearch maps them, and how each is indexed: which fields get an inverted index
// (terms → postings), which get positions and norms (text), and which get columnar doc values.

/** Field types Lookout understands. */
export const FIELD_TYPES = [
  'text', 'keyword', 'match_only_text',
  'long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long',
  'date', 'date_nanos', 'boolean', 'ip', 'binary', 'object', 'nested', 'flat_object', 'alias', 'constant_keyword',
  'token_count', 'wildcard', 'search_as_you_type', 'geo_point', 'version', 'murmur3',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const NUMERIC_TYPES = new Set<string>([
  'long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long', 'token_count',
]);
export const INTEGER_TYPES = new Set<string>(['long', 'integer', 'short', 'byte', 'unsigned_long', 'token_count']);

/** Inclusive value ranges of the integer types (as doubles; long extremes are not exact in JS). */
export const INTEGER_RANGES: Record<string, [number, number]> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  integer: [-2147483648, 2147483647],
  long: [-9223372036854775808, 9223372036854775807],
  unsigned_long: [0, 18446744073709551615],
  token_count: [-2147483648, 2147483647],
};

/** How a leaf field is stored in a segment. */
export type StorageKind =
  | 'text' // inverted with freqs + positions + norms, no doc values
  | 'keyword' // inverted (docs only) + sorted-set doc values (ordinals)
  | 'numeric' // sorted-numeric doc values (float64), searched by scanning values
  | 'none'; // not indexed (object containers, binary, disabled fields)

/** The storage kind for a mapping type. */
export function storageKindOf(type: string): StorageKind {
  switch (type) {
    case 'text':
    case 'match_only_text':
    case 'search_as_you_type':
      return 'text';
    case 'keyword':
    case 'constant_keyword':
    case 'wildcard':
    case 'ip':
    case 'version':
    case 'flat_object':
      return 'keyword';
    case 'date':
    case 'date_nanos':
    case 'boolean':
      return 'numeric';
    default:
      return NUMERIC_TYPES.has(type) ? 'numeric' : 'none';
  }
}

/** The compiled view of one leaf field (a path like `a.b.keyword`) used by indexing and search. */
export interface FieldInfo {
  path: string;
  type: string;
  storage: StorageKind;
  /** Index-time analyzer (text) or normalizer (keyword) name. */
  analyzer?: string;
  searchAnalyzer?: string;
  searchQuoteAnalyzer?: string;
  normalizer?: string;
  /** Keyword strings longer than this are not indexed (still in _source). */
  ignoreAbove?: number;
  ignoreMalformed?: boolean;
  /** Date format spec (`strict_date_optional_time||epoch_millis`). */
  format?: string;
  scalingFactor?: number;
  nullValue?: unknown;
  index: boolean;
  docValues: boolean;
  store: boolean;
  coerce: boolean;
  /** For `alias` fields: the field they point to. */
  aliasPath?: string;
  /** Whether text has norms (BM25 length normalization). */
  norms: boolean;
  /** For multi-fields: the parent path whose value feeds this field. */
  parentPath?: string;
  copyTo?: string[];
  /** `index_options` for text: docs | freqs | positions | offsets. */
  indexOptions?: string;
  /** The mapping parameters exactly as given (for GET _mapping). */
  raw: Record<string, unknown>;
}
