import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { Logger } from 'pino';
import type { ClusterNode } from '../cluster/cluster-node.js';
import type { Config } from '../config.js';
import type { InterviewCoordinator, TurnInput } from '../interview/interview-coordinator.js';
import { describeInterview } from '../interview/interview-status.js';
import { isValidSessionId, newSessionId } from '../interview/session-ids.js';
import type { SessionRecord } from '../interview/session-store.js';
import type { Metrics } from '../observability/metrics.js';
import type { ClientMessage } from '@viva/protocol/client-messages.js';
import { CloseCode } from '@viva/protocol/close-codes.js';
import { PROTOCOL_VERSION, serverMessage, type ServerMessage } from '@viva/protocol/server-messages.js';
import { VivaError } from '@viva/protocol/viva-error.js';
import type { AudioInspectionPool } from '../audio/audio-inspection-pool.js';
import { ClientConnection, type ConnectionEvents, type ConnectionLimits } from './client-connection.js';
import { decodeClientMessage } from './client-message-decoder.js';
import type { ConnectionRegistry } from './connection-registry.js';
import { InboundBudget } from './inbound-budget.js';
import { errorMessage, httpError, reportError } from './error-mapping.js';
import { MessageRateLimiter } from './message-rate-limiter.js';
import { peekMessageId } from './message-id-peek.js';
import { audioTurnInput } from './turn-views.js';
import type { SessionTokens } from './session-tokens.js';
import type { UpgradeGuard } from './upgrade-guard.js';
import { decodeSessionId, refuseUpgrade, upgradeRequest, upgradeTarget, type UpgradeRequest } from './upgrade-request.js';
import type { SessionCreationLimiter } from './session-creation-limiter.js';
import { isVoiceClientMessageType } from '@viva/protocol/voice-messages.js';
import type { VoiceClientMessage, VoiceGateway } from './voice/voice-gateway.js';

export interface WebSocketGatewayOptions {
  config: Config;
  coordinator: InterviewCoordinator;
  /** Decodes and inspects `audio_input` off the event loop. */
  audio: AudioInspectionPool;
  registry: ConnectionRegistry;
  metrics: Metrics;
  tokens: SessionTokens;
  guard: UpgradeGuard;
  creations: SessionCreationLimiter;
  logger: Logger;
  cluster: ClusterNode;
  voice: VoiceGateway;
}

const REPLAY_PAGE = 500;
/**
 * Text frames above this size are decoded (UTF-8, JSON, schema, audio) in the audio inspection pool, not
 * on the event loop: parsing a frame of a few MiB of base64 holds the loop for tens of milliseconds, which
 * every other candidate would wait out. Only an `audio_input` is this large: the largest `audio_append`
 * (256 KiB of audio, as base64) and every other message fit well below it.
 */
const LARGE_FRAME_BYTES = 512 * 1024;
/** audio_append frames per second one connection may send (20 ms chunks are 50 a second). */
const AUDIO_APPENDS_PER_S = 100;
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** How an audio_append's type reads in its frame; one escaped some other way counts as any message. */
const AUDIO_APPEND_TYPE = Buffer.from('"audio_append"');

/**
 * The WebSocket side of the gateway (docs/protocol.md §1-§6): upgrade checks, the connection lifecycle,
 * decoding each frame, and handing inputs to the coordinator in arrival order.
 */
export class WebSocketGateway {
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private accepting = true;
  /** What unfinished inbound messages hold, across connections (bounded: issue 10, item 4). */
  private readonly inbound: InboundBudget;
  // the same for every connection: shared, not made again for each (an idle connection's memory counts)
  private readonly connectionLimits: ConnectionLimits;
  private readonly connectionEvents: ConnectionEvents;

  constructor(private readonly options: WebSocketGatewayOptions) {
    const { MAX_INBOUND_PENDING_BYTES, MAX_MESSAGE_BYTES, MAX_BUFFERED_BYTES } = options.config;
    this.inbound = new InboundBudget(Math.max(MAX_INBOUND_PENDING_BYTES, MAX_MESSAGE_BYTES));
    this.connectionLimits = { maxBufferedBytes: MAX_BUFFERED_BYTES };
    const { metrics } = options;
    this.connectionEvents = { messageOut: (type) => metrics.messageOut(type), limitHit: (limit) => metrics.limitHit(limit) };
  }

