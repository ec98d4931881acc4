import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TurnInput } from '../../interview/interview-coordinator.js';
import type { ServerMessage } from '@viva/protocol/server-messages.js';
import { errorMessage, reportError } from '../error-mapping.js';
import type { HttpContext } from './http-context.js';

export function wantsEventStream(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/event-stream');
}

/**
 * Runs a turn and streams its messages as server-sent events, one event per server message with the
 * message's type as the event name: `status`, `ai_response_delta`…, then `ai_response` (or `error`).
 */
export async function streamTurnAsEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  context: HttpContext,
  sessionId: string,
  input: TurnInput,
): Promise<FastifyReply> {
  reply.hijack();
  const response = reply.raw;
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const write = (message: ServerMessage) => {
    if (!response.writableEnded) response.write(`event: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`);
  };
  // the client hanging up mid-stream counts as a cancel, as a candidate interrupting would
  const onClose = () => {
    if (!response.writableFinished) context.coordinator.cancel(sessionId);
  };
  request.raw.on('close', onClose);
  try {
    await context.coordinator.processInput(sessionId, input, { observe: write, reply: write });
  } catch (error) {
    const reported = reportError(context, error, { edge: 'sse', session_id: sessionId, reply_to: input.id });
    write(errorMessage(sessionId, reported, input.id));
  } finally {
    request.raw.off('close', onClose);
    response.end();
  }
  return reply;
}
