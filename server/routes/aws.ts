// `POST /`: the AWS APIs (CloudWatch Logs, CloudWatch metrics and alarms). OpenSearch has no `POST /`,
// so a request without `X-Amz-Target` or a form body gets OpenSearch's "no handler" error.

import type { FastifyInstance } from 'fastify';
import { OpenSearchError } from '../../index/errors.ts';
import { AwsRouter } from '../aws/aws-router.ts';
import type { LookoutNode } from '../node.ts';

/** `POST /` for the AWS APIs (`node.aws`). */
export function registerAwsRoutes(app: FastifyInstance, node: LookoutNode): void {
  app.post('/', async (req, reply) => {
    if (!AwsRouter.isAwsRequest(req)) throw new OpenSearchError('illegal_argument_exception', `Incorrect HTTP method for uri [/] and method [POST], allowed: [HEAD, GET]`, 405);
    return node.aws.handle(req, reply);
  });
}
