import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MultipartFile } from '@fastify/multipart';
import type { DecodedAudio } from '../../audio/audio-decoder.js';
import type { AudioInspectionPool } from '../../audio/audio-inspection-pool.js';
import type { TurnInput, TurnOutcome } from '../../interview/interview-coordinator.js';
import { resolveSettings } from '../../interview/interview-settings.js';
import { describeInterview } from '../../interview/interview-status.js';
import { newSessionId } from '../../interview/session-ids.js';
import {
  endInterviewBodySchema,
  processAudioJsonBodySchema,
  processTextBodySchema,
  sessionParamsSchema,
  startInterviewBodySchema,
} from '@viva/protocol/http-schemas.js';
import { speechLanguageSchema } from '@viva/protocol/client-messages.js';
import { VivaError } from '@viva/protocol/viva-error.js';
import { invalidMessage } from '../error-mapping.js';
import type { HttpContext } from './http-context.js';
import { audioTurnInput, transcriptOf } from '../turn-views.js';
import { renderReportPage } from './report-page.js';
import { hasAdminToken } from './admin-auth.js';
import { requireTemplate } from './recruiting-routes.js';
import { candidateFullReportOf, candidateQuestionView, candidateSummaryOf, type CandidateSummary } from '../../interview/candidate-report.js';
import type { InterviewTemplate } from '../../interview/interview-templates.js';
import type { InterviewPlan, InterviewProgress, InterviewReport } from '../../interview/interview-types.js';
import { holdsSessionToken, requireApiKey, requireSessionToken } from './session-access.js';
import { streamTurnAsEvents, wantsEventStream } from './turn-event-stream.js';

