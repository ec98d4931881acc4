import { CloseCode, reconnectableCloseCodes } from '@viva/protocol/close-codes.js';
import { serverMessageSchema, type ConnectedData, type ServerMessage, type ServerMessageType } from '@viva/protocol/server-messages.js';
import type { Capabilities } from '@viva/protocol/voice-messages.js';
import { toAudioPayload, type AudioSource } from './audio-input.js';
import { backoffDelay, resolveReconnectOptions, type ReconnectOptions } from './backoff.js';
import { CLOSED, publicState, wireOf, type Link, type SessionProgress, type SettingsState, type Wire } from './client-states.js';
import { HeartbeatWatchdog } from './heartbeat-watchdog.js';
import { InputIds } from './input-ids.js';
import { PendingInputs, type AnswerType } from './pending-inputs.js';
import { PendingPings } from './pending-pings.js';
import { httpUrl, parseServerUrl, socketUrl, type ServerLocation } from './server-url.js';
import { checkSettings } from './settings-check.js';
import { TypedEvents } from './typed-events.js';
import { upgradeRefusalError, VivaClientError } from './viva-client-error.js';
import type {
  AiResponseMessage,
  ConnectionState,
  InterviewEndedMessage,
  SendAudioOptions,
  SendTextOptions,
  ServerMessageOf,
  VivaClientEvents,
  VivaClientOptions,
} from './viva-client-types.js';
import {
  SOCKET_OPEN,
  resolveWebSocket,
  type CloseEventLike,
  type ErrorEventLike,
  type MessageEventLike,
  type WebSocketConstructor,
  type WebSocketLike,
} from './websocket-like.js';

const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/;
const MAX_ID_CHARACTERS = 64;
const utf8 = new TextEncoder();
const noop = (): void => undefined;

/**
 * A client of the Viva wire protocol (docs/protocol.md) for browsers and Node: typed events for every server
 * message, promises for inputs, and a connection that survives a flaky network. A dropped connection is
 * reopened to the same session with `resume_from`, unanswered inputs are re-sent with their ids (the
 * server answers a completed id with its stored reply), and durable messages are deduplicated by seq:
 * no turn is lost, none is answered or shown twice.
 */
export class VivaClient {
  private readonly options: VivaClientOptions;
  private readonly location: ServerLocation;
  private readonly WebSocketImpl: WebSocketConstructor;
  private readonly reconnect: Required<ReconnectOptions>;
  private readonly requestTimeoutMs: number;
  private readonly heartbeatIntervalMs: number | undefined;
  private readonly connectTimeoutMs: number;
  private readonly random: () => number;
  private readonly events = new TypedEvents<VivaClientEvents>();
  private readonly pending = new PendingInputs();
  private readonly pings = new PendingPings();
  private readonly ids: InputIds;

  // Connection state and session state are kept apart: the link (one explicit phase, see client-states.ts)
  // comes and goes with sockets; the session's progress and the settings outlive them.
  private link: Link = CLOSED;
  private readonly session: SessionProgress;
  private settings: SettingsState;
  /** Sockets opened so far: the next one's generation. */
  private socketsOpened = 0;
  /** What the server said it can do (speech in and out), from the latest `connected`. */
  private serverCapabilities: Capabilities | undefined;
  private connecting:
    | { promise: Promise<ConnectedData>; resolve(data: ConnectedData): void; reject(error: VivaClientError): void; settled: boolean }
    | undefined;

  constructor(options: VivaClientOptions) {
    // a copy: settings are sent later (on the first connection), after the caller may have changed them
    this.options = { ...options };
    this.location = parseServerUrl(options.url);
    this.WebSocketImpl = resolveWebSocket(options.WebSocket);
    this.reconnect = resolveReconnectOptions(options.reconnect);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 120_000;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
    this.random = options.random ?? Math.random;
    this.ids = new InputIds(this.random);

    const sessionId = options.sessionId ?? this.location.sessionId;
    if (sessionId !== undefined && !SESSION_ID.test(sessionId)) {
      throw new TypeError('sessionId must match ^[A-Za-z0-9_-]{1,128}$');
    }
    const lastSeq = options.lastSeq ?? this.location.resumeFrom;
    if (lastSeq !== undefined && !(Number.isInteger(lastSeq) && lastSeq >= 0)) {
      throw new TypeError('lastSeq must be an integer of at least 0');
    }
    this.session = {
      id: sessionId,
      issuedToken: undefined,
      lastSeq: lastSeq ?? 0,
      seqKnown: lastSeq !== undefined,
      lastEnded: undefined,
      maxMessageBytes: Number.POSITIVE_INFINITY,
    };
    // settings the server would refuse are refused here, where the caller can see which field is wrong
    checkSettings(options.candidate, options.interview);
    this.settings = { kind: options.candidate === undefined && options.interview === undefined ? 'done' : 'unsent' };
  }

