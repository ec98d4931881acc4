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
} from '../../protocol/http-schemas.js';
import { speechLanguageSchema } from '../../protocol/client-messages.js';
import { VivaError } from '../../protocol/viva-error.js';
import { invalidMessage } from '../error-mapping.js';
import type { HttpContext } from './http-context.js';
import { audioTurnInput, transcriptOf } from '../turn-views.js';
import { REPORT_PAGE_CSP, REPORT_SCRIPT, REPORT_SCRIPT_PATH, renderReportPage } from './report-page.js';
import { holdsSessionToken, requireApiKey, requireSessionToken } from './session-access.js';
import { streamTurnAsEvents, wantsEventStream } from './turn-event-stream.js';

/** The interview API of docs/protocol.md §7, sharing sessions with the WebSocket. */
export function registerInterviewRoutes(app: FastifyInstance, context: HttpContext): void {
  const { coordinator, store, config, tokens } = context;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const sessionAccess = requireSessionToken(config, tokens);
  const tags = ['interview'];

  routes.post(
    '/api/v1/interview/start',
    {
      schema: { tags, summary: 'Start an interview: plan, greeting and first question', body: startInterviewBodySchema },
      onRequest: requireApiKey(config),
    },
    async (request, reply) => {
      const body = request.body;
      if (!context.creations.allows(request.ip)) {
        context.metrics.limitHit('sessions_per_ip');
        throw new VivaError('RATE_LIMITED', `Too many new sessions from this address: at most ${config.SESSIONS_PER_IP_PER_MINUTE} a minute.`);
      }
      const sessionId = body.session_id ?? newSessionId();
      // in token mode an API key creates sessions; it does not open someone else's: an existing id needs its token
      const onlyNew = config.AUTH_MODE === 'token' && body.session_id !== undefined && !holdsSessionToken(request, tokens, body.session_id);
      const { session, outcome, created } = await coordinator.begin(sessionId, { candidate: body.candidate, interview: body.interview }, onlyNew);
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
        plan: session.plan,
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
      if (session.progress.state === 'completed') return coordinator.report(session.id);
      const { report } = await coordinator.endInterview(session.id, 'ended_by_candidate');
      return report;
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
      if (prefersHtml(request)) {
        return reply.type('text/html; charset=utf-8').header('content-security-policy', REPORT_PAGE_CSP).send(renderReportPage(report));
      }
      return report;
    },
  );

  routes.get(REPORT_SCRIPT_PATH, { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(REPORT_SCRIPT),
  );
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
    const audio = await inspector.inspectBytes(bytes, declared);
    return { audio, language: fields.data.language, inputId: fields.data.id };
  }
  const body = processAudioJsonBodySchema.safeParse(request.body);
  if (!body.success) throw invalidMessage(body.error);
  const audio = await inspector.decodePayload(body.data);
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
