// Firehose's index rotation (specs/aws.md §1.6): the stream's index name gets a suffix built from the
// UTC arrival time of the delivery, exactly as Firehose's OpenSearch destination names its indices.

/** Firehose's `IndexRotationPeriod` values. */
export const ROTATIONS = ['NoRotation', 'OneHour', 'OneDay', 'OneWeek', 'OneMonth'] as const;
export type Rotation = (typeof ROTATIONS)[number];

/**
 * How `OneWeek` numbers weeks. AWS's text describes US weeks but its own example (`2016-w08` for
 * 2016-02-25) is ISO-8601 (specs/aws.md §10 item 2), so ISO is the default and `us` is available.
 */
export type WeekScheme = 'iso' | 'us';

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `myindex` + rotation + arrival → `myindex`, `myindex-2016-02-25-13`, `myindex-2016-w08`, … */
export function rotatedIndexName(index: string, rotation: Rotation, arrivalMs: number, weeks: WeekScheme = 'iso'): string {
  const d = new Date(arrivalMs);
  const y = d.getUTCFullYear();
  const m = pad2(d.getUTCMonth() + 1);
  const day = pad2(d.getUTCDate());
  switch (rotation) {
    case 'NoRotation':
      return index;
    case 'OneHour':
      return `${index}-${y}-${m}-${day}-${pad2(d.getUTCHours())}`;
    case 'OneDay':
      return `${index}-${y}-${m}-${day}`;
    case 'OneWeek': {
      const w = weeks === 'iso' ? isoWeek(d) : usWeek(d);
      return `${index}-${w.year}-w${pad2(w.week)}`;
    }
    case 'OneMonth':
      return `${index}-${y}-${m}`;
    default: {
      const never: never = rotation;
      throw new Error(`unknown rotation ${String(never)}`);
    }
  }
}

/** ISO-8601 week: weeks start on Monday; week 1 holds the year's first Thursday (its year may differ). */
export function isoWeek(d: Date): { year: number; week: number } {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const dow = t.getUTCDay() || 7; // Monday 1 … Sunday 7
  t.setUTCDate(t.getUTCDate() + 4 - dow); // the Thursday of this week decides the year
  const year = t.getUTCFullYear();
  const week = Math.floor((t.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7) + 1;
  return { year, week };
}

/** US week: weeks start on Sunday; week 1 is the week holding January 1 (the calendar year is kept). */
export function usWeek(d: Date): { year: number; week: number } {
  const year = d.getUTCFullYear();
  const jan1 = new Date(Date.UTC(year, 0, 1));
  const dayOfYear = Math.floor((Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) - jan1.getTime()) / 86_400_000);
  return { year, week: Math.floor((dayOfYear + jan1.getUTCDay()) / 7) + 1 };
}
