// `POST /_firehose/<delivery-stream-or-index>` (and `POST /_firehose`, naming the stream by its source
// ARN): Amazon Data Firehose's HTTP endpoint destination (specs/aws.md §1). Every answer, success or
// not, is the §1.2 JSON body with exactly `Content-Type: application/json`, so this scope has its own
// error handler (an OpenSearch error body would be an "invalid response" to Firehose).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { configValue } from '../config.ts';
import type { LookoutNode } from '../node.ts';
import { parseFirehoseConfig } from '../../ingest/firehose/firehose-config.ts';
import { FirehoseError, responseBody } from '../../ingest/firehose/firehose-error.ts';
import { FirehoseService } from '../../ingest/firehose/firehose-service.ts';
import { noteIngest } from '../observability/lookout-metrics.ts';
import { BodyPool } from './pooled-body.ts';

/** `POST /_firehose[/<stream>]` with its own error handler (Firehose reads only its JSON body shape). */
export function registerFirehoseRoutes(app: FastifyInstance, node: LookoutNode): void {
  const config = node.config.firehose ?? parseFirehoseConfig(configValue(node.config.file, 'firehose'));
  const service = new FirehoseService(node.sink, config, node.config.dataDir, app.log, node.config.maxContentLength);
  service.onLogStreams = (streams, ingestionMs) => node.logs.service.noteDelivered(streams, ingestionMs);
  app.addHook('onClose', async () => service.close());

  const send = (reply: FastifyReply, status: number, body: string) => 
    // A Buffer, not a string: fastify would append "; charset=utf-8" to a JSON type, which Firehose refuses.
    reply.code(status).header('content-type', 'application/json').send(Buffer.from(body));

  const bodies = new BodyPool(node.config.maxContentLength);
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', bodies.parser);
    scope.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
      let requestId = FirehoseService.headerRequestId(req.headers);
      let status: number;
      let message: string;
      if (err instanceof FirehoseError) {
        status = err.status;
        message = err.message;
        requestId ||= err.requestId ?? '';
      } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        status = 413;
        message = `The body exceeds http.max_content_length (${node.config.maxContentLength} bytes); lower the stream's buffer size.`;
      } else if (err.statusCode && err.statusCode < 500) {
        status = err.statusCode;
        message = err.message;
      } else {
        req.log.error({ err, requestId }, 'firehose: delivery failed');
        status = 500;
        message = 'Unable to deliver records due to an internal error; retry.';
      }
      if (status >= 500) req.log.warn({ requestId, status, message }, 'firehose: delivery not acknowledged');
      else req.log.info({ requestId, status, message }, 'firehose: delivery refused');
      return send(reply, status, responseBody(requestId, Date.now(), message));
    });

    const handler = async (req: FastifyRequest<{ Params: { stream?: string } }>, reply: FastifyReply) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const delivered = service.deliver({ streamName: req.params.stream, headers: req.headers, body });
      // `deliver` is done with the body once it returns (see there): the next delivery may reuse it.
      bodies.release(body);
      const out = await delivered;
      noteIngest(req, out.docs, out.failures);
      req.log.info({ requestId: out.requestId, stream: out.stream, records: out.records, docs: out.docs, failures: out.failures, replay: out.replay }, 'firehose: delivery acknowledged');
      return send(reply, 200, responseBody(out.requestId, out.timestamp));
    };
    scope.post('/_firehose', handler);
    scope.post('/_firehose/:stream', handler);
  });
}
