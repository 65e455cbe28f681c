// Names and values CloudWatch Logs accepts (specs/aws.md §3.3, §3.1 PutRetentionPolicy): log group and
// stream names, retention days, and the ARNs Lookout reports for them (account 000000000000).

import { constraintError, logsErrors } from './logs-errors.ts';
import type { AwsInput } from '../aws/aws-input.ts';
import { awsArn } from '../aws/aws-arn.ts';

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;

/** The retention periods PutRetentionPolicy accepts, in days. */
export const RETENTION_DAYS: ReadonlySet<number> = new Set([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]);

/** Throws InvalidParameterException unless `name` is a valid log group name. */
export function checkGroupName(name: unknown, member = 'logGroupName'): string {
  if (typeof name !== 'string' || name.length === 0) throw constraintError(member, name ?? 'null', 'Member must not be null and must have length greater than or equal to 1');
  if (name.length > 512) throw constraintError(member, name, 'Member must have length less than or equal to 512');
  if (!GROUP_NAME.test(name)) throw constraintError(member, name, 'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+');
  if (name.startsWith('aws/')) throw logsErrors.invalidParameter(`Log group names cannot start with 'aws/'.`);
  return name;
}

/** Throws InvalidParameterException unless `name` is a valid log stream name. */
export function checkStreamName(name: unknown, member = 'logStreamName'): string {
  if (typeof name !== 'string' || name.length === 0) throw constraintError(member, name ?? 'null', 'Member must not be null and must have length greater than or equal to 1');
  if (name.length > 512) throw constraintError(member, name, 'Member must have length less than or equal to 512');
  if (/[:*]/.test(name)) throw constraintError(member, name, 'Member must satisfy regular expression pattern: [^:*]*');
  return name;
}

/** Throws InvalidParameterException unless `days` is one of the retention periods CloudWatch offers. */
export function checkRetentionDays(days: unknown): number {
  if (typeof days !== 'number' || !RETENTION_DAYS.has(days)) {
    throw constraintError('retentionInDays', days ?? 'null', `Member must satisfy enum value set: [${[...RETENTION_DAYS].join(', ')}]`);
  }
  return days;
}

/**
 * The log group an operation names: `logGroupName` or `logGroupIdentifier` (a name or an ARN),
 * exactly one of them (specs/aws.md §3.1).
 */
export function groupOf(input: AwsInput): string {
  const name = input.logGroupName;
  const id = input.logGroupIdentifier;
  if (name !== undefined && name !== null && id !== undefined && id !== null) {
    throw logsErrors.invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  if (id !== undefined && id !== null) return checkGroupName(typeof id === 'string' ? groupNameFromArn(id) : id, 'logGroupIdentifier');
  if (name === undefined || name === null) throw logsErrors.invalidParameter('Should provide either a log group name or a log group ARN.');
  return checkGroupName(name);
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>[:*]` → name; anything else is taken as a name. */
export function groupNameFromArn(idOrArn: string): string {
  const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(:\*)?$/.exec(idOrArn);
  return m ? m[1] : idOrArn;
}

/** The group ARN without (`logGroupArn`) and with (`arn`) the trailing `:*`. */
export function groupArn(name: string, withStar: boolean): string {
  return awsArn('logs', `log-group:${name}${withStar ? ':*' : ''}`);
}

/** A log stream's ARN. */
export function streamArn(group: string, stream: string): string {
  return awsArn('logs', `log-group:${group}:log-stream:${stream}`);
}
