// Paces writers to the rate a shard's segment builds keep up with. Lookout acknowledges a write once
// its translog is fsynced and builds segments in the background, so a sustained load faster than the
// builds grows a backlog of documents not yet in a segment. Without pacing the only brake was a hard
// stop at MAX_BACKLOG_DOCS until a whole build landed (1-2 s for 50k log documents, which was the p99
// of Firehose deliveries); with it, each write past a soft backlog claims its share of the builds'
// time and waits its turn, so writers see an even delay and the backlog stays about where it is.

/** Build landings the rate is measured over. */
const LANDINGS = 4;

/**
 * Writes are admitted at the builds' rate times a factor that falls with the backlog: a little faster
 * at the paced backlog (a rate measured low, say a build that waited for a full buffer, must not hold
 * the backlog and so the builds below what they can do), slower near the hard limit. The backlog then
 * settles where admitting equals building, between the two, instead of creeping up to the hard limit
 * (a fixed 1.15 did: writers stopped there for 0.3-1.1 s every few seconds of a sustained load).
 */
const FACTOR_AT_PACED = 1.2;
const FACTOR_AT_MAX = 0.8;

/** Docs that may go unpaced on credit (see delay): eight 500-record Firehose deliveries. */
export const BURST_DOCS = 4000;

export class WritePacer {
  /** Recent build landings: docs built, and how long each build ran (ms), oldest first. */
  private landings: Array<{ docs: number; ms: number }> = [];
  /** When the build time claimed by the writes admitted so far runs out (ms). */
  private clock = 0;

  /**
   * `pacedBacklog`: the backlog (docs not yet in a segment) from which writes are paced;
   * `maxBacklog`: where the shard stops writers outright; `parallel`: how many builds run side by side
   * once the backlog is that large (a build per build worker).
   */
  constructor(private readonly pacedBacklog: number, private readonly maxBacklog: number, private readonly parallel: number) {}

  /**
   * A build posted at `startedAt` landed `docs` documents at `now` (ms). Each build counts for its own
   * running time, and `parallel` of them run at once: a rate from the time between landings was half
   * the truth when the first build of a burst landed with the second still running (writers were then
   * paced at ~19k docs/s with capacity for ~40k), and counted idle time before a burst as building.
   */
  landed(now: number, startedAt: number, docs: number): void {
    this.landings.push({ docs, ms: Math.max(1, now - startedAt) });
    if (this.landings.length > LANDINGS) this.landings.shift();
  }

  /** Docs per millisecond the builds land with `parallel` of them running, or 0 before any landed. */
  rate(): number {
    let docs = 0;
    let ms = 0;
    for (const l of this.landings) {
      docs += l.docs;
      ms += l.ms;
    }
    return ms > 0 ? (docs / ms) * this.parallel : 0;
  }

  /**
   * How many docs (about `full`, between half and one and a half times it) a build posted at `now`
   * should take beside one of `docs` docs posted at `startedAt`, so that it lands half a build after
   * that one: builds land in order, so two posted together land together, and each landing holds the
   * event loop for a while. (Holding the second build back until the first was half way instead left
   * a worker idle for 0.2-0.9 s whenever build times varied.) `full` before any build landed.
   */
  staggeredSize(startedAt: number, docs: number, now: number, full: number): number {
    const rate = this.rate();
    if (rate === 0) return full;
    // One build's time per doc: `rate` counts `parallel` builds side by side.
    const msPerDoc = this.parallel / rate;
    const target = startedAt + docs * msPerDoc + (full * msPerDoc) / 2;
    return Math.round(Math.min(1.5 * full, Math.max(full / 2, (target - now) / msPerDoc)));
  }

  /** The factor on the builds' rate writes are admitted at with `backlog` docs waiting. */
  factor(backlog: number): number {
    const f = (backlog - this.pacedBacklog) / (this.maxBacklog - this.pacedBacklog);
    return FACTOR_AT_PACED - (FACTOR_AT_PACED - FACTOR_AT_MAX) * Math.min(1, Math.max(0, f));
  }

  /**
   * How long (ms) a write of `docs` documents that leaves `backlog` waits, asked at `now` (ms): 0 below
   * the paced backlog or before any build landed; else until the writes admitted before it have had
   * their share of the builds' time (the write then claims `docs / (rate × factor)` of it). `running`:
   * the oldest build in flight (its docs, and when it was posted). One running longer than the recent
   * builds did says the builds are slower now (a merge or another shard's builds took CPU): the rate
   * is then at most its docs over its time so far, so writers slow down before the backlog reaches
   * the hard limit (they went on at the old rate until a landing released the writers stopped there).
   */
  delay(docs: number, backlog: number, now: number, running?: { docs: number; startedAt: number }): number {
    if (docs <= 0 || backlog < this.pacedBacklog) {
      this.clock = 0;
      return 0;
    }
    let rate = this.rate();
    if (running !== undefined && now > running.startedAt) rate = Math.min(rate, (running.docs / (now - running.startedAt)) * this.parallel);
    rate *= this.factor(backlog);
    if (rate <= 0) return 0;
    // Time the builds had and no write claimed (the clock fell behind) is credit, up to BURST_DOCS: the
    // writes that queued up behind an event-loop stall (a landing, a collection) or arrive together
    // when pacing starts go through at once instead of each waiting one more slot than the last.
    const slot = Math.max(now - BURST_DOCS / rate, this.clock);
    this.clock = slot + docs / rate;
    return Math.max(0, slot - now);
  }
}
