import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { InterviewTemplate, SessionCursor } from '../../interview/interview-templates.js';
import { resolveSettings } from '../../interview/interview-settings.js';
import { describeInterview } from '../../interview/interview-status.js';
import type { SessionRecord } from '../../interview/session-store.js';
import {
  createTemplateBodySchema,
  inviteParamsSchema,
  listInterviewsQuerySchema,
  patchTemplateBodySchema,
  templateParamsSchema,
} from '@viva/protocol/http-schemas.js';
import { VivaError } from '@viva/protocol/viva-error.js';
import { requireAdminToken } from './admin-auth.js';
import { comparisonCsv, comparisonOf } from './template-comparison.js';
import type { HttpContext } from './http-context.js';
import { sessionParamsSchema } from '@viva/protocol/http-schemas.js';
import { REPORT_PAGE_CSS, REPORT_PAGE_CSS_PATH, REPORT_PAGE_SCRIPT, REPORT_PAGE_SCRIPT_PATH, renderReportPage } from './report-page.js';

/** Recruiting (docs/protocol.md §10): interview templates with invite links, and every interview findable. */
export function registerRecruitingRoutes(app: FastifyInstance, context: HttpContext): void {
  const { store, cluster } = context;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireAdminToken(context.adminToken);
  const tags = ['recruiting'];
  const security = [{ adminToken: [] }];

  const withUrl = (request: FastifyRequest, template: InterviewTemplate) => ({
    ...template,
    invite_url: inviteUrl(request, template.invite, context),
  });

  routes.post(
    '/api/v1/templates',
    { schema: { tags, security, summary: 'Create an interview template with an invite link', body: createTemplateBodySchema }, onRequest },
    async (request, reply) => {
      const now = new Date().toISOString();
      const template = await store.createTemplate({
        template_id: `tpl_${randomBytes(9).toString('base64url')}`,
        name: request.body.name,
        interview: request.body.interview,
        focus: request.body.focus ?? [],
        // 144 bits: the link is the credential in token auth mode
        invite: randomBytes(18).toString('base64url'),
        created_at: now,
        updated_at: now,
      });
      return reply.code(201).send(withUrl(request, template));
    },
  );

  routes.get(
    '/api/v1/templates',
    { schema: { tags, security, summary: 'Every template with its candidates and completed counts' }, onRequest },
    async (request) => ({ items: (await store.listTemplates()).map((template) => withUrl(request, template)) }),
  );

  routes.get(
    '/api/v1/templates/:template_id',
    { schema: { tags, security, summary: 'One template', params: templateParamsSchema }, onRequest },
    async (request) => withUrl(request, await requireTemplate(context, request.params.template_id)),
  );

  routes.patch(
    '/api/v1/templates/:template_id',
    {
      schema: { tags, security, summary: 'Edit a template (sessions already started keep their plan)', params: templateParamsSchema, body: patchTemplateBodySchema },
      onRequest,
    },
    async (request) => {
      const { name, interview, focus } = request.body;
      const updated = await store.updateTemplate(request.params.template_id, {
        ...(name !== undefined ? { name } : {}),
        ...(interview !== undefined ? { interview } : {}),
        ...(focus !== undefined ? { focus } : {}),
      });
      if (updated === null) throw templateNotFound(request.params.template_id);
      return withUrl(request, updated);
    },
  );

  routes.delete(
    '/api/v1/templates/:template_id',
    { schema: { tags, security, summary: 'Delete a template (its sessions stay)', params: templateParamsSchema }, onRequest },
    async (request, reply) => {
      if (!(await store.deleteTemplate(request.params.template_id))) throw templateNotFound(request.params.template_id);
      return reply.code(204).send();
    },
  );

  routes.get(
    '/api/v1/templates/:template_id/candidates',
    {
      schema: {
        tags,
        security,
        summary: "A template's candidates side by side: overall and per competency; ?format=csv for a spreadsheet",
        params: templateParamsSchema,
      },
      onRequest,
    },
    async (request, reply) => {
      const template = await requireTemplate(context, request.params.template_id);
      const sessions: SessionRecord[] = [];
      let after: SessionCursor | undefined;
      // a template's candidates are a hiring round: hundreds at most, read in pages of 500
      for (;;) {
        const page = await store.searchSessions({ template_id: template.template_id, limit: 500, after });
        sessions.push(...page);
        const last = page.at(-1);
        if (page.length < 500 || last === undefined) break;
        after = { created_at: last.created_at, id: last.id };
      }
      const comparison = comparisonOf(template, sessions);
      const format = (request.query as { format?: unknown }).format;
      if (format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${template.template_id}-candidates.csv"`)
          .send(comparisonCsv(comparison));
      }
      return comparison;
    },
  );

  routes.get(
    '/api/v1/interviews',
    { schema: { tags, security, summary: 'Every interview, live and past, newest first, with filters and cursor paging', querystring: listInterviewsQuerySchema }, onRequest },
    async (request) => {
      const query = request.query;
      const limit = query.limit;
      // one more than asked tells whether there is a next page without a count query
      const found = await store.searchSessions({
        state: query.state,
        template_id: query.template_id,
        q: query.q,
        created_from: query.from === undefined ? undefined : startOf(query.from),
        created_before: query.to === undefined ? undefined : endOf(query.to),
        after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
        limit: limit + 1,
      });
      const page = found.slice(0, limit);
      const connected = new Set((await cluster.connectedSessions()).map((entry) => entry.session_id));
      const last = page.at(-1);
      return {
        items: page.map((session) => interviewItem(session, connected.has(session.id))),
        next_cursor: found.length > limit && last !== undefined ? encodeCursor({ created_at: last.created_at, id: last.id }) : null,
      };
    },
  );

  // the printable report's own URL, for the hiring team: a link the dashboard hands out, signed for this
  // one report and expiring like a session token, so no admin token ever travels in an address
  routes.get(
    '/reports/:id',
    { schema: { tags, summary: "The printable report for the hiring team (link from the dashboard); ?format=json downloads it", params: sessionParamsSchema } },
    async (request, reply) => {
      const key = (request.query as { key?: unknown }).key;
      if (typeof key !== 'string' || !context.tokens.verify(reportLinkSubject(request.params.id), key)) {
        throw new VivaError('UNAUTHORIZED', 'This report link is not valid (any more). Open the report again from the dashboard.');
      }
      const report = await context.coordinator.report(request.params.id);
      if ((request.query as { format?: unknown }).format === 'json') {
        return reply.header('content-disposition', `attachment; filename="report-${request.params.id}.json"`).send(report);
      }
      const jsonUrl = `${reportLinkOf(context, request.params.id)}&format=json`;
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderReportPage(report, { jsonUrl }));
    },
  );
  routes.get(REPORT_PAGE_CSS_PATH, { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(REPORT_PAGE_CSS),
  );
  routes.get(REPORT_PAGE_SCRIPT_PATH, { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(REPORT_PAGE_SCRIPT),
  );

  // the candidate app's invite page: the key is the credential, so no admin token; it reveals only what
  // the candidate is about to be told anyway (the job and the interview's length)
  routes.get(
    '/api/v1/invites/:invite',
    { schema: { tags, summary: 'What an invite link is for: the job name and interview settings a candidate sees', params: inviteParamsSchema } },
    async (request) => {
      const template = await store.findTemplateByInvite(request.params.invite);
      if (template === null) throw new VivaError('UNAUTHORIZED', 'This invite link is not valid (any more). Ask the hiring team for a new one.');
      const settings = resolveSettings(template.interview);
      return {
        name: template.name,
        interview: {
          role: settings.role,
          level: settings.level,
          language: settings.language,
          question_count: settings.question_count,
          max_minutes: settings.max_minutes,
        },
      };
    },
  );
}

/** One row of GET /api/v1/interviews. */
export function interviewItem(session: SessionRecord, connected: boolean) {
  const settings = resolveSettings(session.settings);
  const status = describeInterview(session.plan, session.progress);
  return {
    session_id: session.id,
    candidate: session.candidate,
    template_id: session.template_id,
    interview: {
      role: session.plan?.role ?? settings.role,
      level: session.plan?.level ?? settings.level,
      language: session.plan?.language ?? settings.language,
      state: status.state,
      question_number: status.question_number ?? 0,
      total_questions: status.total_questions ?? 0,
    },
    created_at: session.created_at,
    updated_at: session.updated_at,
    started_at: session.progress.started_at,
    ended_at: session.progress.ended_at,
    connected,
    report:
      session.report === null
        ? null
        : { overall_score: session.report.overall_score, recommendation: session.report.recommendation, method: session.report.method },
  };
}

export async function requireTemplate(context: HttpContext, templateId: string): Promise<InterviewTemplate> {
  const template = await context.store.getTemplate(templateId);
  if (template === null) throw templateNotFound(templateId);
  return template;
}

// the contract's error list is closed and has no template code: an unknown template is a 404 like an
// unknown session, with the template named in the message and details
function templateNotFound(templateId: string): VivaError {
  return new VivaError('SESSION_NOT_FOUND', `No template with id ${templateId}.`, { details: { template_id: templateId } });
}

export function inviteUrl(request: FastifyRequest, invite: string, context: HttpContext): string {
  const base = context.config.PUBLIC_URL ?? `${request.protocol}://${request.host}`;
  const url = new URL('/', base);
  url.searchParams.set('invite', invite);
  return url.toString();
}

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/** `from`: a date means the start of that UTC day. */
function startOf(value: string): string {
  return dateOnly.test(value) ? `${value}T00:00:00.000Z` : new Date(value).toISOString();
}

/** `to` is inclusive: a date means up to the end of that UTC day; a time, up to and including it. */
function endOf(value: string): string {
  const end = dateOnly.test(value) ? Date.parse(`${value}T00:00:00.000Z`) + 86_400_000 : Date.parse(value) + 1;
  return new Date(end).toISOString();
}

function encodeCursor(cursor: SessionCursor): string {
  return Buffer.from(JSON.stringify([cursor.created_at, cursor.id])).toString('base64url');
}

function decodeCursor(text: string): SessionCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { created_at: value[0], id: value[1] };
    }
  } catch {
    // answered below
  }
  throw new VivaError('INVALID_MESSAGE', 'Invalid field query.cursor: pass next_cursor from the previous page as it was.', {
    details: { field: 'query.cursor' },
  });
}

/** Session ids never contain a colon, so a report link's signature can never pass for a session token. */
function reportLinkSubject(sessionId: string): string {
  return `report:${sessionId}`;
}

/** The printable report's own URL (path and signed key), as the dashboard links to it. */
export function reportLinkOf(context: HttpContext, sessionId: string): string {
  return `/reports/${encodeURIComponent(sessionId)}?key=${encodeURIComponent(context.tokens.issue(reportLinkSubject(sessionId)))}`;
}
