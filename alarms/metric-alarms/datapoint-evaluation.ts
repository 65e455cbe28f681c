// Decides what state the datapoints of one alarm call for: CloudWatch's "M out of N" with the four
// TreatMissingData modes (specs/aws.md §5.2), using the rule of §10 item 1 that reproduces every
// documented example row, and words the StateReason / StateReasonData as AWS does (§5.3).
// Pure: datapoints and the time of the query in, a decision out; the state machine applies it.

import type { ComparisonOperator, StateValue, TreatMissingData } from './alarm-types.ts';

/** One period of the evaluation range: its start (epoch ms) and its statistic, or null when missing. */
export interface PeriodDatapoint {
  timestamp: number;
  value: number | null;
  /** Samples behind the value, when known (percentile low-sample-count rule). */
  sampleCount?: number;
}

/** What the evaluation needs of an alarm's configuration. */
export interface EvaluationCriteria {
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparisonOperator: ComparisonOperator;
  treatMissingData: TreatMissingData;
  period: number;
  /** The statistic named in StateReasonData (absent for metric-math alarms). */
  statistic?: string;
  /** `EvaluateLowSampleCountPercentile=ignore` on a percentile: the minimum samples a period needs. */
  minSampleCount?: number;
}

/** The decision: a state with AWS's reason, or `keep` (TreatMissingData `ignore`, low sample counts). */
export type Evaluation = { state: StateValue; reason: string; reasonData: string } | { state: 'keep'; reason: string };

/** How many periods to fetch for N evaluation periods (AWS fetches more than N; LocalStack's choice). */
export function evaluationRange(evaluationPeriods: number): number {
  return evaluationPeriods + Math.max(Math.floor(evaluationPeriods / 3), 2);
}

/** Whether a value breaches (the statistic is the left operand). */
export function isBreaching(value: number, op: ComparisonOperator, threshold: number): boolean {
  switch (op) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
    default: {
      const never: never = op;
      throw new Error(`unknown comparison operator ${String(never)}`);
    }
  }
}

const OPERATOR_WORDS: Record<ComparisonOperator, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/**
 * Evaluates the datapoints of the range (oldest first) for an alarm currently in `previous`.
 * The window W is the N most recent real datapoints when there are at least N; otherwise every real
 * datapoint plus the most recent missing periods needed to make N, in time order (§10 item 1).
 */
export function evaluateDatapoints(points: PeriodDatapoint[], c: EvaluationCriteria, previous: StateValue, queryDate: number): Evaluation {
  const n = c.evaluationPeriods;
  const m = c.datapointsToAlarm;
  const real = points.filter((p) => p.value !== null);
  let window: PeriodDatapoint[];
  if (real.length >= n) window = real.slice(-n);
  else {
    const missing = points.filter((p) => p.value === null).slice(-(n - real.length));
    window = [...real, ...missing].sort((a, b) => a.timestamp - b.timestamp);
  }
  if (c.minSampleCount !== undefined && real.length > 0 && window.some((p) => p.value !== null && (p.sampleCount ?? 0) < c.minSampleCount!)) {
    return { state: 'keep', reason: 'a percentile period has too few samples (EvaluateLowSampleCountPercentile=ignore)' };
  }
  const breaching = (p: PeriodDatapoint) => p.value !== null && isBreaching(p.value, c.comparisonOperator, c.threshold);
  const realBreaching = window.filter(breaching);
  const realOk = window.filter((p) => p.value !== null && !breaching(p));
  const missingCount = window.filter((p) => p.value === null).length;
  const words = new ReasonWords(window, c, previous, queryDate);

  if (c.treatMissingData === 'breaching' || c.treatMissingData === 'notBreaching') {
    const fillBreaching = c.treatMissingData === 'breaching';
    const breachCount = realBreaching.length + (fillBreaching ? missingCount : 0);
    if (real.length === 0) return words.allMissingFilled(fillBreaching ? 'ALARM' : 'OK', missingCount);
    if (breachCount >= m) return words.alarm(realBreaching, fillBreaching ? missingCount : 0);
    return words.ok(realOk.length + (fillBreaching ? 0 : missingCount), fillBreaching ? 0 : missingCount);
  }
  // `missing` and `ignore`: missing periods are not counted either way.
  const keepOr = (e: Evaluation): Evaluation => (c.treatMissingData === 'ignore' ? { state: 'keep', reason: 'missing data is ignored (TreatMissingData=ignore)' } : e);
  if (real.length === 0) return keepOr(words.insufficient(n));
  if (realBreaching.length >= m) return words.alarm(realBreaching, 0);
  if (realOk.length > 0) return words.ok(realOk.length, 0);
  // The premature-transition rule: the oldest breaching datapoint of W is at least M positions from the
  // newest end (every newer one is breaching or missing).
  const oldest = window.findIndex(breaching);
  if (oldest >= 0 && window.length - oldest >= m) return keepOr(words.alarm(realBreaching, 0));
  return keepOr(words.insufficient(missingCount));
}

