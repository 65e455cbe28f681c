// `POST /`: the AWS APIs (CloudWatch Logs, CloudWatch metrics and alarms). OpenSearch has no `POST /`,
// so a request without `X-Amz-Target` or a form body gets OpenSearch's "no handler" error (and
// OpenSearch's 413 for an oversized body, while an AWS call gets AWS's).

import type { FastifyInstance } from 'fastify';
import { OpenSearchError } from '../../index/errors.ts';
import { AwsRouter } from '../aws/aws-router.ts';
import type { LookoutNode } from '../node.ts';

/** `POST /` for the AWS APIs (`node.aws`). */
export function registerAwsRoutes(app: FastifyInstance, node: LookoutNode): void {
  app.post(
    '/',
    {
      // Fastify refuses a body over http.max_content_length before the handler runs; an AWS call gets
      // that 413 in its protocol's shape. Anything else is rethrown to the app's (OpenSearch) handler.
      errorHandler: (err, req, reply) => {
        if ((err as { code?: string }).code !== 'FST_ERR_CTP_BODY_TOO_LARGE' || !AwsRouter.isAwsRequest(req)) throw err;
        node.aws.sendBodyTooLarge(req, reply, node.config.maxContentLength);
      },
    },
    async (req, reply) => {
      if (!AwsRouter.isAwsRequest(req)) throw new OpenSearchError('illegal_argument_exception', `Incorrect HTTP method for uri [/] and method [POST], allowed: [HEAD, GET]`, 405);
      return node.aws.handle(req, reply);
    },
  );
}
