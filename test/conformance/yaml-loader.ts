// Reads YAML test files into setup / teardown / sections, and parses YAML response bodies.
// Uses YAML 1.2 core rules (so `n`, `y`, `on` stay strings and dates stay strings, as with
// upstream's Jackson parser) with an integer type that keeps literals beyond 2^53 exact.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { isMap } from './values.ts';

/** One step of a section: a one-key map such as `{do: {...}}` or `{match: {...}}`. */
export interface Step {
  /** The step kind: `do`, `match`, `set`, `skip`, `length`, … */
  kind: string;
  /** The value under the step's single key. */
  args: unknown;
}

/** A test section: a title and its ordered steps. */
export interface Section {
  title: string;
  steps: Step[];
}

/** A parsed test file. */
export interface TestFile {
  path: string;
  setup: Step[];
  teardown: Step[];
  sections: Section[];
}

const INTEGER = /^[-+]?(?:0b[01]+|0o[0-7]+|0x[0-9a-fA-F]+|[0-9]+)$/;

/** YAML 1.2 core-schema integers, constructed as `bigint` when they do not fit a double exactly. */
const losslessInt = new yaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && INTEGER.test(data),
  construct: (data: string) => {
    const negative = data.startsWith('-');
    const digits = data.replace(/^[-+]/, '');
    const magnitude = BigInt(digits); // BigInt understands the 0b / 0o / 0x prefixes
    const value = negative ? -magnitude : magnitude;
    const asNumber = Number(value);
    return Number.isSafeInteger(asNumber) ? asNumber : value;
  },
  predicate: (object: unknown) => typeof object === 'bigint',
});

/** Core schema (no timestamps, no YAML 1.1 booleans) with lossless integers. */
export const YAML_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [losslessInt] });

/** Parses one YAML document (a response body) with the runner's schema. */
export function parseYaml(text: string): unknown {
  return yaml.load(text, { schema: YAML_SCHEMA });
}

/** Parses the text of a test file: a stream of one-key documents (setup, teardown, sections). */
export function parseTestFile(text: string, path: string): TestFile {
  const file: TestFile = { path, setup: [], teardown: [], sections: [] };
  const documents = yaml.loadAll(text, null, { schema: YAML_SCHEMA, filename: path });
  for (const doc of documents) {
    if (doc === null || doc === undefined) continue; // a leading `---` yields an empty document
    if (!isMap(doc) || Object.keys(doc).length !== 1) {
      throw new Error(`${path}: each document must be a map with exactly one key`);
    }
    const [title, body] = Object.entries(doc)[0]!;
    const steps = parseSteps(body, `${path} :: ${title}`);
    if (title === 'setup') file.setup = steps;
    else if (title === 'teardown') file.teardown = steps;
    else file.sections.push({ title, steps });
  }
  return file;
}

/** Reads and parses a test file from disk. */
export function loadTestFile(path: string): TestFile {
  return parseTestFile(readFileSync(path, 'utf8'), path);
}

function parseSteps(body: unknown, where: string): Step[] {
  if (body === null || body === undefined) return [];
  if (!Array.isArray(body)) throw new Error(`${where}: expected a list of steps`);
  return body.map((item: unknown, index) => {
    if (!isMap(item) || Object.keys(item).length !== 1) {
      throw new Error(`${where}: step ${index + 1} must be a map with exactly one key`);
    }
    const [kind, args] = Object.entries(item)[0]!;
    return { kind, args };
  });
}
