// IP addresses as OpenSearch indexes them: every address as 16 bytes (IPv4 mapped into IPv6), kept here
// as a 32-hex-digit string so that string order is address order for sorting, ranges and CIDR masks.

/** Encodes an IPv4 or IPv6 address as 32 lowercase hex digits, or returns undefined if invalid. */
export function encodeIp(text: string): string | undefined {
  const v4 = parseIpv4(text);
  if (v4) return '00000000000000000000ffff' + v4.map((b) => b.toString(16).padStart(2, '0')).join('');
  const v6 = parseIpv6(text);
  return v6?.map((w) => w.toString(16).padStart(4, '0')).join('');
}

/** Decodes 32 hex digits back into OpenSearch's printed form (dotted IPv4, compressed IPv6). */
export function decodeIp(hex: string): string {
  if (hex.startsWith('00000000000000000000ffff')) {
    const b = hex.slice(24);
    return [0, 2, 4, 6].map((i) => parseInt(b.slice(i, i + 2), 16)).join('.');
  }
  const words = [];
  for (let i = 0; i < 32; i += 4) words.push(parseInt(hex.slice(i, i + 4), 16));
  // Compress the longest run of zero words (RFC 5952).
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const parts = words.map((w) => w.toString(16));
  if (bestStart < 0) return parts.join(':');
  const head = parts.slice(0, bestStart).join(':');
  const tail = parts.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/** The [low, high] encoded bounds of a CIDR block like `192.168.0.0/16`, or undefined if invalid. */
export function cidrBounds(cidr: string): [string, string] | undefined {
  const slash = cidr.indexOf('/');
  if (slash < 0) return undefined;
  const addr = encodeIp(cidr.slice(0, slash));
  const bitsText = cidr.slice(slash + 1);
  if (!addr || !/^\d+$/.test(bitsText)) return undefined;
  let bits = Number(bitsText);
  if (parseIpv4(cidr.slice(0, slash))) {
    if (bits > 32) return undefined;
    bits += 96;
  } else if (bits > 128) return undefined;
  const big = BigInt('0x' + addr);
  const hostBits = BigInt(128 - bits);
  const low = (big >> hostBits) << hostBits;
  const high = low | ((1n << hostBits) - 1n);
  return [low.toString(16).padStart(32, '0'), high.toString(16).padStart(32, '0')];
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : undefined;
}

function parseIpv6(text: string): number[] | undefined {
  if (!text.includes(':')) return undefined;
  let s = text;
  let tail4: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (!v4) return undefined;
    tail4 = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    s = s.slice(0, lastColon + 1) + '0';
    s = s.slice(0, -1) || ':';
    if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string) => (h === '' ? [] : h.split(':').map((w) => (/^[0-9a-fA-F]{1,4}$/.test(w) ? parseInt(w, 16) : NaN)));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const total = 8 - tail4.length;
  if (head.some(Number.isNaN) || rest.some(Number.isNaN)) return undefined;
  let words: number[];
  if (halves.length === 2) {
    const zeros = total - head.length - rest.length;
    if (zeros < 1) return undefined;
    words = [...head, ...new Array(zeros).fill(0), ...rest];
  } else {
    if (head.length !== total) return undefined;
    words = head;
  }
  return [...words, ...tail4];
}
