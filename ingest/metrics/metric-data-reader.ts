// The read side of CloudWatch metrics as alarms/ and the UI's API need it: GetMetricData's model
// (stat queries and metric math over query ids) independent of the wire. Implemented over the engine
// in ingest/metrics/; alarms depend on this interface only.

/** One metric, as identified by CloudWatch. */
export interface MetricIdentity {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
}

/** A query of GetMetricData: a stat of one metric, or an expression over other query ids. */
export interface MetricDataQuery {
  id: string;
  /** A stat over one metric per `period` seconds: `Average`, `Sum`, `Minimum`, `Maximum`, `SampleCount`, `pNN(.NN)`. */
  metricStat?: { metric: MetricIdentity; period: number; stat: string; unit?: string };
  /** Metric math over query ids (`SUM(...)`, `AVG(...)`, `+ - * /`). */
  expression?: string;
  /** Period for expressions (defaults to that of the queries they use). */
  period?: number;
  label?: string;
  /** Whether the result is returned (false for intermediate queries); default true. */
  returnData?: boolean;
}

/** One query's answer, timestamps ascending (period starts, epoch ms). */
export interface MetricDataResult {
  id: string;
  label: string;
  timestamps: number[];
  values: number[];
  statusCode: 'Complete' | 'PartialData' | 'InternalError' | 'Forbidden';
  messages?: Array<{ code: string; value: string }>;
}

/** GetMetricData's model as alarms need it: many metric and math queries over one time range. */
export interface MetricDataReader {
  /**
   * Answers many queries over [startMs, endMs) in one call (alarms batch every due alarm into one call,
   * so implementations should share one pass over the data). Results come in query order, without
   * those whose `returnData` is false. Periods are aligned to multiples of the period since the epoch
   * (GetMetricData on the wire starts them at its StartTime instead: see PeriodAnchor).
   */
  getMetricData(queries: MetricDataQuery[], startMs: number, endMs: number): Promise<MetricDataResult[]>;
}
