// Typed errors of the engine. Each carries OpenSearch's error `type`, an HTTP status and extra
// fields (index, index_uuid, …) so the HTTP layer can render the exact OpenSearch error body once.

/** An error that renders as an OpenSearch error body: `{error:{root_cause,type,reason,…},status}`. */
export class OpenSearchError extends Error {
  constructor(
    readonly type: string,
    readonly reason: string,
    readonly status: number,
    readonly extra: Record<string, unknown> = {},
    /** A nested cause, rendered as `caused_by`. */
    readonly causedBy?: OpenSearchError,
    /** Overrides the root cause list (e.g. search_phase_execution_exception wraps shard failures). */
    readonly rootCauses?: OpenSearchError[],
  ) {
    super(reason);
  }

  /** The JSON of this error as a `root_cause` entry or `caused_by` value. */
  toJSON(): Record<string, unknown> {
    const body: Record<string, unknown> = { type: this.type, reason: this.reason, ...this.extra };
    if (this.causedBy) body.caused_by = this.causedBy.toJSON();
    return body;
  }

  /** The full OpenSearch error response body. */
  toBody(): Record<string, unknown> {
    const roots = this.rootCauses ?? [this.innermost()];
    return {
      error: { root_cause: roots.map((r) => ({ type: r.type, reason: r.reason, ...r.extra })), ...this.toJSON() },
      status: this.status,
    };
  }

  private innermost(): OpenSearchError {
    // OpenSearch reports the exception itself as root cause unless a cause is itself an OpenSearch error.
    return this.causedBy && this.status === this.causedBy.status ? this.causedBy.innermost() : this;
  }
}

export const indexNotFound = (index: string): OpenSearchError =>
  new OpenSearchError('index_not_found_exception', `no such index [${index}]`, 404, {
    'resource.type': 'index_or_alias',
    'resource.id': index,
    index_uuid: '_na_',
    index,
  });

export const illegalArgument = (reason: string, causedBy?: OpenSearchError): OpenSearchError =>
  new OpenSearchError('illegal_argument_exception', reason, 400, {}, causedBy);

export const parsingError = (reason: string, line = 1, col = 1): OpenSearchError =>
  new OpenSearchError('parsing_exception', reason, 400, { line, col });

export const xContentParseError = (reason: string, line = 1, col = 1): OpenSearchError =>
  new OpenSearchError('x_content_parse_exception', reason, 400, { line, col });

export const actionRequestValidation = (errors: string[]): OpenSearchError =>
  new OpenSearchError(
    'action_request_validation_exception',
    `Validation Failed: ${errors.map((e, i) => `${i + 1}: ${e};`).join('')}`,
    400,
  );

export const mapperParsing = (reason: string, causedBy?: OpenSearchError): OpenSearchError =>
  new OpenSearchError('mapper_parsing_exception', reason, 400, {}, causedBy);

export const indexClosed = (index: string, uuid: string): OpenSearchError =>
  new OpenSearchError('index_closed_exception', 'closed', 400, { index_uuid: uuid, index });

export const versionConflict = (id: string, reason: string, index: string, uuid: string, shard: number): OpenSearchError =>
  new OpenSearchError('version_conflict_engine_exception', `[${id}]: version conflict, ${reason}`, 409, {
    index_uuid: uuid,
    shard: String(shard),
    index,
  });

export const documentMissing = (id: string, index: string, uuid: string, shard: number): OpenSearchError =>
  new OpenSearchError('document_missing_exception', `[${id}]: document missing`, 404, {
    index_uuid: uuid,
    shard: String(shard),
    index,
  });

export const resourceAlreadyExists = (index: string, uuid: string): OpenSearchError =>
  new OpenSearchError('resource_already_exists_exception', `index [${index}/${uuid}] already exists`, 400, {
    index_uuid: uuid,
    index,
  });

export const invalidIndexName = (index: string, why: string): OpenSearchError =>
  new OpenSearchError('invalid_index_name_exception', `Invalid index name [${index}], ${why}`, 400, {
    index_uuid: '_na_',
    index,
  });
