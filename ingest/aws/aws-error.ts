// AWS-style errors: thrown by ingest/ and alarms/ operation handlers, rendered once by the AWS router
// in the shape the calling protocol expects (`specs/aws.md` §2, §3.4, §4.1).

/** An AWS API error: the modelled shape name, its message, and how each protocol should report it. */
export class AwsError extends Error {
  constructor(
    /** The error shape, e.g. `ResourceNotFoundException`, `InvalidParameterValueException`. */
    readonly code: string,
    message: string,
    /** HTTP status: 400 for client faults unless the model says otherwise, 5xx for server faults. */
    readonly status = 400,
    readonly opts: {
      /** CloudWatch's awsQuery error code (header `x-amzn-query-error`, XML `<Code>`), when it differs from `code`. */
      queryCode?: string;
      /** Extra modelled members of the error (e.g. `expectedSequenceToken`). */
      fields?: Record<string, unknown>;
    } = {},
  ) {
    super(message);
  }

  get fault(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }

  get queryCode(): string {
    return this.opts.queryCode ?? this.code;
  }
}

/** CloudWatch (metrics and alarms) errors with their awsQuery codes (`specs/aws.md` §4.1 table). */
export const cloudWatchErrors = {
  invalidParameterValue: (message: string) => new AwsError('InvalidParameterValueException', message, 400, { queryCode: 'InvalidParameterValue' }),
  invalidParameterCombination: (message: string) => new AwsError('InvalidParameterCombinationException', message, 400, { queryCode: 'InvalidParameterCombination' }),
  missingParameter: (message: string) => new AwsError('MissingRequiredParameterException', message, 400, { queryCode: 'MissingParameter' }),
  invalidNextToken: (message: string) => new AwsError('InvalidNextToken', message, 400, { queryCode: 'InvalidNextToken' }),
  limitExceededFault: (message: string) => new AwsError('LimitExceededFault', message, 400, { queryCode: 'LimitExceeded' }),
  resourceNotFound: (message: string) => new AwsError('ResourceNotFound', message, 404, { queryCode: 'ResourceNotFound' }),
  internal: (message: string) => new AwsError('InternalServiceFault', message, 500, { queryCode: 'InternalServiceError' }),
};