/** Words StateReason and StateReasonData for one evaluation window. */
class ReasonWords {
  constructor(
    private readonly window: PeriodDatapoint[],
    private readonly c: EvaluationCriteria,
    private readonly previous: StateValue,
    private readonly queryDate: number,
  ) {}

  alarm(breaching: PeriodDatapoint[], filled: number): Evaluation {
    return this.decision('ALARM', () => {
      const listed = [...breaching].reverse().map((p) => `${javaDouble(p.value!)} (${shortDate(p.timestamp)})`);
      const b = breaching.length + filled;
      const m = this.c.datapointsToAlarm;
      let reason =
        `Threshold Crossed: ${b} out of the last ${this.window.length} datapoints [${listed.join(', ')}] ${b === 1 ? 'was' : 'were'} ` +
        `${OPERATOR_WORDS[this.c.comparisonOperator]} the threshold (${javaDouble(this.c.threshold)}) ` +
        `(minimum ${m} ${m === 1 ? 'datapoint' : 'datapoints'} for ${this.previous} -> ALARM transition).`;
      if (filled > 0) reason += ` ${filled} missing ${plural(filled, 'datapoint was', 'datapoints were')} treated as [Breaching].`;
      return reason;
    });
  }

  ok(notBreaching: number, filled: number): Evaluation {
    return this.decision('OK', () => {
      const recent = this.window.filter((p) => p.value !== null).map((p) => javaDouble(p.value!));
      let reason =
        `Threshold Crossed: ${notBreaching} ${plural(notBreaching, 'datapoint was', 'datapoints were')} not ` +
        `${OPERATOR_WORDS[this.c.comparisonOperator]} the threshold (${javaDouble(this.c.threshold)}). The most recent datapoints: [${recent.join(', ')}].`;
      if (filled > 0) reason += ` ${filled} missing ${plural(filled, 'datapoint was', 'datapoints were')} treated as [NonBreaching].`;
      return reason;
    });
  }

  allMissingFilled(state: 'ALARM' | 'OK', filled: number): Evaluation {
    const as = state === 'ALARM' ? 'Breaching' : 'NonBreaching';
    return this.decision(state, () => `Threshold Crossed: no datapoints were received for ${filled} periods and ${filled} missing datapoints were treated as [${as}].`);
  }

  insufficient(unknown: number): Evaluation {
    return this.decision('INSUFFICIENT_DATA', () => `Insufficient Data: ${unknown} ${plural(unknown, 'datapoint was', 'datapoints were')} unknown.`);
  }

  /**
   * A decision whose reason and reason data are worded on first read: most evaluations confirm the
   * current state and never need them (10,000 alarms a minute).
   */
  private decision(state: StateValue, reason: () => string): Evaluation {
    let text: string | undefined;
    let data: string | undefined;
    const words = this;
    return {
      state,
      get reason() {
        return (text ??= reason());
      },
      get reasonData() {
        return (data ??= words.data());
      },
    };
  }

  /** StateReasonData: query and window dates, recent values (oldest first), evaluated datapoints (newest first). */
  private data(): string {
    const data: Record<string, unknown> = { version: '1.0', queryDate: awsDate(this.queryDate) };
    if (this.window.length > 0) data.startDate = awsDate(this.window[0].timestamp);
    if (this.c.statistic) data.statistic = this.c.statistic;
    data.period = this.c.period;
    data.recentDatapoints = this.window.filter((p) => p.value !== null).map((p) => p.value);
    data.threshold = this.c.threshold;
    data.evaluatedDatapoints = [...this.window].reverse().map((p) => {
      const d: Record<string, unknown> = { timestamp: awsDate(p.timestamp) };
      if (p.sampleCount !== undefined) d.sampleCount = p.sampleCount;
      if (p.value !== null) d.value = p.value;
      return d;
    });
    return JSON.stringify(data);
  }
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** A double as Java prints it (AWS's reason texts): `12.0`, `38.958`, `1.0E7`. */
export function javaDouble(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs >= 1e7 || abs < 1e-3)) {
    const [mant, exp] = v.toExponential().split('e');
    return `${mant.includes('.') ? mant : `${mant}.0`}E${Number(exp)}`;
  }
  const s = String(v);
  return s.includes('.') ? s : `${s}.0`;
}

/** `2024-01-01T00:02:00.000+0000`, the date format of StateReasonData and SNS messages. */
export function awsDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** `01/01/24 00:02:00` (MM/dd/yy HH:mm:ss, UTC), the date format inside reason texts. */
export function shortDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}
