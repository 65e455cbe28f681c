// Date range bounds as OpenSearch computes them: date math (`now-1d/d`, `2020-01-01||+1M`), the
// query's `format` (else the field's), `time_zone`, and rounding up for inclusive upper bounds.

import { compileDateFormat, DateParseError, type DateFormat } from '../dates/date-format.ts';
import { parseDateMath } from '../dates/date-math.ts';
import { OpenSearchError } from '../errors.ts';
import type { FieldInfo } from '../mapping/field-types.ts';
import type { Scalar } from './query.ts';

const formats = new Map<string, DateFormat>();
function formatOf(spec: string): DateFormat {
  let f = formats.get(spec);
  if (!f) formats.set(spec, (f = compileDateFormat(spec)));
  return f;
}

/** Epoch millis of one bound of a date range; date errors become OpenSearchErrors of their type. */
export function dateBound(value: Scalar, info: FieldInfo, opts: { format?: string; timeZone?: string; roundUp: boolean; now: number }): number {
  try {
    return parseDateMath(String(value), {
      now: opts.now,
      format: formatOf(opts.format ?? info.format ?? 'strict_date_optional_time||epoch_millis'),
      roundUp: opts.roundUp,
      timeZone: opts.timeZone,
    });
  } catch (err) {
    if (err instanceof DateParseError) throw new OpenSearchError(err.type, err.reason, 400);
    throw err;
  }
}
