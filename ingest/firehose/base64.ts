// The strict reading of a Firehose record's base64 (record-decoder.ts, envelope.ts).

/**
 * Node's base64 decoder skips characters outside the alphabet instead of failing, so compare lengths:
 * a clean string of n characters (padding aside) decodes to exactly ⌊n·3/4⌋ bytes. Accepts base64url too.
 */
export function isStrictBase64(s: string, decodedLength: number): boolean {
  let n = s.length;
  if (n > 0 && s.charCodeAt(n - 1) === 0x3d) n--;
  if (n > 0 && s.charCodeAt(n - 1) === 0x3d) n--;
  if (n % 4 === 1) return false;
  return decodedLength === Math.floor((n * 3) / 4);
}
