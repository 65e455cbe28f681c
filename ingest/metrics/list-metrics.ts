// ListMetrics (specs/aws.md §4.2): the distinct metrics (namespace + name + full dimension set) with
// data in the last two weeks — or the last three hours with `RecentlyActive: PT3H` — filtered by
// namespace, name and dimensions (a dimension filter without a value matches any value), 500 a page in
// metric-key order. Metrics are visible as soon as their datapoints are (no 15-minute delay).

import { cloudWatchErrors } from '../aws/aws-error.ts';
import { optString, type AwsInput } from '../aws/aws-input.ts';
import type { DatapointScanner } from './datapoint-scan.ts';
import { checkNamespace, parseDimensions } from './metric-params.ts';

const invalid = cloudWatchErrors.invalidParameterValue;
export const LIST_PAGE_SIZE = 500;
const TWO_WEEKS_MS = 14 * 24 * 3600 * 1000;
const THREE_HOURS_MS = 3 * 3600 * 1000;

interface Identity {
  Namespace: string;
  MetricName: string;
  Dimensions: Array<{ Name: string; Value: string }>;
  dims: Record<string, string>;
}

/** The ListMetrics operation: metric identities seen in `cwm-*` (two weeks, or three hours with RecentlyActive). */
export function listMetricsOperation(scanner: DatapointScanner, clock: () => number = Date.now) {
  /** Identities by metric key, read once from a datapoint's source (the key alone is not reversible). */
  const identities = new Map<string, Identity>();
  return async (input: AwsInput) => {
    const namespace = optString(input, 'Namespace', invalid);
    if (namespace !== undefined) checkNamespace(namespace);
    const metricName = optString(input, 'MetricName', invalid);
    const dimFilter = parseDimensions(input, 'Dimensions', 'Dimensions', false);
    const recently = optString(input, 'RecentlyActive', invalid);
    if (recently !== undefined && recently !== 'PT3H') throw invalid(`The value ${recently} for parameter RecentlyActive is not valid (PT3H).`);
    const token = optString(input, 'NextToken', invalid);
    let after: string | undefined;
    if (token !== undefined) {
      after = Buffer.from(token, 'base64url').toString('utf8');
      if (!after.startsWith('k:')) throw cloudWatchErrors.invalidNextToken('The NextToken is invalid.');
      after = after.slice(2);
    }
    const cutoff = clock() - (recently ? THREE_HOURS_MS : TWO_WEEKS_MS);
    const prefix = namespace === undefined ? '' : metricName === undefined ? `${namespace}\u001f` : `${namespace}\u001f${metricName}`;

    const matched = new Map<string, Identity>();
    for (const seg of scanner.segments(cutoff, Infinity)) {
      const inv = seg.inverted.get('metricKey');
      const tsCol = seg.docValues.get('@timestamp');
      if (!inv || !tsCol) continue;
      for (let t = lowerBound(inv.terms, prefix); t < inv.terms.length; t++) {
        const key = inv.terms[t];
        if (!key.startsWith(prefix)) break;
        if (matched.has(key) || (after !== undefined && key <= after)) continue;
        // Recently active: any live datapoint at or after the cutoff.
        let live = -1;
        for (let p = inv.docStart[t]; p < inv.docStart[t + 1]; p++) {
          const doc = inv.docs[p];
          if (!seg.isLive(doc)) continue;
          const at = tsCol.offsets[doc];
          if (at < tsCol.offsets[doc + 1] && tsCol.values[at] >= cutoff) {
            live = doc;
            break;
          }
        }
        if (live < 0) continue;
        let id = identities.get(key);
        if (!id) {
          const src = JSON.parse(seg.source(live).toString('utf8')) as { namespace: string; metricName: string; dimensions?: Record<string, string> };
          const dims = src.dimensions ?? {};
          id = { Namespace: src.namespace, MetricName: src.metricName, Dimensions: Object.keys(dims).sort().map((Name) => ({ Name, Value: dims[Name] })), dims };
          identities.set(key, id);
        }
        if (metricName !== undefined && id.MetricName !== metricName) continue;
        if (namespace !== undefined && id.Namespace !== namespace) continue;
        if (!Object.entries(dimFilter).every(([n, v]) => n in id!.dims && (v === undefined || id!.dims[n] === v))) continue;
        matched.set(key, id);
      }
    }
    const keys = [...matched.keys()].sort();
    const page = keys.slice(0, LIST_PAGE_SIZE);
    const Metrics = page.map((k) => {
      const { Namespace, MetricName, Dimensions } = matched.get(k)!;
      return { Namespace, MetricName, Dimensions };
    });
    const NextToken = keys.length > LIST_PAGE_SIZE ? Buffer.from(`k:${page[page.length - 1]}`).toString('base64url') : undefined;
    return { Metrics, NextToken };
  };
}

function lowerBound(arr: string[], key: string): number {
  let lo = 0, hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
