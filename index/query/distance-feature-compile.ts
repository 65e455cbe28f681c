// Compiles `distance_feature` for one shard: dates through doc values (origin parsed with the
// field's format and date math, pivot a time value), geo points from `_source` (the segments keep
// no geo index) with haversine distances. Each doc's closest value sets its score.

import { illegalArgument } from '../errors.ts';
import type { FieldInfo } from '../mapping/field-types.ts';
import type { Segment } from '../segment/segment.ts';
import { failedToCreate, type CompileContext } from './compile-context.ts';
import { dateBound } from './date-bounds.ts';
import { NoneExec } from './exec/const-exec.ts';
import type { Exec } from './exec/exec.ts';
import { FeatureExec, type ScoredDocs } from './exec/feature-exec.ts';
import { parsedSources, sourceValuesAt } from './exec/source-exists.ts';
import type { DistanceFeatureQuery, Scalar } from './query.ts';

/** `distance_feature` on a date, date_nanos or geo_point field (unmapped fields match nothing). */
export function compileDistanceFeature(c: CompileContext, q: DistanceFeatureQuery, boost: number, scoring: boolean): Exec {
  const info = c.shard.mapping.field(q.field);
  if (!info) return new NoneExec();
  try {
    if (info.type === 'date' || info.type === 'date_nanos') return dateFeature(c, q, info, boost, scoring);
    if (info.type === 'geo_point') return geoFeature(q, info, boost, scoring);
  } catch (err) {
    throw failedToCreate(c.shard, err);
  }
  throw failedToCreate(c.shard, illegalArgument(
    `Illegal data type of [${info.type}]! distance_feature query can only be run on a date, date_nanos or geo_point field type!`,
  ));
}

/** Lucene's score: boost · pivot / (pivot + distance), as a float. */
function featureScore(boost: number, pivot: number, distance: number): number {
  return Math.fround(boost * (pivot / (pivot + distance)));
}

function dateFeature(c: CompileContext, q: DistanceFeatureQuery, info: FieldInfo, boost: number, scoring: boolean): Exec {
  if (typeof q.origin === 'object') throw illegalArgument(`failed to parse date field [${JSON.stringify(q.origin)}]`);
  const origin = dateBound(q.origin as Scalar, info, { roundUp: false, now: c.shard.now });
  const pivot = timeValueMillis(q.pivot);
  const field = info.path;
  return new FeatureExec((seg) => {
    const dv = seg.docValues.get(field);
    const docs: number[] = [];
    const scores: number[] = [];
    if (dv && dv.kind === 'numeric') {
      const values = dv.values as Float64Array;
      for (let d = 0; d < seg.maxDoc; d++) {
        let best = Infinity;
        for (let i = dv.offsets[d]; i < dv.offsets[d + 1]; i++) best = Math.min(best, Math.abs(values[i] - origin));
        if (best === Infinity) continue;
        docs.push(d);
        scores.push(featureScore(boost, pivot, best));
      }
    }
    return { docs: Uint32Array.from(docs), scores: Float32Array.from(scores) };
  }, scoring);
}

/** A time value (`1h`, `100000000nanos`) in milliseconds, fractions kept for sub-millisecond units. */
function timeValueMillis(s: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(nanos|micros|ms|s|m|h|d)\s*$/.exec(s);
  if (!m) throw illegalArgument(`failed to parse [${s}] as a time value: unit is missing or unrecognized`);
  const mult: Record<string, number> = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };
  return Number(m[1]) * mult[m[2]];
}

function geoFeature(q: DistanceFeatureQuery, info: FieldInfo, boost: number, scoring: boolean): Exec {
  const origins = geoPoints(q.origin);
  if (origins.length !== 1) throw illegalArgument(`failed to parse [origin] as a geo point: ${JSON.stringify(q.origin)}`);
  const [lat0, lon0] = origins[0];
  const pivot = distanceMeters(q.pivot);
  const field = info.path;
  return new FeatureExec((seg: Segment): ScoredDocs => {
    const docs: number[] = [];
    const scores: number[] = [];
    for (const [d, src] of parsedSources(seg)) {
      let best = Infinity;
      for (const v of sourceValuesAt(src, field)) {
        for (const [lat, lon] of geoPoints(v)) best = Math.min(best, haversineMeters(lat0, lon0, lat, lon));
      }
      if (best === Infinity) continue;
      docs.push(d);
      scores.push(featureScore(boost, pivot, best));
    }
    return { docs: Uint32Array.from(docs), scores: Float32Array.from(scores) };
  }, scoring);
}

const UNITS: Record<string, number> = {
  mi: 1609.344, miles: 1609.344, yd: 0.9144, yards: 0.9144, ft: 0.3048, feet: 0.3048, in: 0.0254, inch: 0.0254,
  km: 1000, kilometers: 1000, m: 1, meters: 1, cm: 0.01, centimeters: 0.01, mm: 0.001, millimeters: 0.001,
  NM: 1852, nmi: 1852, nauticalmiles: 1852,
};

/** A distance (`1km`, `500`) in meters; no unit means meters (DistanceUnit.DEFAULT). */
function distanceMeters(s: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(s);
  if (!m || (m[2] !== '' && UNITS[m[2]] === undefined)) throw illegalArgument(`failed to parse [${s}] as a distance`);
  return Number(m[1]) * (m[2] === '' ? 1 : UNITS[m[2]]);
}

/** The points of one `_source` geo_point value as [lat, lon] pairs (arrays, objects, "lat,lon", geohash, WKT). */
function geoPoints(v: unknown): Array<[number, number]> {
  if (Array.isArray(v)) {
    if (v.length >= 2 && v.every((x) => typeof x === 'number')) return [[v[1] as number, v[0] as number]];
    return v.flatMap(geoPoints);
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.lat !== undefined && o.lon !== undefined) return [[Number(o.lat), Number(o.lon)]];
    return [];
  }
  if (typeof v !== 'string') return [];
  const wkt = /^\s*POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)/i.exec(v);
  if (wkt) return [[Number(wkt[2]), Number(wkt[1])]];
  const parts = v.split(',');
  if (parts.length >= 2) return [[Number(parts[0]), Number(parts[1])]];
  const hash = decodeGeohash(v.trim());
  return hash ? [hash] : [];
}

const GEOHASH = '0123456789bcdefghjkmnpqrstuvwxyz';

function decodeGeohash(h: string): [number, number] | null {
  let lat: [number, number] = [-90, 90];
  let lon: [number, number] = [-180, 180];
  let even = true;
  for (const ch of h.toLowerCase()) {
    const idx = GEOHASH.indexOf(ch);
    if (idx < 0) return null;
    for (let b = 4; b >= 0; b--) {
      const bit = (idx >> b) & 1;
      const r = even ? lon : lat;
      const mid = (r[0] + r[1]) / 2;
      if (bit) r[0] = mid;
      else r[1] = mid;
      even = !even;
    }
  }
  return [(lat[0] + lat[1]) / 2, (lon[0] + lon[1]) / 2];
}

/** Great-circle distance with Lucene's mean Earth radius (SloppyMath.haversinMeters). */
function haversineMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371008.7714 * Math.asin(Math.min(1, Math.sqrt(h)));
}
