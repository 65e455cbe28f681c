// The stash: values saved by `set` (and the last response body, under `body`) that later steps
// refer to as `$key`, `$key.sub.path` or `${key}` — in params, bodies (values and keys),
// expected values and assertion paths. Mirrors upstream's Stash class.
import { evaluatePath, type SegmentResolver } from './object-path.ts';
import { isMap, javaToString, type JsonMap } from './values.ts';

const EMBEDDED_KEY = /\$\{([^}]+)\}/g;
const CURRENT_PATH = /\$_path/g;

/** Raised when a `$key` has no stashed value. */
export class StashError extends Error {}

/** Saved values of one test section. */
export class Stash implements SegmentResolver {
  private values: JsonMap = {};

  /** Saves `value` under `key` (the `set` step, and `body` after every API call). */
  set(key: string, value: unknown): void {
    this.values[key] = value;
  }

  /** Forgets everything (done after `setup`, before a section's own steps). */
  clear(): void {
    this.values = {};
  }

  /** True for a string that must be looked up: it starts with `$` or embeds `${key}`. */
  isReference(value: unknown): value is string {
    if (typeof value !== 'string' || value.length === 0) return false;
    return value.startsWith('$') || /\$\{[^}]+\}/.test(value);
  }

  /**
   * Resolves a reference. `$key` (or `$key.sub.path`) returns the stashed value itself, of any
   * type; a string embedding `${key}` gets each one replaced by the value's text.
   */
  lookup(reference: string): unknown {
    if (reference.startsWith('$') && !reference.startsWith('${')) return this.unstash(reference.slice(1));
    if (!/\$\{[^}]+\}/.test(reference)) throw new StashError(`doesn't contain any stash keys [${reference}]`);
    return reference.replace(EMBEDDED_KEY, (_all, key: string) => javaToString(this.unstash(key)));
  }

  /** Object-path hook: a path segment that is a reference becomes the referenced text. */
  resolveSegment(segment: string): string {
    return this.isReference(segment) ? javaToString(this.lookup(segment)) : segment;
  }

  /**
   * Returns a deep copy of `value` with references replaced: whole-string values become the
   * stashed value, map keys become its text (stash_in_key), and `$_path` becomes the dotted
   * location of the value being replaced (stash_path_replace).
   */
  replace(value: unknown, path: string[] = []): unknown {
    if (this.isReference(value)) return this.lookup(this.withPath(value, path));
    if (Array.isArray(value)) return value.map((item, i) => this.replace(item, [...path, String(i)]));
    if (isMap(value)) {
      const result: JsonMap = {};
      for (const [rawKey, item] of Object.entries(value)) {
        const key = this.isReference(rawKey) ? javaToString(this.lookup(rawKey)) : rawKey;
        if (Object.hasOwn(result, key)) {
          throw new StashError(`unstashing key [${rawKey}] to [${key}] caused a key conflict`);
        }
        result[key] = this.replace(item, [...path, key]);
      }
      return result;
    }
    return value;
  }

  private withPath(reference: string, path: string[]): string {
    const dotted = path.map((p) => p.replaceAll('.', '\\.')).join('.');
    return reference.replace(CURRENT_PATH, () => dotted);
  }

  private unstash(key: string): unknown {
    const value = evaluatePath(this.values, key, this);
    if (value === null || value === undefined) throw new StashError(`stashed value not found for key [${key}]`);
    return value;
  }
}