  /** The session: the one given, or the one the server named in `connected`. */
  get sessionId(): string | undefined {
    return this.session.id;
  }

  /** The highest durable seq seen (or given as `lastSeq`): save it to resume after a page reload. */
  get lastSeq(): number {
    return this.session.lastSeq;
  }

  get state(): ConnectionState {
    return publicState(this.link);
  }

  /** The session token: the one given, or the one the server issued when this client created the session. */
  get sessionToken(): string | undefined {
    return this.options.token ?? this.session.issuedToken;
  }

  /**
   * Opens the connection; resolves with the first `connected` (when `candidate` or `interview` were given,
   * with the `connected` that answers them, so `interview` reflects the settings). A connection that
   * cannot be made is retried like a dropped one; the promise rejects when the client gives up or is
   * closed. Calling it again returns the same promise.
   */
  connect(): Promise<ConnectedData> {
    if (this.connecting !== undefined) return this.connecting.promise;
    let resolve!: (data: ConnectedData) => void;
    let reject!: (error: VivaClientError) => void;
    const promise = new Promise<ConnectedData>((onResolve, onReject) => {
      resolve = onResolve;
      reject = onReject;
    });
    // the caller may start the client without awaiting; a failure is also told by the `closed` event
    this.connecting = { promise: markHandled(promise), resolve, reject, settled: false };
    this.setLink({ phase: 'scheduled', attempt: 0, timer: undefined });
    this.openSocket(0);
    return promise;
  }

  /** Subscribes to an event (a server message type, or a client event); returns the unsubscribe function. */
  on<K extends keyof VivaClientEvents>(type: K, handler: VivaClientEvents[K]): () => void {
    return this.events.on(type, handler);
  }

  /** Like `on`, for the next event only. */
  once<K extends keyof VivaClientEvents>(type: K, handler: VivaClientEvents[K]): () => void {
    const off = this.events.on(type, ((...args: Parameters<VivaClientEvents[K]>) => {
      off();
      (handler as (...values: Parameters<VivaClientEvents[K]>) => void)(...args);
    }) as VivaClientEvents[K]);
    return off;
  }

  /** Answers with text; resolves with the `ai_response` to it, rejects with a VivaClientError. */
  sendText(text: string, options: SendTextOptions = {}): Promise<AiResponseMessage> {
    const data = { text, ...(options.context === undefined ? {} : { context: options.context }) };
    return this.request('text_input', data, options.id, 'ai_response');
  }

  /**
   * Answers with recorded speech: a Blob (MediaRecorder), bytes, base64 or a data URL. Resolves with the
   * `ai_response`; the `transcription` event shows what was understood.
   */
  sendAudio(audio: AudioSource, options: SendAudioOptions = {}): Promise<AiResponseMessage> {
    const sent = toAudioPayload(audio).then((payload) => {
      const format = options.format ?? payload.format_hint;
      const data = {
        audio_data: payload.audio_data,
        ...(format === undefined ? {} : { audio_format: format }),
        ...(options.language === undefined ? {} : { language: options.language }),
        ...(options.context === undefined ? {} : { context: options.context }),
      };
      return this.request('audio_input', data, options.id, 'ai_response');
    });
    return markHandled(sent);
  }

  /**
   * Ends the interview; resolves with `interview_ended` (its `report_url` has the evaluation). When the
   * interview had already ended by the time the server got this, resolves with that end instead.
   */
  endInterview(reason?: string): Promise<InterviewEndedMessage> {
    return this.request('end_interview', reason === undefined ? {} : { reason }, undefined, 'interview_ended');
  }

  /** Stops the reply being generated; its `ai_response` arrives with the text so far and `cancelled: true`. */
  cancel(): void {
    if (this.link.phase === 'open') this.sendFrame(JSON.stringify({ type: 'cancel', data: {} }));
  }

