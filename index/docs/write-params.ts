// Parameters shared by the single-document and bulk write paths, and the responses they render.

import { OpenSearchError, illegalArgument, versionConflict } from '../errors.ts';
import type { Index } from '../indices/index.ts';
import type { VersionEntry, WriteResult } from '../shard/shard.ts';
import { intSetting } from '../indices/settings.ts';
import { randomBytes } from 'node:crypto';

/** Options of index/create/delete/update operations. */
export interface WriteParams {
  opType?: 'index' | 'create';
  routing?: string | null;
  ifSeqNo?: number;
  ifPrimaryTerm?: number;
  version?: number;
  versionType?: 'internal' | 'external' | 'external_gte' | 'force';
  pipeline?: string;
  requireAlias?: boolean;
}

/** refresh=true|false|wait_for. */
export type RefreshPolicy = 'true' | 'false' | 'wait_for';

const processId = randomBytes(6);
let sequence = randomBytes(3).readUIntBE(0, 3);
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The two base64url characters of each 12-bit value. */
const PAIRS = Array.from({ length: 4096 }, (_, v) => BASE64URL[v >>> 6] + BASE64URL[v & 63]);
const processPart = processId.toString('base64url');
let timeMs = -1;
let timePart = '';

/**
 * An auto-generated _id: 20 URL-safe base64 characters from time, a sequence number and a per-process
 * random part (as OpenSearch's TimeBasedUUIDGenerator: unique without a random draw per document).
 * The 15 bytes are 6 of time, 3 of sequence, 6 of process: each a whole number of base64 groups, so
 * the time's and the process's characters are made once (per millisecond, per process), not per id.
 */
export function autoId(): string {
  sequence = (sequence + 1) & 0xffffff;
  const now = Date.now();
  if (now !== timeMs) {
    timeMs = now;
    const b = Buffer.allocUnsafe(6);
    b.writeUIntBE(now, 0, 6);
    timePart = b.toString('base64url');
  }
  return timePart + PAIRS[sequence >>> 12] + PAIRS[sequence & 4095] + processPart;
}

/** For tests: the id the 15 bytes of time, sequence and process spell. */
export function autoIdBytesForTest(id: string): { timeMs: number; sequence: number } {
  const b = Buffer.from(id, 'base64url');
  return { timeMs: b.readUIntBE(0, 6), sequence: b.readUIntBE(6, 3) };
}

/** Applies optimistic concurrency and version rules; returns the version the new operation gets. */
export function nextVersion(index: Index, shardId: number, id: string, current: VersionEntry | undefined, p: WriteParams, isDelete: boolean): number {
  const live = current && !current.deleted ? current : undefined;
  if (p.ifSeqNo !== undefined || p.ifPrimaryTerm !== undefined) {
    if (p.ifSeqNo === undefined || p.ifPrimaryTerm === undefined) {
      throw new OpenSearchError('action_request_validation_exception', `Validation Failed: 1: ifSeqNo is set, but primary term is [0];`, 400);
    }
    if (!live) {
      throw versionConflict(id, `required seqNo [${p.ifSeqNo}], primary term [${p.ifPrimaryTerm}] but no document was found`, index.name, index.uuid, shardId);
    }
    if (live.seqNo !== p.ifSeqNo || live.primaryTerm !== p.ifPrimaryTerm) {
      throw versionConflict(id, `required seqNo [${p.ifSeqNo}], primary term [${p.ifPrimaryTerm}]. current document has seqNo [${live.seqNo}] and primary term [${live.primaryTerm}]`, index.name, index.uuid, shardId);
    }
  }
  if (p.opType === 'create' && live) {
    throw versionConflict(id, `document already exists (current version [${live.version}])`, index.name, index.uuid, shardId);
  }
  const type = p.versionType ?? 'internal';
  if (type === 'internal') {
    if (p.version !== undefined) {
      throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: internal versioning can not be used for optimistic concurrency control. Please use `if_seq_no` and `if_primary_term` instead;', 400);
    }
    return current ? current.version + 1 : 1;
  }
  if (p.version === undefined) throw illegalArgument(`[version] is required for version_type [${type}]`);
  if (live || (current && isDelete)) {
    const cur = (live ?? current)!.version;
    if (type === 'external' && p.version <= cur) {
      throw versionConflict(id, `current version [${cur}] is higher or equal to the one provided [${p.version}]`, index.name, index.uuid, shardId);
    }
    if (type === 'external_gte' && p.version < cur) {
      throw versionConflict(id, `current version [${cur}] is higher than the one provided [${p.version}]`, index.name, index.uuid, shardId);
    }
  }
  return p.version;
}

/** `_shards` of a write: total counts replicas (unassigned on one node), successful only the primary. */
export function shardsHeader(index: Index): { total: number; successful: number; failed: number } {
  return { total: 1 + intSetting(index.meta.settings, 'index.number_of_replicas', 1), successful: 1, failed: 0 };
}

/** The response body of a document write. */
export function writeResponse(index: Index, id: string, r: WriteResult, forcedRefresh: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    _index: index.name,
    _id: id,
    _version: r.version,
    result: r.result,
  };
  if (forcedRefresh) body.forced_refresh = true;
  body._shards = r.result === 'noop' ? { total: 0, successful: 0, failed: 0 } : shardsHeader(index);
  body._seq_no = r.seqNo;
  body._primary_term = r.primaryTerm;
  return body;
}
