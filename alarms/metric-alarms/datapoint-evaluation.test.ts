import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StateValue, TreatMissingData } from './alarm-types.ts';
import { awsDate, evaluateDatapoints, evaluationRange, javaDouble, shortDate, type EvaluationCriteria, type PeriodDatapoint } from './datapoint-evaluation.ts';

const T0 = Date.UTC(2024, 0, 1, 0, 0, 0);
const MODES: TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];

/** `0 - X - X` → datapoints one minute apart (0 = 10, not breaching; X = 100, breaching; - = missing). */
function series(text: string): PeriodDatapoint[] {
  return text.split(' ').map((c, i) => ({ timestamp: T0 + i * 60_000, value: c === '-' ? null : c === 'X' ? 100 : 10 }));
}

function criteria(m: number, n: number, mode: TreatMissingData): EvaluationCriteria {
  return { evaluationPeriods: n, datapointsToAlarm: m, threshold: 50, comparisonOperator: 'GreaterThanThreshold', treatMissingData: mode, period: 60, statistic: 'Average' };
}

/** The state each mode leads to, `keep` standing for "keep the current state". */
function outcomes(text: string, m: number, n: number, previous: StateValue = 'OK'): string[] {
  return MODES.map((mode) => evaluateDatapoints(series(text), criteria(m, n, mode), previous, T0 + 5 * 60_000).state);
}

describe('evaluateDatapoints: the AWS missing-data examples (specs/aws.md §5.2), M=N=3, range 5', () => {
  const I = 'INSUFFICIENT_DATA';
  const rows: Array<[string, string[]]> = [
    ['0 - X - X', ['OK', 'OK', 'OK', 'OK']],
    ['0 - - - -', ['OK', 'OK', 'OK', 'OK']],
    ['- - - - -', [I, 'keep', 'ALARM', 'OK']],
    ['0 X X - X', ['ALARM', 'ALARM', 'ALARM', 'ALARM']],
    ['- - - - X', [I, 'keep', 'ALARM', 'OK']],
    ['X - - - -', ['ALARM', 'keep', 'ALARM', 'OK']],
  ];
  for (const [text, expected] of rows) {
    it(`${text} → missing/ignore/breaching/notBreaching = ${expected.join('/')}`, () => {
      expect(outcomes(text, 3, 3)).toEqual(expected);
    });
  }
  it('uses a range of N + max(floor(N/3), 2) periods', () => {
    expect(evaluationRange(3)).toBe(5);
    expect(evaluationRange(1)).toBe(3);
    expect(evaluationRange(9)).toBe(12);
  });
});

describe('evaluateDatapoints: the AWS missing-data examples, M=2, N=3', () => {
  const I = 'INSUFFICIENT_DATA';
  const rows: Array<[string, string[]]> = [
    ['0 - X - X', ['ALARM', 'ALARM', 'ALARM', 'ALARM']],
    ['0 0 X 0 X', ['ALARM', 'ALARM', 'ALARM', 'ALARM']],
    ['0 - X - -', ['OK', 'OK', 'ALARM', 'OK']],
    ['- - - - 0', ['OK', 'OK', 'ALARM', 'OK']],
    ['- - - - X', [I, 'keep', 'ALARM', 'OK']],
  ];
  for (const [text, expected] of rows) {
    it(`${text} → missing/ignore/breaching/notBreaching = ${expected.join('/')}`, () => {
      expect(outcomes(text, 2, 3)).toEqual(expected);
    });
  }
});

describe('evaluateDatapoints: M out of N', () => {
  it('counts breaching datapoints that are not consecutive', () => {
    expect(outcomes('0 X 0 X 0', 2, 4)).toEqual(['ALARM', 'ALARM', 'ALARM', 'ALARM']);
  });
  it('stays OK with one breaching datapoint short of M', () => {
    expect(outcomes('X 0 X 0 0', 2, 3)).toEqual(['OK', 'OK', 'OK', 'OK']);
  });
  it('evaluates only the N most recent real datapoints', () => {
    // The older breaches fall outside N=2.
    expect(outcomes('X X X 0 0', 1, 2)).toEqual(['OK', 'OK', 'OK', 'OK']);
    expect(outcomes('0 0 0 0 X', 1, 2)).toEqual(['ALARM', 'ALARM', 'ALARM', 'ALARM']);
  });
  it('M = N = 1 follows the newest datapoint', () => {
    expect(outcomes('X X 0', 1, 1)).toEqual(['OK', 'OK', 'OK', 'OK']);
    expect(outcomes('0 0 X', 1, 1)).toEqual(['ALARM', 'ALARM', 'ALARM', 'ALARM']);
  });
  it('compares with each operator, the statistic on the left', () => {
    const at = (op: EvaluationCriteria['comparisonOperator'], v: number) =>
      evaluateDatapoints([{ timestamp: T0, value: v }], { ...criteria(1, 1, 'missing'), comparisonOperator: op }, 'OK', T0).state;
    expect([at('GreaterThanThreshold', 50), at('GreaterThanOrEqualToThreshold', 50), at('LessThanThreshold', 50), at('LessThanOrEqualToThreshold', 50)]).toEqual(['OK', 'ALARM', 'OK', 'ALARM']);
    expect([at('LessThanThreshold', 49.9), at('GreaterThanThreshold', 50.1)]).toEqual(['ALARM', 'ALARM']);
  });
});