  /** An application-level round trip; resolves with the time it took, milliseconds. */
  ping(): Promise<number> {
    if (this.link.phase !== 'open') {
      return markHandled(Promise.reject(new VivaClientError('NOT_CONNECTED', 'Not connected.', { retryable: true })));
    }
    const id = this.ids.next();
    const roundTrip = this.pings.add(id, Math.min(this.requestTimeoutMs, 30_000));
    this.sendFrame(JSON.stringify({ type: 'ping', id, data: { client_time: Date.now() } }));
    return markHandled(roundTrip);
  }

  /**
   * Closes cleanly: says `disconnect` (the server closes with 1000, the session stays), stops
   * reconnecting, and rejects what is still waiting with CONNECTION_CLOSED. `connect()` may be called
   * again later to resume the same session.
   */
  close(): void {
    if (this.link.phase === 'closed') return;
    if (wireOf(this.link)?.socket.readyState === SOCKET_OPEN) {
      this.sendFrame(JSON.stringify({ type: 'disconnect', data: { reason: 'client closed' } }));
    }
    this.release('close');
    this.finish(CloseCode.NORMAL, 'closed by the client', undefined);
  }

  /** What the server said it can do in its latest `connected` (speech in and out, voices). */
  get capabilities(): Capabilities | undefined {
    return this.serverCapabilities;
  }

  /**
   * Sends a live message (voice, docs/protocol.md §9) now, if connected; returns whether it went out. Live
   * messages are never queued or re-sent: audio that missed its connection is gone, as the contract says.
   */
  sendLive(type: string, data: Record<string, unknown> = {}, id?: string): boolean {
    if (this.state !== 'open') return false;
    this.sendFrame(JSON.stringify({ type, ...(id === undefined ? {} : { id }), data }));
    return true;
  }

  /** An absolute http(s) URL for a path the server sent, such as `interview_ended`'s `report_url`. */
  httpUrl(path: string): string {
    return httpUrl(this.location, path);
  }

  // ---- connection lifecycle ----

  /** Dials attempt `attempt` (0: the first connection); the link is `scheduled`. */
  private openSocket(attempt: number): void {
    const generation = ++this.socketsOpened;
    const url = socketUrl(this.location, this.session.id, {
      token: this.options.token,
      resume_from: this.session.seqKnown ? this.session.lastSeq : undefined,
    });
    let socket: WebSocketLike;
    try {
      socket = new this.WebSocketImpl(url);
    } catch (error) {
      // a URL the WebSocket constructor rejects will not get better by retrying
      const message = error instanceof Error ? error.message : String(error);
      this.release('none');
      this.finish(1006, message, new VivaClientError('CONNECTION_CLOSED', `Cannot open ${url}: ${message}`));
      return;
    }
    const wire: Wire = { socket, generation, refusedStatus: undefined };
    const current = (): boolean => wireOf(this.link) === wire;
    socket.onmessage = (event: MessageEventLike) => {
      if (current()) this.onFrame(event.data);
    };
    socket.onerror = (event: ErrorEventLike) => {
      if (current()) this.noteSocketError(wire, event);
    };
    socket.onclose = (event: CloseEventLike) => {
      if (current()) this.onSocketClose(wire, event.code, event.reason);
    };
    // an upgrade that hangs (a stuck proxy, a server that never answers) counts as a failed attempt
    const connectTimer = setTimeout(() => {
      if (this.link.phase !== 'dialing' || this.link.wire !== wire) return;
      this.release('terminate');
      this.scheduleReconnect(attempt, 1006, 'no connected message in time');
    }, this.connectTimeoutMs);
    this.setLink({ phase: 'dialing', attempt, wire, connectTimer });
  }

  private onSocketClose(wire: Wire, code: number, reason: string): void {
    const refused = wire.refusedStatus === undefined ? undefined : upgradeRefusalError(wire.refusedStatus);
    const attempt = this.attemptsSoFar();
    this.release('none');
    if (code === CloseCode.REPLACED) {
      this.events.emit('replaced', { code, reason });
      this.finish(code, reason, new VivaClientError('REPLACED', 'Another connection to this session took over.', { closeCode: code }));
      return;
    }
    if (refused !== undefined) {
      this.finish(code, reason, refused);
      return;
    }
    if (reconnectableCloseCodes.has(code)) {
      this.scheduleReconnect(attempt, code, reason);
      return;
    }
    const detail = reason === '' ? String(code) : `${code}: ${reason}`;
    this.finish(code, reason, new VivaClientError('CONNECTION_CLOSED', `The server closed the connection (${detail}).`, { closeCode: code }));
  }

