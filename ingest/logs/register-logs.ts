// Wires CloudWatch Logs into a node: the LogsService's operations on the AWS router (target
// `Logs_20140328`) and the periodic retention sweep (`logs.retention_sweep_interval` in the config
// file: milliseconds or a duration such as `10m`; default ten minutes).

import type { DocumentSink } from '../document-sink.ts';
import { LOGS_TARGET, type AwsOperation } from '../../server/aws/aws-router.ts';
import { configValue } from '../../server/config.ts';
import { LogsService } from './logs-service.ts';

const DEFAULT_SWEEP_MS = 10 * 60_000;

/** The parts of a node the logs service needs. */
export interface LogsHost {
  aws: { addOperations(target: string, operations: Record<string, AwsOperation>): void };
  sink: DocumentSink;
  config: { dataDir: string; file: Record<string, unknown> };
}

/** The service plus its timer. */
export class LogsRuntime {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<unknown> | null = null;
  /** The last sweep failure, if any (the next sweep retries). */
  lastSweepError: unknown;

  constructor(
    readonly service: LogsService,
    private readonly sweepMs: number,
  ) {}

  start(): void {
    if (this.timer || this.sweepMs <= 0) return;
    this.timer = setInterval(() => void this.sweep(), this.sweepMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.service.meta.flushSync();
  }

  /** One sweep now (never two at once). */
  sweep(): Promise<unknown> {
    this.sweeping ??= this.service
      .sweepRetention()
      .catch((err) => (this.lastSweepError = err))
      .finally(() => (this.sweeping = null));
    return this.sweeping;
  }
}

/** Creates the logs service over the node's sink and registers its operations. */
export function registerLogs(host: LogsHost): LogsRuntime {
  const service = new LogsService({ sink: host.sink, dataDir: host.config.dataDir });
  host.aws.addOperations(LOGS_TARGET, service.operations());
  return new LogsRuntime(service, parseInterval(configValue(host.config.file, 'logs.retention_sweep_interval')));
}

function parseInterval(v: unknown): number {
  if (v === undefined || v === null) return DEFAULT_SWEEP_MS;
  if (typeof v === 'number') return v;
  const m = /^(\d+)\s*(ms|s|m|h)?$/.exec(String(v).trim());
  if (!m) throw new Error(`logs.retention_sweep_interval: expected milliseconds or a duration like 10m, got ${String(v)}`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 'ms') as 'ms'];
}