  /**
   * Takes the upgrades of `/api/v1/ws` and `/api/v1/ws/{id}` on the raw server's 'upgrade' event, with
   * ws's handleUpgrade: a connection costs no pass through Fastify's routing, hooks and reply (issue 15).
   * Any other upgrade is answered 404 as Fastify would answer the path.
   */
  register(app: FastifyInstance): void {
    const { config } = this.options;
    const wss = new WebSocketServer({
      noServer: true,
      maxPayload: config.MAX_MESSAGE_BYTES,
      // invalid UTF-8 is answered with an error message instead of ws's 1007 close (docs/protocol.md §4)
      skipUTF8Validation: true,
    });
    const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(wss, request, socket, head);
    app.server.on('upgrade', onUpgrade);
    app.addHook('preClose', (done) => {
      app.server.removeListener('upgrade', onUpgrade);
      for (const client of wss.clients) client.close();
      wss.close(() => done());
    });
    const interval = config.HEARTBEAT_INTERVAL_MS;
    this.heartbeatTimer = setInterval(() => this.sweepHeartbeats(), Math.max(10, Math.floor(interval / 4)));
    this.heartbeatTimer.unref();
  }

  /** Stops taking connections; the ones open stay until `closeAll`. */
  stopAccepting(): void {
    this.accepting = false;
  }