  /** `ws` tells why an upgrade failed ("Unexpected server response: 401"); browsers tell nothing. */
  private noteSocketError(wire: Wire, event: ErrorEventLike): void {
    const match = typeof event.message === 'string' ? /Unexpected server response: (\d{3})/.exec(event.message) : null;
    if (match?.[1] !== undefined) wire.refusedStatus = Number(match[1]);
  }

  /** Reconnect attempts made since the last `connected`. */
  private attemptsSoFar(): number {
    return this.link.phase === 'scheduled' || this.link.phase === 'dialing' ? this.link.attempt : 0;
  }

  /** After `attempt` failed attempts (the current link released), waits and dials again, or gives up. */
  private scheduleReconnect(attempt: number, code: number, reason: string): void {
    if (attempt >= this.reconnect.maxAttempts) {
      const error = new VivaClientError('RECONNECT_FAILED', `Gave up after ${attempt} reconnect attempts (last close: ${code}).`, {
        closeCode: code,
        retryable: true,
      });
      this.finish(code, reason, error);
      return;
    }
    const delayMs = backoffDelay(attempt, this.reconnect, this.random);
    const next = attempt + 1;
    const timer = setTimeout(() => {
      if (this.link.phase === 'scheduled' && this.link.timer === timer) this.openSocket(next);
    }, delayMs);
    this.setLink({ phase: 'scheduled', attempt: next, timer });
    this.events.emit('disconnected', { code, reason, attempt: next, delayMs });
  }

  /**
   * Lets go of what the current link holds (its timers, its watchdog, its socket); the caller then moves
   * the link to its next phase. The socket's handlers become no-ops (not null: `ws` throws an 'error'
   * event that has no listener), pings waiting on it fail. Inputs stay pending, to be re-sent on the next socket.
   */
  private release(how: 'none' | 'close' | 'terminate'): void {
    const link = this.link;
    if (link.phase === 'scheduled' && link.timer !== undefined) clearTimeout(link.timer);
    if (link.phase === 'dialing') clearTimeout(link.connectTimer);
    if (link.phase === 'open') link.watchdog.stop();
    this.pings.failAll(new VivaClientError('DISCONNECTED', 'The connection dropped.', { retryable: true }));
    const socket = wireOf(link)?.socket;
    if (socket === undefined) return;
    socket.onopen = noop;
    socket.onmessage = noop;
    socket.onerror = noop;
    socket.onclose = noop;
    try {
      const terminate = (socket as { terminate?: () => void }).terminate;
      if (how === 'terminate' && typeof terminate === 'function') terminate.call(socket);
      else if (how !== 'none') socket.close(CloseCode.NORMAL, how === 'close' ? 'client closed' : 'connection is dead');
    } catch {
      // already closing
    }
  }

  /** The client stops for good (until `connect()` is called again); the link was released. */
  private finish(code: number, reason: string, error: VivaClientError | undefined): void {
    const failure = error ?? new VivaClientError('CONNECTION_CLOSED', 'The client was closed.', { closeCode: code });
    this.pending.failAll(failure);
    this.pings.failAll(failure);
    const connecting = this.connecting;
    this.connecting = undefined;
    if (connecting !== undefined && !connecting.settled) connecting.reject(failure);
    if (this.settings.kind === 'awaiting') this.settings = { kind: 'unsent' };
    this.setLink(CLOSED);
    this.events.emit('closed', { code, reason, error });
  }

  /** Moves the link to its next phase, telling `state` listeners when the state they see changes. */
  private setLink(next: Link): void {
    const previous = publicState(this.link);
    this.link = next;
    const current = publicState(next);
    if (current !== previous) this.events.emit('state', current, previous);
  }

  // ---- incoming ----

