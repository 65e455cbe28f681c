// Embeds stored `_source` bytes in a response verbatim. `_source` is returned exactly as the client
// sent it (big integers, key order and all), so responses splice it in instead of re-serialising.

/** A JSON fragment to emit as is. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON.stringify that writes RawJson values verbatim. */
export function stringifyWithRaw(value: unknown, pretty = false): string {
  const raws: string[] = [];
  const text = JSON.stringify(
    value,
    (_k, v) => {
      if (v instanceof RawJson) {
        raws.push(v.text);
        return `\u0000RAW${raws.length - 1}\u0000`;
      }
      return v;
    },
    pretty ? 2 : undefined,
  );
  if (raws.length === 0) return text;
  return text.replace(/"\\u0000RAW(\d+)\\u0000"/g, (_m, i) => raws[Number(i)]);
}
