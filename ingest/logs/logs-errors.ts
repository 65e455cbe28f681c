// The CloudWatch Logs error shapes (specs/aws.md §3.4), built in one place so every operation words
// them the way the service does; the AWS router renders them as `{"__type", "message"}`.

import { AwsError } from '../aws/aws-error.ts';

/** CloudWatch Logs errors by shape; all are client faults (400) except `serviceUnavailable`. */
export const logsErrors = {
  groupNotFound: () => new AwsError('ResourceNotFoundException', 'The specified log group does not exist.'),
  streamNotFound: () => new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.'),
  queryNotFound: (id: string) => new AwsError('ResourceNotFoundException', `Query does not exist: ${id}`),
  groupExists: () => new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists'),
  streamExists: () => new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists'),
  invalidParameter: (message: string) => new AwsError('InvalidParameterException', message),
  operationAborted: (message: string) => new AwsError('OperationAbortedException', message),
  limitExceeded: (message: string) => new AwsError('LimitExceededException', message),
  /** A Logs Insights parse error, with the modelled `queryCompileError` member pointing at the offending text. */
  malformedQuery: (message: string, start: number, end: number) =>
    new AwsError('MalformedQueryException', message, 400, {
      fields: { queryCompileError: { location: { startCharOffset: start, endCharOffset: end }, message } },
    }),
  /** The engine could not store the batch: a server fault the SDK retries. */
  serviceUnavailable: (message: string) => new AwsError('ServiceUnavailableException', message, 503),
};

/** The validation wording AWS uses for a member that breaks a modelled constraint. */
export function constraintError(member: string, value: unknown, constraint: string): AwsError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return logsErrors.invalidParameter(`1 validation error detected: Value '${shown}' at '${member}' failed to satisfy constraint: ${constraint}`);
}
