// `GET /`: the node banner OpenSearch clients read the version from.

import type { FastifyInstance } from 'fastify';
import { NODE_NAME } from '../../index/indices/indices-service.ts';
import type { LookoutNode } from '../node.ts';
import { send, sendStatus, type Req } from '../http.ts';

export const VERSION = '2.19.1';

export function registerRootRoutes(app: FastifyInstance, node: LookoutNode): void {
  app.get('/', async (req, reply) =>
    send(req as Req, reply, 200, {
      name: NODE_NAME,
      cluster_name: 'lookout',
      cluster_uuid: node.indices.clusterUuid,
      version: {
        distribution: 'opensearch',
        number: VERSION,
        build_type: 'tar',
        build_hash: 'lookout',
        build_date: '2025-02-27T00:00:00.000000Z',
        build_snapshot: false,
        lucene_version: '9.12.1',
        minimum_wire_compatibility_version: '7.10.0',
        minimum_index_compatibility_version: '7.0.0',
      },
      tagline: 'The OpenSearch Project: https://opensearch.org/',
    }),
  );
  app.head('/', async (_req, reply) => sendStatus(reply, 200));
}
