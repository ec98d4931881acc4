import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { describeInterview } from '../../interview/interview-status.js';
import { resolveSettings } from '../../interview/interview-settings.js';
import { listSessionsQuerySchema, noticeBodySchema, sessionParamsSchema } from '@viva/protocol/http-schemas.js';
import { VivaError } from '@viva/protocol/viva-error.js';
import { requireAdminToken } from './admin-auth.js';
import { reportLinkOf } from './recruiting-routes.js';
import type { HttpContext } from './http-context.js';
import { transcriptOf } from '../turn-views.js';

/** The management API of docs/protocol.md §7; every route needs the admin token. */
export function registerManagementRoutes(app: FastifyInstance, context: HttpContext): void {
  const { coordinator, store, cluster, metrics } = context;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const preHandler = requireAdminToken(context.adminToken);
  const tags = ['management'];
  const security = [{ adminToken: [] }];

  routes.get('/api/v1/websocket/stats', { schema: { tags, security, summary: 'Connection and message statistics of every node' }, onRequest: preHandler }, async () => {
    const [nodes, connected, sessionsTotal] = await Promise.all([cluster.nodes(), cluster.connectedSessions(), store.countSessions()]);
    const totals = metrics.totals();
    return {
      connections_active: nodes.reduce((sum, node) => sum + node.connections_active, 0),
      sessions_total: sessionsTotal,
      sessions_active: new Set(connected.map((session) => session.session_id)).size,
      messages_in: nodes.reduce((sum, node) => sum + node.messages_in, 0),
      messages_out: nodes.reduce((sum, node) => sum + node.messages_out, 0),
      errors_by_code: totals.errors_by_code,
      uptime_s: Math.round((Date.now() - metrics.startedAt) / 1000),
      node: cluster.nodeId,
      nodes,
    };
  });

  routes.get(
    '/api/v1/websocket/sessions',
    { schema: { tags, security, summary: 'The connected sessions, on every node', querystring: listSessionsQuerySchema }, onRequest: preHandler },
    async (request) => {
      const connected = await cluster.connectedSessions();
      const { limit, offset } = request.query;
      const page = connected.slice(offset, offset + limit);
      const sessions = await Promise.all(
        page.map(async (entry) => {
          const session = await store.getSession(entry.session_id);
          return {
            session_id: entry.session_id,
            connected_at: entry.connected_at,
            last_activity_at: entry.last_activity_at,
            remote_address: entry.remote_address,
            node: entry.node,
            candidate: session?.candidate ?? {},
            interview: session ? describeInterview(session.plan, session.progress) : { state: 'not_started' as const },
          };
        }),
      );
      return { total: connected.length, sessions };
    },
  );

  routes.get(
    '/api/v1/websocket/sessions/:id',
    { schema: { tags, security, summary: 'One session: its connection (or null), interview state, transcript', params: sessionParamsSchema }, onRequest: preHandler },
    async (request) => {
      const session = await coordinator.requireSession(request.params.id);
      const connected = (await cluster.connectedSessions()).find((entry) => entry.session_id === session.id) ?? null;
      const [turns, messages] = await Promise.all([store.turns(session.id), store.messagesAfter(session.id, 0)]);
      const settings = resolveSettings(session.settings);
      return {
        session_id: session.id,
        created_at: session.created_at,
        candidate: session.candidate,
        template_id: session.template_id,
        role: session.plan?.role ?? settings.role,
        level: session.plan?.level ?? settings.level,
        language: session.plan?.language ?? settings.language,
        connection: connected,
        interview: describeInterview(session.plan, session.progress),
        started_at: session.progress.started_at,
        ended_at: session.progress.ended_at,
        last_seq: session.last_seq,
        transcript: transcriptOf(turns),
        // the team's own messages, so the dashboard shows the conversation as the candidate saw it
        notices: messages.flatMap((message) =>
          message.type === 'notice' ? [{ seq: message.seq, at: message.timestamp, message: message.data.message, from: message.data.from }] : [],
        ),
        report: session.report,
        report_page_url: session.report === null ? null : reportLinkOf(context, session.id),
      };
    },
  );

  routes.post(
    '/api/v1/websocket/sessions/:id/message',
    { schema: { tags, security, summary: 'A durable notice to one session, now or on resume', params: sessionParamsSchema, body: noticeBodySchema }, onRequest: preHandler },
    async (request) => {
      return coordinator.sendNotice(request.params.id, { message: request.body.message, from: 'admin', data: request.body.data });
    },
  );

  routes.post(
    '/api/v1/websocket/broadcast',
    { schema: { tags, security, summary: 'A notice to every connected session on every node', body: noticeBodySchema }, onRequest: preHandler },
    async (request) => {
      const connected = await cluster.connectedSessions();
      const sessionIds = [...new Set(connected.map((entry) => entry.session_id))];
      const results = await Promise.allSettled(
        sessionIds.map((sessionId) =>
          coordinator.sendNotice(sessionId, { message: request.body.message, from: 'admin', data: request.body.data }),
        ),
      );
      return { recipients: results.filter((result) => result.status === 'fulfilled' && result.value.delivered).length, sessions: sessionIds.length };
    },
  );

  routes.delete(
    '/api/v1/interview/:id',
    { schema: { tags, security, summary: 'Erase a session: transcript, audio, report', params: sessionParamsSchema }, onRequest: preHandler },
    async (request) => {
      const existed = await store.deleteSession(request.params.id);
      if (!existed) throw new VivaError('SESSION_NOT_FOUND', `No session with id ${request.params.id}.`);
      await cluster.closeSession(request.params.id, 'session erased');
      return { deleted: true, session_id: request.params.id };
    },
  );

  routes.post(
    '/api/v1/interview/:id/admin-end',
    { schema: { tags, security, summary: 'End an interview as an admin', params: sessionParamsSchema, body: z.object({ reason: z.string().max(500).optional() }).optional() }, onRequest: preHandler },
    async (request) => (await coordinator.endInterview(request.params.id, 'ended_by_admin')).report,
  );
}
