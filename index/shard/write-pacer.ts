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
  /** Recent build landings (ms, docs built), oldest first. */
  private landings: Array<{ at: number; docs: number }> = [];
  /** When the build time claimed by the writes admitted so far runs out (ms). */
  private clock = 0;

  /** `pacedBacklog`: the backlog (docs not yet in a segment) from which writes are paced. */
  constructor(private readonly pacedBacklog: number) {}

  /** A build landed `docs` documents at `now` (ms). */
  landed(now: number, docs: number): void {
    this.landings.push({ at: now, docs });
    if (this.landings.length > LANDINGS) this.landings.shift();
  }

  /** Docs per millisecond the last builds landed, or 0 until two landings are known. */
  rate(): number {
    const l = this.landings;
    if (l.length < 2) return 0;
    let docs = 0;
    for (let i = 1; i < l.length; i++) docs += l[i]!.docs;
    const ms = l[l.length - 1]!.at - l[0]!.at;
    return ms > 0 ? docs / ms : 0;
  }

  /**
   * How long (ms) a write of `docs` documents that leaves `backlog` waits, asked at `now` (ms): 0 below
   * the paced backlog or before a rate is known; else until the writes admitted before it have had
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