/** The interview API of docs/protocol.md §7, sharing sessions with the WebSocket. */
export function registerInterviewRoutes(app: FastifyInstance, context: HttpContext): void {
  const { coordinator, store, config, tokens } = context;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const sessionAccess = requireSessionToken(config, tokens, context.adminToken);
  const tags = ['interview'];

  routes.post(
    '/api/v1/interview/start',
    {
      schema: { tags, summary: 'Start an interview: plan, greeting and first question', body: startInterviewBodySchema },
      // a preHandler, not onRequest: an invite key in the body may stand in for the API key
      preHandler: requireApiKey(config, { allowInvite: true }),
    },
    async (request, reply) => {
      const body = request.body;
      if (!context.creations.allows(request.ip)) {
        context.metrics.limitHit('sessions_per_ip');
        throw new VivaError('RATE_LIMITED', `Too many new sessions from this address: at most ${config.SESSIONS_PER_IP_PER_MINUTE} a minute.`);
      }
      const template = await templateForStart(context, body);
      const sessionId = body.session_id ?? newSessionId();
      // in token mode an API key creates sessions; it does not open someone else's: an existing id needs its token
      const onlyNew = config.AUTH_MODE === 'token' && body.session_id !== undefined && !holdsSessionToken(request, tokens, body.session_id);
      const { session, outcome, created } = await coordinator.begin(
        sessionId,
        template === null
          ? { candidate: body.candidate, interview: body.interview }
          : { candidate: body.candidate, interview: template.interview, template_id: template.template_id, focus: template.focus },
        onlyNew,
      );
      if (created) {
        context.creations.record(request.ip);
        context.metrics.sessionsCreated.inc();
      }
      return reply.code(201).send({
        session_id: session.id,
        session_token: tokens.issue(session.id),
        ai_response: outcome.ai_response.ai_response,
        turn: outcome.ai_response.turn,
        seq: outcome.seq,
        interview: describeInterview(session.plan, session.progress),
        ws_url: webSocketUrl(request, session.id, context),
      });
    },
  );

  routes.post(
    '/api/v1/interview/:id/process-unified',
    {
      schema: {
        tags,
        summary: 'Answer with text; Accept: text/event-stream streams the reply as server-sent events',
        params: sessionParamsSchema,
        body: processTextBodySchema,
      },
      onRequest: sessionAccess,
    },
    async (request, reply) => {
      const { id } = request.params;
      await coordinator.requireSession(id);
      const input: TurnInput = { kind: 'text', id: request.body.id, text: request.body.text };
      if (wantsEventStream(request)) return streamTurnAsEvents(request, reply, context, id, input);
      const outcome = await coordinator.processInput(id, input);
      return turnAnswer(id, outcome);
    },
  );

  routes.post(
    '/api/v1/interview/:id/process-unified-audio',
    {
      schema: {
        tags,
        summary: 'Answer with audio: multipart/form-data (file field "audio", optional "language") or JSON audio_data',
        params: sessionParamsSchema,
      },
      bodyLimit: config.MAX_MESSAGE_BYTES,
      onRequest: sessionAccess,
    },
    async (request) => {
      const { id } = request.params;
      await coordinator.requireSession(id);
      const { audio, language, inputId } = await readAudioRequest(request, config.MAX_AUDIO_BYTES, context.audio);
      const outcome = await coordinator.processInput(id, audioTurnInput(audio, inputId, language));
      return turnAnswer(id, outcome);
    },
  );

  routes.get(
    '/api/v1/interview/:id',
    { schema: { tags, summary: 'The session: state, plan, transcript', params: sessionParamsSchema }, onRequest: sessionAccess },
    async (request) => {
      const session = await coordinator.requireSession(request.params.id);
      const turns = await store.turns(session.id);
      const admin = hasAdminToken(request, context.adminToken);
      return {
        session_id: session.id,
        created_at: session.created_at,
        updated_at: session.updated_at,
        candidate: session.candidate,
        settings: resolveSettings(session.settings),
        interview: describeInterview(session.plan, session.progress),
        started_at: session.progress.started_at,
        ended_at: session.progress.ended_at,
        end_reason: session.progress.end_reason,
        template_id: session.template_id,
        // a candidate sees only the questions already asked; the admin token sees the whole plan
        plan: admin ? session.plan : askedPlan(session.plan, session.progress),
        last_seq: session.last_seq,
        transcript: transcriptOf(turns),
        report_available: session.report !== null,
      };
    },
  );

  routes.post(
    '/api/v1/interview/:id/end',
    {
      schema: { tags, summary: 'End the interview and get the report', params: sessionParamsSchema, body: endInterviewBodySchema.optional() },
      onRequest: sessionAccess,
    },
    async (request) => {
      const session = await coordinator.requireSession(request.params.id);
      // ending twice is not an error over HTTP: the answer is the same report
      const report =
        session.progress.state === 'completed'
          ? await coordinator.report(session.id)
          : (await coordinator.endInterview(session.id, 'ended_by_candidate')).report;
      const visible = reportFor(request, context, report);
      // with CANDIDATE_REPORT=none the interview still ends; the candidate is told only that it did
      return visible ?? endedReceipt(report);
    },
  );

  routes.get(
    '/api/v1/interview/:id/report',
    {
      schema: { tags, summary: 'The evaluation as JSON, or a printable page for Accept: text/html', params: sessionParamsSchema },
      onRequest: sessionAccess,
    },
    async (request, reply) => {
      const report = await coordinator.report(request.params.id);
      const visible = reportFor(request, context, report);
      if (visible === null) {
        throw new VivaError('UNAUTHORIZED', 'The report of this interview is shared with the hiring team only.', { httpStatus: 403 });
      }
      if (prefersHtml(request) && visible === report) {
        return reply.type('text/html; charset=utf-8').send(renderReportPage(report));
      }
      return visible;
    },
  );

}

/**
 * The report as the requester may see it (docs/protocol.md §10): whole with the admin token or with
 * CANDIDATE_REPORT=full; without scores, recommendation, notes and concerns for `summary`; null for `none`.
 */
function reportFor(request: FastifyRequest, context: HttpContext, report: InterviewReport): InterviewReport | CandidateSummary | null {
  if (hasAdminToken(request, context.adminToken)) return report;
  switch (context.config.CANDIDATE_REPORT) {
    case 'full':
      return candidateFullReportOf(report);
    case 'none':
      return null;
    default:
      return candidateSummaryOf(report);
  }
}

function endedReceipt(report: InterviewReport) {
  return {
    session_id: report.session_id,
    interview: report.interview,
    started_at: report.started_at,
    ended_at: report.ended_at,
    ...(report.end_reason !== undefined ? { end_reason: report.end_reason } : {}),
    visibility: 'none' as const,
  };
}