  closeAll(code: number, reason: string): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    for (const connection of [...this.options.registry.connections()]) connection.close(code, reason);
  }

  private upgrade(wss: WebSocketServer, raw: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Node removes its own error listener before 'upgrade'; ws adds one in handleUpgrade
    const onSocketError = () => socket.destroy();
    socket.on('error', onSocketError);
    const target = upgradeTarget(raw.url ?? '/');
    if (target.route === 'none' || raw.method !== 'GET') {
      const error = new VivaError('INVALID_MESSAGE', `No endpoint ${raw.method ?? 'GET'} ${target.path}. See /docs for the API.`, { httpStatus: 404 });
      const answer = httpError(reportError(this.options, error, { edge: 'http', route: `${raw.method ?? 'GET'} ${target.path}` }));
      refuseUpgrade(socket, answer.status, answer.body);
      return;
    }
    const sessionId = target.route === 'session' ? decodeSessionId(target.rawSessionId) : undefined;
    const request = upgradeRequest(raw, this.options.config.TRUST_PROXY);
    this.checkUpgrade(request, target.route === 'session' ? (sessionId ?? target.rawSessionId) : undefined).then(
      (refusal) => {
        if (refusal !== null) {
          refuseUpgrade(socket, refusal.status, refusal.body);
          return;
        }
        if (socket.destroyed) return;
        socket.removeListener('error', onSocketError);
        // the 101 waits in the socket for `connected` and leaves with it, one system call instead of two
        // for every connection; accept() hands the cork on, and whatever ends the opening undoes it (an
        // aborted handshake ends the socket, which flushes it)
        socket.cork();
        wss.handleUpgrade(raw, socket, head, (webSocket) => {
          try {
            this.accept(webSocket, request, sessionId);
          } catch (error: unknown) {
            this.options.logger.error({ err: error }, 'websocket handler failed');
            webSocket.close(CloseCode.INTERNAL_ERROR, 'internal error');
            socket.uncork();
          }
        });
      },
      (error: unknown) => {
        const answer = httpError(reportError(this.options, error, { edge: 'upgrade', session_id: sessionId }));
        refuseUpgrade(socket, answer.status, answer.body);
      },
    );
  }

  /** Refuses bad upgrades with an HTTP status before the handshake (docs/protocol.md §1). */
  private async checkUpgrade(request: UpgradeRequest, sessionId: string | undefined): Promise<{ status: number; body: unknown } | null> {
    const refuse = (error: VivaError, reason: string) => {
      this.options.metrics.upgradesRejected.inc({ reason });
      return httpError(reportError(this.options, error, { edge: 'upgrade', session_id: sessionId }));
    };
    if (!this.accepting) {
      return refuse(new VivaError('INTERNAL_ERROR', 'The server is restarting. Reconnect in a moment.', { httpStatus: 503 }), 'shutting_down');
    }
    if (sessionId !== undefined && !isValidSessionId(sessionId)) {
      return refuse(new VivaError('INVALID_MESSAGE', 'session_id must match ^[A-Za-z0-9_-]{1,128}$.', { details: { field: 'session_id' } }), 'bad_session_id');
    }
    const verdict = await this.options.guard.check(request, sessionId);
    return verdict === null ? null : refuse(verdict.error, verdict.reason);
  }

  private accept(socket: WebSocket, request: UpgradeRequest, requestedId: string | undefined): void {
    const { registry, metrics, config } = this.options;
    const remoteAddress = request.ip;
    socket.on('error', (error) => this.options.logger.debug({ err: error.message }, 'websocket error'));

    if (registry.countFrom(remoteAddress) >= config.MAX_CONNECTIONS_PER_IP) {
      metrics.limitHit('connections_per_ip');
      socket.close(CloseCode.TOO_MANY_CONNECTIONS, 'too many connections from this address');
      rawSocketOf(socket)?.uncork();
      return;
    }

    const sessionId = requestedId ?? newSessionId();
    const connection = new ClientConnection(socket, sessionId, remoteAddress, this.connectionLimits, this.connectionEvents, true);
    registry.admit(connection);
    connection.holdLiveMessages();
    const limiter = new MessageRateLimiter(config.RATE_LIMIT_MESSAGES_PER_S, config.RATE_LIMIT_FLOOD_MS);
    // live audio comes in many small frames: it has a budget of its own, apart from the other messages,
    // made at the first audio frame (most connections never send one; it starts full either way)
    let audioLimiter: MessageRateLimiter | undefined;
    const resumeFrom = parseResumeFrom(request.query.resume_from);
    const ready = this.open(connection, resumeFrom).catch((error: unknown) => {
      if (error instanceof VivaError && error.code === 'SESSION_NOT_FOUND') {
        // an erased session is not re-created (issue 10, item 8): say so, and close as for an erase
        connection.send(errorMessage(sessionId, error));
        connection.close(CloseCode.NORMAL, 'session erased');
        return false;
      }
      this.options.logger.error({ err: error, session_id: sessionId }, 'could not open the session');
      connection.close(CloseCode.INTERNAL_ERROR, 'could not open the session');
      return false;
    });
    // `connected` has released the handshake's cork; if it was never sent, this does
    void ready.finally(() => connection.releaseHandshake());
    let inputs: Promise<unknown> = ready;

    // a client that opens a connection and never says anything is let go after a while: sweepHeartbeats
    socket.on('pong', () => connection.heard());
    const meter = this.meterInbound(connection);
    const onMessage = (raw: RawData, isBinary: boolean): void => {
      meter?.messageDone();
      connection.messageReceived();
      const frame = isBinary ? null : frameBytes(raw);
      if (frame !== null && frame.length > LARGE_FRAME_BYTES) {
        const verdict = limiter.take();
        if (verdict !== 'allowed') {
          metrics.limitHit('messages_per_connection');
          if (verdict === 'abusive') connection.close(CloseCode.POLICY_VIOLATION, 'message rate limit exceeded for seconds');
          else if (verdict === 'limited') this.answerError(connection, new VivaError('RATE_LIMITED', undefined, { details: { limit_per_s: config.RATE_LIMIT_MESSAGES_PER_S } }));
          return;
        }
        // in arrival order with the other inputs, as an audio_input decoded here would be
        inputs = inputs.then(() => this.handleLargeFrame(connection, frame)).catch((error: unknown) => this.answerError(connection, error));
        return;
      }
      const refuse = (verdict: 'limited' | 'dropped' | 'abusive', isAudio: boolean) => {
        metrics.limitHit('messages_per_connection');
        if (verdict === 'abusive') connection.close(CloseCode.POLICY_VIOLATION, 'message rate limit exceeded for seconds');
        else if (verdict === 'limited') this.answerError(connection, new VivaError('RATE_LIMITED', undefined, { details: { limit_per_s: isAudio ? AUDIO_APPENDS_PER_S : config.RATE_LIMIT_MESSAGES_PER_S } }));
      };
      // a frame that cannot be an audio_append (which has a budget of its own) is counted before it is
      // decoded, so a flood's refused frames cost no parsing; one that may be is decoded to tell
      const mayBeAudio = frame !== null && frame.includes(AUDIO_APPEND_TYPE);
      if (!mayBeAudio) {
        const verdict = limiter.take();
        if (verdict !== 'allowed') return refuse(verdict, false);
      }
      const decoded = frame === null ? null : decodeFrame(frame);
      if (mayBeAudio) {
        const isAudio = decoded?.ok === true && decoded.message.type === 'audio_append';
        const verdict = isAudio ? (audioLimiter ??= new MessageRateLimiter(AUDIO_APPENDS_PER_S, config.RATE_LIMIT_FLOOD_MS)).take() : limiter.take();
        if (verdict !== 'allowed') return refuse(verdict, isAudio);
      }
      if (decoded === null) {
        metrics.messageIn('binary');
        this.answerError(connection, new VivaError('UNSUPPORTED_FRAME'));
        return;
      }
      if (!decoded.ok) {
        metrics.messageIn('invalid');
        this.answerError(connection, decoded.error, decoded.replyTo);
        return;
      }
      const message = decoded.message;
      metrics.messageIn(message.type);
      // pings and cancels are answered at once; everything that touches the session keeps arrival order
      if (isVoiceClientMessageType(message.type)) {
        const voiceMessage = message as VoiceClientMessage;
        void ready
          .then((opened) => opened && this.options.voice.handle(connection, voiceMessage, (error, replyTo) => this.answerError(connection, error, replyTo)))
          .catch((error: unknown) => this.answerError(connection, error, message.id));
        return;
      }
      if (message.type === 'ping' || message.type === 'cancel' || message.type === 'disconnect') {
        void ready
          .then((opened) => opened && this.handleControl(connection, message))
          .catch((error: unknown) => this.answerError(connection, error, message.id));
        return;
      }
      inputs = inputs.then(() => this.handleInput(connection, message)).catch((error: unknown) => {
        this.answerError(connection, error, message.id);
      });
    };
    socket.on('message', (raw: RawData, isBinary: boolean) => {
      // nothing a client sends may throw out of this handler: ws would emit it as an uncaught exception
      try {
        onMessage(raw, isBinary);
      } catch (error: unknown) {
        this.answerError(connection, error);
      }
    });
    socket.on('close', (code) => {
      meter?.stop();
      connection.closed = true;
      this.options.voice.detach(connection);
      const wasLive = registry.get(connection.sessionId) === connection;
      registry.detach(connection);
      if (wasLive) void this.options.cluster.connectionClosed(connection.sessionId, connection.id).catch(() => undefined);
      metrics.connectionsActive.set(registry.size);
      metrics.connectionsClosed.inc({ code: String(code) });
    });
  }

  /**
   * Counts what the connection's unfinished message holds (ws keeps every fragment until the last one):
   * past the process's budget it is closed with 1011, and one begun and not ended in time with 1008.
   */
  private meterInbound(connection: ClientConnection): ReturnType<InboundBudget['meter']> | undefined {
    const raw = rawSocketOf(connection.socket);
    if (raw === undefined) return undefined;
    const { metrics, config } = this.options;
    return this.inbound.meter(raw, config.MESSAGE_RECEIVE_TIMEOUT_MS, (verdict) => {
      if (verdict === 'over_budget') {
        metrics.limitHit('inbound_pending_bytes');
        connection.close(CloseCode.INTERNAL_ERROR, 'the server is receiving too much at once; reconnect and resend');
      } else {
        metrics.limitHit('message_receive_timeout');
        connection.close(CloseCode.POLICY_VIOLATION, 'message not finished in time');
      }
      // ws would go on buffering the rest of the message until the close handshake ends: read no more
      // (the close frame is already on its way; the connection is ended within 2 s either way)
      raw.pause();
    });
  }

  /** Attaches the connection to its session, says `connected`, and replays what the client missed. */
  private async open(connection: ClientConnection, resumeFrom: number | undefined): Promise<boolean> {
    const { coordinator, registry, metrics } = this.options;
    const { session, created } = await coordinator.openSession(connection.sessionId);
    if (created) {
      metrics.sessionsCreated.inc();
      this.options.creations.record(connection.remoteAddress);
    }
    if (connection.socket.readyState !== connection.socket.OPEN) return false;
    const previous = registry.attach(connection);
    previous?.close(CloseCode.REPLACED, 'replaced by a newer connection to the same session');
    await this.options.cluster.connectionOpened(connection.describe(this.options.cluster.nodeId));
    metrics.connectionsOpened.inc();
    metrics.connectionsActive.set(registry.size);
    connection.send(this.connectedMessage(session, !created, created));
    await this.replay(connection, resumeFrom);
    // a voice turn the session's previous node acknowledged but never answered is answered here (§9)
    if (!created) {
      void coordinator.resumePendingInputs(connection.sessionId).catch((error: unknown) => {
        this.options.logger.warn({ err: error, session_id: connection.sessionId }, 'could not resume the held voice turns');
      });
    }
    return true;
  }

  private async replay(connection: ClientConnection, resumeFrom: number | undefined): Promise<void> {
    connection.holdLiveMessages();
    let cursor = resumeFrom ?? 0;
    if (resumeFrom !== undefined) {
      for (;;) {
        const page = await this.options.coordinator.messagesAfter(connection.sessionId, cursor, REPLAY_PAGE);
        for (const message of page) {
          connection.send(message);
          cursor = message.seq;
        }
        if (page.length < REPLAY_PAGE) break;
      }
    }
    connection.releaseLiveMessages(cursor);
  }

  private connectedMessage(session: SessionRecord, resumed: boolean, created: boolean): ServerMessage {
    const { config, tokens } = this.options;
    return serverMessage('connected', session.id, {
      session_id: session.id,
      resumed,
      protocol: PROTOCOL_VERSION,
      heartbeat_interval_ms: config.HEARTBEAT_INTERVAL_MS,
      max_message_bytes: config.MAX_MESSAGE_BYTES,
      last_seq: session.last_seq,
      interview: describeInterview(session.plan, session.progress),
      ...(created ? { session_token: tokens.issue(session.id) } : {}),
      capabilities: this.options.voice.capabilities(),
    });
  }

  private handleControl(connection: ClientConnection, message: ClientMessage): void {
    const reply = (answer: ServerMessage) => connection.deliver(answer);
    switch (message.type) {
      case 'ping':
        reply(
          serverMessage(
            'pong',
            connection.sessionId,
            { server_time: new Date().toISOString(), ...(message.data.client_time !== undefined ? { client_time: message.data.client_time } : {}) },
            { reply_to: message.id },
          ),
        );
        return;
      case 'cancel':
        this.options.coordinator.cancel(connection.sessionId);
        return;
      case 'disconnect':
        connection.close(CloseCode.NORMAL, message.data.reason?.slice(0, 100) ?? 'client disconnected');
        return;
      default:
        return;
    }
  }

  private async handleInput(connection: ClientConnection, message: ClientMessage): Promise<void> {
    if (connection.closed) return;
    const { coordinator, audio: inspector } = this.options;
    const sessionId = connection.sessionId;
    const origin = { reply: (answer: ServerMessage) => void connection.deliver(answer) };
    const reportFailure = (error: unknown) => this.answerError(connection, error, message.id);
    switch (message.type) {
      case 'connect': {
        const { candidate, interview, resume_from: resumeFrom } = message.data;
        const session =
          candidate || interview
            ? await coordinator.configure(sessionId, { candidate, interview })
            : await coordinator.requireSession(sessionId);
        // replay holds live messages itself, starting in the same tick as this send
        connection.send(this.connectedMessage(session, true, false));
        await this.replay(connection, resumeFrom);
        return;
      }
      case 'text_input': {
        const input: TurnInput = { kind: 'text', id: message.id, text: message.data.text };
        coordinator.processInput(sessionId, input, origin).catch(reportFailure);
        return;
      }
      case 'audio_input': {
        const audio = await inspector.decodePayload(message.data, connection.remoteAddress);
        coordinator.processInput(sessionId, audioTurnInput(audio, message.id, message.data.language), origin).catch(reportFailure);
        return;
      }
      case 'end_interview':
        coordinator.endInterview(sessionId, 'ended_by_candidate', message.id, origin).catch(reportFailure);
        return;
      default:
        return;
    }
  }

  /**
   * A frame too large to decode on the event loop (LARGE_FRAME_BYTES): the pool decodes it, charging its
   * size to the address's audio budget first, and inspects an `audio_input`'s audio in the same job. What
   * it holds is then handled as a frame decoded here would be (in this connection's input order).
   */
  private async handleLargeFrame(connection: ClientConnection, frame: Buffer): Promise<void> {
    if (connection.closed) return;
    const { coordinator, audio: inspector, metrics } = this.options;
    // read first: the frame's memory goes to the worker
    const peekedId = peekMessageId(frame);
    const decoded = await inspector.decodeFrame(frame, connection.remoteAddress);
    if (!decoded.ok) {
      metrics.messageIn('invalid');
      // refused before it was read (its size, the address's budget): answered by the id it seems to have
      this.answerError(connection, decoded.error, decoded.replyTo ?? peekedId);
      return;
    }
    const message = decoded.message;
    metrics.messageIn(message.type);
    if (message.type === 'audio_input' && decoded.audio !== undefined) {
      const origin = { reply: (answer: ServerMessage) => void connection.deliver(answer) };
      coordinator
        .processInput(connection.sessionId, audioTurnInput(decoded.audio, message.id, message.data.language), origin)
        .catch((error: unknown) => this.answerError(connection, error, message.id));
      return;
    }
    if (isVoiceClientMessageType(message.type)) {
      this.options.voice.handle(connection, message as VoiceClientMessage, (error, replyTo) => this.answerError(connection, error, replyTo));
      return;
    }
    if (message.type === 'ping' || message.type === 'cancel' || message.type === 'disconnect') {
      this.handleControl(connection, message);
      return;
    }
    await this.handleInput(connection, message);
  }

  private answerError(connection: ClientConnection, error: unknown, replyTo?: string): void {
    const reported = reportError(this.options, error, { edge: 'websocket', session_id: connection.sessionId, reply_to: replyTo });
    connection.deliver(errorMessage(connection.sessionId, reported, replyTo));
  }

  /**
   * The heartbeat of ws's README: ping every interval; a connection heard from in neither of the last
   * two intervals is closed with 4008 (half-open TCP connections never answer). The same sweep closes
   * connections that never sent a message, instead of a timer per connection: an idle connection then
   * holds no timer (about 200 bytes less each), and is closed within a quarter heartbeat interval after
   * IDLE_CONNECT_TIMEOUT_MS.
   */
  private sweepHeartbeats(): void {
    const { HEARTBEAT_INTERVAL_MS: interval, IDLE_CONNECT_TIMEOUT_MS: idleLimit } = this.options.config;
    const now = Date.now();
    for (const connection of this.options.registry.connections()) {
      if (now - connection.lastHeardAt > interval * 2) {
        connection.close(CloseCode.HEARTBEAT_TIMEOUT, 'heartbeat timeout');
        continue;
      }
      if (!connection.spoke && now - connection.connectedAtMs >= idleLimit) {
        this.options.metrics.limitHit('idle_connection');
        connection.close(CloseCode.POLICY_VIOLATION, 'no message received; closing the idle connection');
        continue;
      }
      if (now - connection.lastPingAt >= interval) {
        connection.lastPingAt = now;
        try {
          connection.socket.ping();
        } catch {
          // the socket is closing; its close handler cleans up
        }
      }
    }
  }
}

/** ws's own reference to the net.Socket under a WebSocket (as in ClientConnection). */
function rawSocketOf(socket: WebSocket): Socket | undefined {
  return (socket as unknown as { _socket?: Socket })._socket;
}

function frameBytes(raw: RawData): Buffer {
  return Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
}

function decodeFrame(buffer: Buffer): ReturnType<typeof decodeClientMessage> {
  let text: string;
  try {
    // ws is told to skip its own UTF-8 check (which would close with 1007, a code outside the contract)
    text = utf8.decode(buffer);
  } catch {
    return { ok: false, error: new VivaError('INVALID_JSON', 'The frame is not valid UTF-8 text. Send JSON encoded as UTF-8.'), replyTo: undefined };
  }
  return decodeClientMessage(text);
}

function parseResumeFrom(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}