describe('evaluateDatapoints: reasons as AWS words them', () => {
  it('words an ALARM like the captured DescribeAlarms reply', () => {
    const points = [
      { timestamp: T0, value: 10 },
      { timestamp: T0 + 60_000, value: 14 },
      { timestamp: T0 + 120_000, value: 15 },
    ];
    const e = evaluateDatapoints(points, { ...criteria(2, 3, 'missing'), threshold: 12 }, 'OK', T0 + 190_000);
    expect(e.state).toBe('ALARM');
    expect(e.reason).toBe(
      'Threshold Crossed: 2 out of the last 3 datapoints [15.0 (01/01/24 00:02:00), 14.0 (01/01/24 00:01:00)] were greater than the threshold (12.0) (minimum 2 datapoints for OK -> ALARM transition).',
    );
    const data = JSON.parse((e as { reasonData: string }).reasonData);
    expect(data).toMatchObject({ version: '1.0', queryDate: '2024-01-01T00:03:10.000+0000', startDate: '2024-01-01T00:00:00.000+0000', statistic: 'Average', period: 60, recentDatapoints: [10, 14, 15], threshold: 12 });
    expect(data.evaluatedDatapoints[0]).toEqual({ timestamp: '2024-01-01T00:02:00.000+0000', value: 15 });
  });
  it('words an OK with the most recent datapoints', () => {
    const points = [
      { timestamp: T0, value: 38.958 },
      { timestamp: T0 + 300_000, value: 40.292 },
    ];
    const e = evaluateDatapoints(points, { ...criteria(2, 2, 'missing'), threshold: 70 }, 'ALARM', T0);
    expect(e.reason).toBe('Threshold Crossed: 2 datapoints were not greater than the threshold (70.0). The most recent datapoints: [38.958, 40.292].');
  });
  it('words missing datapoints treated as breaching', () => {
    const e = evaluateDatapoints(series('- - - - -'), criteria(3, 3, 'breaching'), 'OK', T0);
    expect(e.reason).toBe('Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [Breaching].');
  });
  it('words insufficient data', () => {
    expect(evaluateDatapoints(series('- - - - -'), criteria(1, 1, 'missing'), 'OK', T0).reason).toBe('Insufficient Data: 1 datapoint was unknown.');
    expect(evaluateDatapoints(series('- - - - X'), criteria(3, 3, 'missing'), 'OK', T0).reason).toBe('Insufficient Data: 2 datapoints were unknown.');
  });
  it('keeps the state for low sample counts of a percentile when told to ignore them', () => {
    const points = [{ timestamp: T0, value: 100, sampleCount: 5 }];
    expect(evaluateDatapoints(points, { ...criteria(1, 1, 'missing'), minSampleCount: 1000 }, 'OK', T0).state).toBe('keep');
    expect(evaluateDatapoints(points, { ...criteria(1, 1, 'missing'), minSampleCount: 5 }, 'OK', T0).state).toBe('ALARM');
  });
  it('prints doubles and dates as AWS does', () => {
    expect([javaDouble(12), javaDouble(38.958), javaDouble(-3), javaDouble(1e7), javaDouble(0)]).toEqual(['12.0', '38.958', '-3.0', '1.0E7', '0.0']);
    expect(shortDate(Date.UTC(2015, 5, 3, 17, 43, 27))).toBe('06/03/15 17:43:27');
    expect(awsDate(T0)).toBe('2024-01-01T00:00:00.000+0000');
  });
});

describe('evaluateDatapoints: invariants (fast-check)', () => {
  // A range of datapoints: each breaching (100), not breaching (10) or missing; N ≤ range, M ≤ N.
  const arb = fc
    .integer({ min: 1, max: 8 })
    .chain((n) => fc.record({ n: fc.constant(n), m: fc.integer({ min: 1, max: n }), cells: fc.array(fc.constantFrom('X', '0', '-'), { minLength: evaluationRange(n), maxLength: evaluationRange(n) }) }));
  const run = (cells: string[], m: number, n: number, mode: TreatMissingData) => evaluateDatapoints(series(cells.join(' ')), criteria(m, n, mode), 'OK', T0).state;

  it('with at least N real datapoints every mode decides by the N most recent: ALARM iff ≥ M breach', () => {
    fc.assert(
      fc.property(arb, ({ n, m, cells }) => {
        const real = cells.filter((c) => c !== '-');
        fc.pre(real.length >= n);
        const expected = real.slice(-n).filter((c) => c === 'X').length >= m ? 'ALARM' : 'OK';
        for (const mode of MODES) expect(run(cells, m, n, mode)).toBe(expected);
      }),
    );
  });

  it('breaching and notBreaching always decide; ignore agrees with missing or keeps the state', () => {
    fc.assert(
      fc.property(arb, ({ n, m, cells }) => {
        expect(['ALARM', 'OK']).toContain(run(cells, m, n, 'breaching'));
        expect(['ALARM', 'OK']).toContain(run(cells, m, n, 'notBreaching'));
        const missing = run(cells, m, n, 'missing');
        const ignore = run(cells, m, n, 'ignore');
        if (ignore === 'keep') expect(['INSUFFICIENT_DATA', 'ALARM']).toContain(missing);
        else expect(ignore).toBe(missing);
        // Treating missing data as breaching can only make ALARM more likely, as not breaching less.
        if (run(cells, m, n, 'notBreaching') === 'ALARM') expect(run(cells, m, n, 'breaching')).toBe('ALARM');
      }),
    );
  });
});
