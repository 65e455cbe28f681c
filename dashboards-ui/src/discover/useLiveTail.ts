// Live tail: while on, polls for documents newer than the newest one shown (search_after on the time
// field, oldest first) and hands them over newest first. Ids already seen in the newest millisecond are
// dropped, since each poll re-reads that millisecond on purpose (see tailBody).

import { useEffect, useRef } from 'react';
import { search, type Hit } from '../api/client.ts';
import type { Dsl } from '../query/dql-to-dsl.ts';
import { tailBody } from './discover-search.ts';

export const TAIL_POLL_MS = 1500;

export function useLiveTail(opts: {
  on: boolean;
  index: string;
  timeField?: string;
  /** Query bar + filters, without the time range (the tail has no end). */
  query: Dsl;
  /** Newest time already shown (epoch ms). */
  since: number;
  onHits: (newestFirst: Hit[]) => void;
  onError: (message: string) => void;
}): void {
  const cb = useRef(opts);
  cb.current = opts;
  const { on, index, timeField, query, since } = opts;
  useEffect(() => {
    if (!on || !timeField) return;
    let newest = since;
    let seenAtNewest = new Set<string>();
    let stopped = false;
    let timer = 0;
    const poll = async () => {
      try {
        const res = await search(index, tailBody(query, timeField, newest));
        if (stopped) return;
        const fresh: Hit[] = [];
        for (const h of res.hits.hits) {
          const t = Number(h.sort?.[0]);
          const key = `${h._index}/${h._id}`;
          if (t < newest || (t === newest && seenAtNewest.has(key))) continue;
          if (t > newest) {
            newest = t;
            seenAtNewest = new Set();
          }
          seenAtNewest.add(key);
          fresh.push(h);
        }
        if (fresh.length) cb.current.onHits(fresh.reverse());
      } catch (err) {
        if (!stopped) cb.current.onError((err as Error).message);
      }
      if (!stopped) timer = window.setTimeout(poll, TAIL_POLL_MS);
    };
    timer = window.setTimeout(poll, 0);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [on, index, timeField, query, since]);
}
