// The error a failing step throws: what was checked, what was expected, what came back.
// The section runner catches it and turns it into a section result and a printable reason.

/** Details attached to a failure, printed by `--verbose`. */
export interface FailureDetails {
  expected?: string;
  actual?: string;
  /** The request line of the last API call, e.g. `GET /_cat/count?error_trace=true`. */
  request?: string;
  /** The last response's status and body text. */
  response?: string;
}

/** A step did not meet its expectation (as opposed to a bug in the runner or the test file). */
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly details: FailureDetails = {},
  ) {
    super(message);
  }
}
