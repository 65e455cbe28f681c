// OpenSearch Alerting's monitor API (`/_plugins/_alerting/monitors…`, also under the legacy
// `_opendistro` prefix): CRUD, `_search`, `_execute` (saved or unsaved, dry run or not), the alerts
// list and acknowledge. Handlers parse parameters and call node.monitors.

import type { FastifyInstance } from 'fastify';
import { illegalArgument } from '../../index/errors.ts';
import { CONFIG_INDEX, parseAckBody } from '../../alarms/monitors/monitor-service.ts';
import type { LookoutNode } from '../node.ts';
import { boolParam, intParam, jsonBody, send, type Req } from '../http.ts';

/** `/_plugins/_alerting/monitors…`: thin routes over `node.monitors`. */
export function registerAlertingRoutes(app: FastifyInstance, node: LookoutNode): void {
  const monitors = node.monitors;
  // Services load their stores from the engine before the app serves requests; they stop with it.
  app.addHook('onReady', async () => node.alertingReady);
  app.addHook('onClose', async () => node.stopAlerting());

  for (const prefix of ['/_plugins/_alerting', '/_opendistro/_alerting']) {
    const base = `${prefix}/monitors`;

    app.post(base, async (request, reply) => {
      const req = request as Req;
      const body = jsonBody(req);
      if (!body) throw illegalArgument('request body is required');
      return send(req, reply, 201, monitors.render(await monitors.create(body)));
    });

    const searchHandler = async (request: unknown, reply: Parameters<typeof send>[1]) => {
      const req = request as Req;
      return send(req, reply, 200, await monitors.search(jsonBody(req) ?? { query: { match_all: {} } }));
    };
    app.post(`${base}/_search`, searchHandler);
    app.get(`${base}/_search`, searchHandler);

    app.get(`${base}/alerts`, async (request, reply) => {
      const req = request as Req;
      const q = req.query;
      return send(req, reply, 200, monitors.listAlerts({
        monitorId: q.monitorId, alertState: q.alertState, severityLevel: q.severityLevel, searchString: q.searchString,
        sortString: q.sortString, sortOrder: q.sortOrder, size: intParam(req, 'size'), startIndex: intParam(req, 'startIndex'),
      }));
    });

    app.post(`${base}/_execute`, async (request, reply) => {
      const req = request as Req;
      const body = jsonBody(req);
      if (!body) throw illegalArgument('request body is required');
      const monitor = (body.monitor ?? body) as Record<string, unknown>;
      return send(req, reply, 200, await monitors.executeBody(monitor, boolParam(req, 'dryrun')));
    });

    app.get(`${base}/:id`, async (request, reply) => {
      const req = request as Req;
      const s = monitors.get(req.params.id);
      return send(req, reply, 200, monitors.render(s));
    });

    app.put(`${base}/:id`, async (request, reply) => {
      const req = request as Req;
      const body = jsonBody(req);
      if (!body) throw illegalArgument('request body is required');
      const ifSeqNo = intParam(req, 'if_seq_no');
      return send(req, reply, 200, monitors.render(await monitors.update(req.params.id, body, ifSeqNo)));
    });

    app.delete(`${base}/:id`, async (request, reply) => {
      const req = request as Req;
      const s = await monitors.delete(req.params.id);
      return send(req, reply, 200, {
        _index: CONFIG_INDEX, _id: s.id, _version: s.version + 1, result: 'deleted', forced_refresh: true,
        _shards: { total: 1, successful: 1, failed: 0 }, _seq_no: s.seqNo + 1, _primary_term: 1,
      });
    });

    app.post(`${base}/:id/_execute`, async (request, reply) => {
      const req = request as Req;
      return send(req, reply, 200, await monitors.executeSaved(req.params.id, boolParam(req, 'dryrun')));
    });

    app.post(`${base}/:id/_acknowledge/alerts`, async (request, reply) => {
      const req = request as Req;
      return send(req, reply, 200, await monitors.acknowledge(req.params.id, parseAckBody(jsonBody(req))));
    });
  }
}