  private onFrame(data: unknown): void {
    // any traffic proves the connection alive, even a message this client cannot read
    if (this.link.phase === 'open') this.link.watchdog.heard();
    if (typeof data !== 'string') {
      this.reportInvalid(data, 'The server sent a binary frame.', undefined);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      this.reportInvalid(data, 'The server sent a frame that is not JSON.', undefined);
      return;
    }
    const parsed = serverMessageSchema.safeParse(value);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
      this.reportInvalid(value, 'The server sent a message that does not match the protocol.', { issues });
      return;
    }
    // the schema is generated from the same table as the ServerMessage type
    this.onMessage(parsed.data as unknown as ServerMessage);
  }

  private reportInvalid(data: unknown, text: string, details: Record<string, unknown> | undefined): void {
    const replyTo = readReplyTo(data);
    const error = new VivaClientError('INVALID_SERVER_MESSAGE', text, {
      ...(details === undefined ? {} : { details }),
      ...(replyTo === undefined ? {} : { replyTo }),
    });
    this.events.emit('invalid_message', { data, error });
    // an unreadable error to one of our inputs still ends it, rather than leaving it to time out
    if (replyTo !== undefined && isRecord(data) && data.type === 'error') this.pending.fail(replyTo, error);
  }

  private onMessage(message: ServerMessage): void {
    if (message.type === 'interview_ended') this.session.lastEnded = message;
    if (message.seq !== undefined) {
      if (message.seq <= this.session.lastSeq) {
        // seen before (a replay overlapping the stored answer to a re-sent input): never shown twice, but
        // it may still answer an input, e.g. one a restored client re-sent with an id it had persisted
        this.settle(message);
        return;
      }
      this.session.lastSeq = message.seq;
    }
    if (message.type === 'connected') this.onConnected(message);
    // one cast where the union meets the per-type handler table
    (this.events.emit as (type: ServerMessageType, message: ServerMessage) => void).call(this.events, message.type, message);
    this.events.emit('message', message);
    this.settle(message);
  }

  private onConnected(message: ServerMessageOf<'connected'>): void {
    const data = message.data;
    const session = this.session;
    if (data.session_token !== undefined) session.issuedToken = data.session_token;
    const link = this.link;
    if (link.phase !== 'dialing') {
      // a second `connected` on an open socket is the answer to our `connect` message: the settings are in
      if (this.settings.kind === 'awaiting') {
        this.settings = { kind: 'done' };
        this.resolveConnect({ ...data, ...(session.issuedToken === undefined ? {} : { session_token: session.issuedToken }) });
      }
      return;
    }
    clearTimeout(link.connectTimer);
    session.id = data.session_id;
    if (!session.seqKnown || data.last_seq < session.lastSeq) {
      // a fresh start begins at the session's present; a session whose numbering is behind ours was
      // erased and made anew, and without this every message of it would be dropped as already seen
      session.lastSeq = data.last_seq;
      session.seqKnown = true;
    }
    session.maxMessageBytes = data.max_message_bytes;
    this.serverCapabilities = data.capabilities;
    this.setLink({ phase: 'open', wire: link.wire, watchdog: this.startWatchdog(link.wire, Math.min(data.heartbeat_interval_ms, this.heartbeatIntervalMs ?? Number.POSITIVE_INFINITY)) });
    if (this.settings.kind === 'unsent') this.sendSettings();
    this.flushPending();
    if (this.settings.kind !== 'awaiting') this.resolveConnect(data);
  }

  private settle(message: ServerMessage): void {
    switch (message.type) {
      case 'ai_response':
      case 'interview_ended':
        this.pending.complete(message);
        return;
      case 'pong':
        if (message.reply_to !== undefined) this.pings.answer(message.reply_to);
        return;
      case 'error':
        if (message.reply_to !== undefined) this.failRequest(message.reply_to, message);
        return;
      default:
        return;
    }
  }

  private failRequest(id: string, message: ServerMessageOf<'error'>): void {
    const error = VivaClientError.fromServer(message);
    if (this.settings.kind === 'awaiting' && id === this.settings.id) {
      // the server refused the settings; the connection itself is fine
      this.settings = { kind: 'done' };
      if (this.connecting !== undefined && !this.connecting.settled) {
        this.connecting.settled = true;
        this.connecting.reject(error);
      }
      return;
    }
    const entry = this.pending.get(id);
    if (entry?.answeredBy === 'interview_ended' && message.data.code === 'INTERVIEW_COMPLETED' && this.session.lastEnded !== undefined) {
      // asked to end what already ended (by the last answer, or an admin): that end is the answer
      this.pending.resolve(id, this.session.lastEnded);
      return;
    }
    if (!this.pending.fail(id, error)) this.pings.fail(id, error);
  }

  private resolveConnect(data: ConnectedData): void {
    const connecting = this.connecting;
    if (connecting === undefined || connecting.settled) return;
    connecting.settled = true;
    connecting.resolve(data);
  }

  private startWatchdog(wire: Wire, intervalMs: number): HeartbeatWatchdog {
    const watchdog = new HeartbeatWatchdog(intervalMs, {
      sendPing: () => this.sendFrame(JSON.stringify({ type: 'ping', data: { client_time: Date.now() } })),
      dead: () => {
        if (wireOf(this.link) !== wire) return;
        this.release('terminate');
        this.scheduleReconnect(0, CloseCode.HEARTBEAT_TIMEOUT, 'no traffic from the server for two heartbeat intervals');
      },
    });
    watchdog.start();
    return watchdog;
  }

  // ---- outgoing ----

  private request<K extends AnswerType>(
    type: 'text_input' | 'audio_input' | 'end_interview',
    data: Record<string, unknown>,
    explicitId: string | undefined,
    answeredBy: K,
  ): Promise<ServerMessageOf<K>> {
    if (this.link.phase === 'closed') {
      return markHandled(Promise.reject(new VivaClientError('NOT_CONNECTED', 'Call connect() first (the client is not running).')));
    }
    if (explicitId !== undefined && (explicitId.length === 0 || explicitId.length > MAX_ID_CHARACTERS)) {
      // the server could not name such an id in its error, and the promise would wait for nothing
      const error = new VivaClientError('INVALID_MESSAGE', `id must be 1 to ${MAX_ID_CHARACTERS} characters.`, { details: { field: 'id' } });
      return markHandled(Promise.reject(error));
    }
    const id = explicitId ?? this.ids.next();
    const existing = this.pending.get(id);
    if (existing !== undefined) return existing.promise as Promise<ServerMessageOf<K>>;
    const frame = JSON.stringify({ type, id, data });
    const maxMessageBytes = this.session.maxMessageBytes;
    if (frameBytes(frame, maxMessageBytes) > maxMessageBytes) {
      // sent, it would close the connection with 1009, and every reconnect would send it again
      const error = new VivaClientError('PAYLOAD_TOO_LARGE', `The message is larger than the server accepts (${maxMessageBytes} bytes).`, {
        details: { max_message_bytes: maxMessageBytes },
        replyTo: id,
      });
      return markHandled(Promise.reject(error));
    }
    const entry = this.pending.add(id, frame, answeredBy, this.requestTimeoutMs);
    if (this.link.phase === 'open') {
      entry.sentOn = this.link.wire.generation;
      this.sendFrame(frame);
    }
    return entry.promise as Promise<ServerMessageOf<K>>;
  }

  private sendSettings(): void {
    const id = this.ids.next();
    this.settings = { kind: 'awaiting', id };
    const data = {
      ...(this.options.candidate === undefined ? {} : { candidate: this.options.candidate }),
      ...(this.options.interview === undefined ? {} : { interview: this.options.interview }),
    };
    this.sendFrame(JSON.stringify({ type: 'connect', id, data }));
  }

  /** Sends every unanswered input not yet sent on this socket, in the order they were made. */
  private flushPending(): void {
    if (this.link.phase !== 'open') return;
    const generation = this.link.wire.generation;
    for (const entry of this.pending.values()) {
      if (entry.sentOn === generation) continue;
      entry.sentOn = generation;
      this.sendFrame(entry.frame);
    }
  }

  private sendFrame(frame: string): void {
    try {
      wireOf(this.link)?.socket.send(frame);
    } catch {
      // the socket is closing: its close event follows, and unanswered inputs go out again after it
    }
  }
}

/** Bytes of `frame` as UTF-8, measured only when it could be near `limit` (a string has at most 3 bytes per unit). */
function frameBytes(frame: string, limit: number): number {
  return frame.length * 3 <= limit ? frame.length : utf8.encode(frame).length;
}

/**
 * Marks a promise the client returns as handled, so that one made now and awaited later (or only watched
 * through events) is not reported as an unhandled rejection; whoever awaits it still gets the error.
 */
function markHandled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(noop);
  return promise;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function readReplyTo(value: unknown): string | undefined {
  return isRecord(value) && typeof value.reply_to === 'string' ? value.reply_to : undefined;
}