/** The plan with only the questions asked so far (those answered and the one awaiting an answer), without their guides. */
function askedPlan(plan: InterviewPlan | null, progress: InterviewProgress): InterviewPlan | null {
  if (plan === null) return null;
  const asked = new Set(progress.records.map((record) => record.question_id));
  const current = progress.state === 'in_progress' ? plan.questions[progress.current_index] : undefined;
  if (current !== undefined) asked.add(current.id);
  // the guides and probes are the hiring team's: every candidate for the job gets the same questions
  return { ...plan, questions: plan.questions.filter((question) => asked.has(question.id)).map(candidateQuestionView) };
}

/** A template named by `invite` (the link's key) or `template_id`; null when the body names none. */
async function templateForStart(
  context: HttpContext,
  body: { invite?: string | undefined; template_id?: string | undefined; interview?: unknown },
): Promise<InterviewTemplate | null> {
  let template: InterviewTemplate | null = null;
  if (body.invite !== undefined) {
    template = await context.store.findTemplateByInvite(body.invite);
    if (template === null) throw new VivaError('UNAUTHORIZED', 'This invite link is not valid (any more). Ask the hiring team for a new one.');
    if (body.template_id !== undefined && body.template_id !== template.template_id) {
      throw new VivaError('INVALID_MESSAGE', 'Invalid field template_id: it is not the template of the invite.', { details: { field: 'template_id' } });
    }
  } else if (body.template_id !== undefined) {
    template = await requireTemplate(context, body.template_id);
  }
  if (template !== null && body.interview !== undefined) {
    throw new VivaError('INVALID_MESSAGE', 'Invalid field interview: a template sets the interview; send only candidate.', {
      details: { field: 'interview' },
    });
  }
  return template;
}

function turnAnswer(sessionId: string, outcome: TurnOutcome) {
  return {
    session_id: sessionId,
    seq: outcome.seq,
    ...(outcome.transcription?.type === 'transcription' ? { transcription: outcome.transcription.data } : {}),
    ...outcome.ai_response,
    ...(outcome.replayed ? { replayed: true } : {}),
  };
}

const multipartFieldsSchema = z.object({
  language: speechLanguageSchema.optional(),
  audio_format: z.string().max(32).optional(),
  id: z.string().min(1).max(64).optional(),
});

/** Reads audio from multipart/form-data (field `audio`) or from a JSON body with base64 `audio_data`. */
async function readAudioRequest(
  request: FastifyRequest,
  maxAudioBytes: number,
  inspector: AudioInspectionPool,
): Promise<{ audio: DecodedAudio; language: string | undefined; inputId: string | undefined }> {
  if (request.isMultipart()) {
    let file: MultipartFile | undefined;
    try {
      file = await request.file({ limits: { fileSize: maxAudioBytes, files: 1 } });
    } catch (error) {
      throw new VivaError('INVALID_MESSAGE', 'The multipart body could not be read.', { cause: error });
    }
    if (file === undefined || file.fieldname !== 'audio') {
      throw new VivaError('INVALID_MESSAGE', 'Send the audio as a file in the form field "audio".', { details: { field: 'audio' } });
    }
    const bytes = await file.toBuffer();
    const fields = multipartFieldsSchema.safeParse(
      Object.fromEntries(
        Object.entries(file.fields).flatMap(([name, field]) =>
          field !== undefined && !Array.isArray(field) && field.type === 'field' ? [[name, String(field.value)]] : [],
        ),
      ),
    );
    if (!fields.success) throw invalidMessage(fields.error);
    const declared = fields.data.audio_format ?? extensionOf(file.filename);
    const audio = await inspector.inspectBytes(bytes, declared, request.ip);
    return { audio, language: fields.data.language, inputId: fields.data.id };
  }
  const body = processAudioJsonBodySchema.safeParse(request.body);
  if (!body.success) throw invalidMessage(body.error);
  const audio = await inspector.decodePayload(body.data, request.ip);
  return { audio, language: body.data.language, inputId: body.data.id };
}

function extensionOf(fileName: string | undefined): string | undefined {
  const match = /\.([A-Za-z0-9]{2,5})$/.exec(fileName ?? '');
  return match?.[1]?.toLowerCase();
}

function prefersHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') && !accept.startsWith('application/json');
}

function webSocketUrl(request: FastifyRequest, sessionId: string, context: HttpContext): string {
  const base = context.config.PUBLIC_URL ?? `${request.protocol}://${request.host}`;
  const url = new URL(`/api/v1/ws/${encodeURIComponent(sessionId)}`, base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
