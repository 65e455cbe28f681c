// Paces writers to the rate a shard's segment builds keep up with. Lookout acknowledges a write once
// its translog is fsynced and builds segments in the background, so a sustained load faster than the
// builds grows a backlog of documents not yet in a segment. Without pacing the only brake was a hard
// stop at MAX_BACKLOG_DOCS until a whole build landed (1-2 s for 50k log documents, which was the p99
// of Firehose deliveries); with it, each write past a soft backlog claims its share of the builds'
// time and waits its turn, so writers see an even delay and the backlog stays about where it is.

/** Build landings the rate is measured over. */
const LANDINGS = 4;

/**
 * Writes are admitted a little faster than builds landed lately: a rate measured low (a build that
 * waited for a full buffer) must not hold the backlog, and so the builds, below what they can do;
 * one measured high ends at the hard limit, which still stops writers.
 */
const HEADROOM = 1.15;

export class WritePacer {
  /** Recent build landings: docs built, and the time builds were running for them (ms), oldest first. */
  private landings: Array<{ docs: number; busy: number }> = [];
  /** When the last build landed (ms). */
  private lastLanded = -Infinity;
  /** When the build time claimed by the writes admitted so far runs out (ms). */
  private clock = 0;

  /** `pacedBacklog`: the backlog (docs not yet in a segment) from which writes are paced. */
  constructor(private readonly pacedBacklog: number) {}

  /**
   * A build posted at `startedAt` landed `docs` documents at `now` (ms). It counts for the time since
   * it started or since the build before it landed, whichever is later: two builds running side by
   * side share the time, and a shard that was idle before (small refresh builds, then a burst) does
   * not count its idle time as slow building.
   */
  landed(now: number, startedAt: number, docs: number): void {
    this.landings.push({ docs, busy: now - Math.max(startedAt, this.lastLanded) });
    this.lastLanded = now;
    if (this.landings.length > LANDINGS) this.landings.shift();
  }

  /** Docs per millisecond the last builds landed while running, or 0 before any landed. */
  rate(): number {
    let docs = 0;
    let busy = 0;
    for (const l of this.landings) {
      docs += l.docs;
      busy += l.busy;
    }
    return busy > 0 ? docs / busy : 0;
  }

  /**
   * How long (ms) a write of `docs` documents that leaves `backlog` waits, asked at `now` (ms): 0 below
   * the paced backlog or before any build landed; else until the writes admitted before it have had
   * their share of the builds' time (the write then claims `docs / rate` of it).
   */
  delay(docs: number, backlog: number, now: number): number {
    if (docs <= 0 || backlog < this.pacedBacklog) {
      this.clock = 0;
      return 0;
    }
    const rate = this.rate() * HEADROOM;
    if (rate <= 0) return 0;
    const slot = Math.max(now, this.clock);
    this.clock = slot + docs / rate;
    return slot - now;
  }
}
