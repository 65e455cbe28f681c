// Retention: events older than a group's retentionInDays are deleted by a periodic sweep. Whole daily
// indices (`cwl-<group>-<hash>-yyyy.mm.dd`) past the cutoff are dropped, which costs nothing per event;
// only the day the cutoff falls in is trimmed with a delete-by-query on `@timestamp`.

import type { DocumentSink } from '../document-sink.ts';
import { logGroupIndexPrefix } from './log-event-document.ts';
import type { LogMetadataStore } from './log-metadata-store.ts';

const DAY = 86_400_000;

/** What one sweep removed. */
export interface SweepResult {
  deletedIndices: string[];
  deletedEvents: number;
}

/** Applies every group's retention once, as of `now`. */
export async function sweepRetention(sink: DocumentSink, meta: LogMetadataStore, now: number, only?: string): Promise<SweepResult> {
  const result: SweepResult = { deletedIndices: [], deletedEvents: 0 };
  for (const [name, group] of meta.groups) {
    if (group.retentionInDays === undefined || (only !== undefined && only !== name)) continue;
    const cutoff = now - group.retentionInDays * DAY;
    const prefix = logGroupIndexPrefix(name);
    for (const index of await sink.listIndices(`${prefix}*`)) {
      const dayStart = dayOfIndex(index.name, prefix);
      if (dayStart === undefined) continue;
      if (dayStart + DAY <= cutoff) {
        await sink.deleteIndices(index.name);
        result.deletedIndices.push(index.name);
      } else if (dayStart < cutoff) {
        result.deletedEvents += await sink.deleteByQuery(index.name, { range: { '@timestamp': { lt: cutoff, format: 'epoch_millis' } } });
      }
    }
  }
  return result;
}

/** The UTC midnight of a daily index, or undefined for a name that is not one. */
function dayOfIndex(index: string, prefix: string): number | undefined {
  const m = /^(\d{4})\.(\d{2})\.(\d{2})$/.exec(index.slice(prefix.length));
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}
