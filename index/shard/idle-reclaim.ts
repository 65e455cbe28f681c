// A full collection once the whole process has stopped writing. A big merge's inputs (hundreds of MB
// of arrays) are garbage once it lands, but V8 would keep them until its next full collection, which
// an idle server may not run for long. Forcing one at once held the event loop 110-140 ms with a
// Firehose load's heap, and every delivery in flight waited it out; while writes go on, V8's own
// collections come soon enough. Idle means no write to any shard: the collection is the process's,
// and timing it by the merged shard alone ran it while another index took a sustained load (that
// index's slowest deliveries, 340-380 ms in the Firehose benchmark's throttled phase).

import { fullGc } from '../segment/full-gc.ts';

/** How long writes must pause before the collection runs. */
export const RECLAIM_IDLE_MS = 250;

export class IdleReclaimer {
  private lastWriteAt = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly idleMs: number, private readonly collect: () => void) {}

  /** A write arrived at `at` (`Date.now()`). */
  wrote(at: number): void {
    this.lastWriteAt = at;
  }

  /** Collects once no write has arrived for `idleMs` (one pending collection serves every request). */
  request(): void {
    if (this.timer !== null) return;
    const check = (): void => {
      const idle = Date.now() - this.lastWriteAt;
      if (idle >= this.idleMs) {
        this.timer = null;
        this.collect();
      } else {
        this.timer = setTimeout(check, this.idleMs - idle).unref();
      }
    };
    this.timer = setTimeout(check, this.idleMs).unref();
  }
}

/** The process's reclaimer, which every shard reports its writes to. */
export const reclaimer = new IdleReclaimer(RECLAIM_IDLE_MS, fullGc);
