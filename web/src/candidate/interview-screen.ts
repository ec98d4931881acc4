import { VivaClient, caughtUp, isVivaClientError, type ClosedEvent, type ConnectionState, type InterviewEndedMessage } from '@viva/client/index.js';
import { h } from '../shared/dom.js';
import { ApiError } from '../shared/http-json.js';
import { t, type MessageKey } from '../shared/i18n.js';
import { ChatLog } from './chat-log.js';
import { Composer } from './composer.js';
import { Conversation } from './conversation.js';
import { confirmEnd } from './end-dialog.js';
import { fetchInterview } from './interview-api.js';
import { ProgressIndicator } from './progress-indicator.js';
import { savePendingAnswer, type SavedInterview } from './saved-interview.js';
import type { Recording } from './voice-recorder.js';
import { VoiceMode } from './voice/voice-mode.js';

export interface InterviewScreenEvents {
  connection: (state: ConnectionState) => void;
  /** The interview ended (now or before this page loaded); the report can be fetched. */
  ended: (reportUrl: string) => void;
  /** The session cannot be continued here (gone, or taken over by another tab). */
  fatal: (key: MessageKey) => void;
}

/** Reconnect quickly at first, then every few seconds, for as long as the page is open. */
const RECONNECT = { initialDelayMs: 300, maxDelayMs: 5_000, maxAttempts: Number.POSITIVE_INFINITY };

/**
 * One interview in progress: the conversation, the answer box and the progress, bound to a VivaClient
 * that resumes from seq 0 on every page load, so the whole chat is rebuilt (see conversation.ts).
 */
export class InterviewScreen {
  readonly element: HTMLElement;
  private readonly chat: ChatLog;
  private readonly composer: Composer;
  private readonly progress = new ProgressIndicator();
  private readonly alert: HTMLDivElement;
  private readonly endButton: HTMLButtonElement;
  private readonly footer: HTMLDivElement;
  private readonly conversation: Conversation;
  private readonly voice: VoiceMode;
  private client: VivaClient | undefined;
  private inputsInFlight = 0;
  private ended = false;

  constructor(
    private readonly saved: SavedInterview,
    private readonly url: string,
    private readonly events: InterviewScreenEvents,
  ) {
    this.chat = new ChatLog(saved.language === 'zh' ? 'zh-CN' : 'en-US');
    this.conversation = new Conversation(this.chat, saved);
    this.composer = new Composer({
      sendText: (text) => this.sendText(text),
      sendRecording: (recording) => this.sendRecording(recording),
    });
    this.voice = new VoiceMode({
      offerPushToTalk: (offered) => this.composer.offerPushToTalk(offered),
      warn: (key) => this.composer.showStatus(key, 'warning'),
    });
    this.alert = h('div', { class: 'alert alert-error interview-alert', attrs: { role: 'alert', hidden: true } });
    this.endButton = h('button', { class: 'button button-secondary button-end', attrs: { type: 'button' }, i18n: 'interview.end' });
    this.endButton.addEventListener('click', () => void this.endInterview());
    const scroller = h(
      'div',
      { class: 'chat-scroll', attrs: { tabindex: 0, role: 'region', 'aria-labelledby': 'chat-heading' } },
      h('h2', { class: 'visually-hidden', i18n: 'interview.chatLabel', attrs: { id: 'chat-heading' } }),
      this.chat.element,
    );
    this.chat.attachScroller(scroller);
    this.footer = h('div', { class: 'interview-footer' }, this.alert, this.voice.element, this.composer.element);
    this.element = h(
      'section',
      { class: 'interview', attrs: { 'aria-label': t('interview.chatLabel') } },
      h('div', { class: 'interview-bar' }, this.progress.element, this.endButton),
      scroller,
      this.chat.announcer,
      this.footer,
    );
  }

  /** Loads the transcript, connects, and replays the conversation so far. */
  async start(): Promise<void> {
    this.chat.showIndicator('interview.loading');
    this.composer.setBusy(true);
    if (!(await this.loadTranscript())) return;
    const client = new VivaClient({
      url: this.url,
      sessionId: this.saved.sessionId,
      ...(this.saved.token === undefined ? {} : { token: this.saved.token }),
      lastSeq: 0,
      reconnect: RECONNECT,
      // a reply that arrives after a long network outage is still the reply: do not give up on it early
      requestTimeoutMs: 10 * 60_000,
      // the server's heartbeat (25 s) would show a dead network only after about a minute; an
      // application-level ping every 2 s shows it within about 5 s
      heartbeatIntervalMs: 2_500,
    });
    this.client = client;
    this.subscribe(client);
    this.voice.attach(client);
    try {
      const connected = await client.connect();
      this.progress.update(connected.interview);
      this.chat.hideIndicator();
      await caughtUp(client, connected.last_seq);
      this.resumePendingAnswer();
      this.composer.setBusy(this.inputsInFlight > 0);
      if (!this.ended) this.composer.focus();
    } catch (error) {
      this.chat.hideIndicator();
      this.showError(error);
    }
  }

  close(): void {
    this.voice.close();
    this.progress.stopClock();
    this.client?.close();
    this.client = undefined;
  }

  private async loadTranscript(): Promise<boolean> {
    try {
      const record = await fetchInterview(this.saved.sessionId, this.saved.token);
      this.conversation.rememberTranscript(record.transcript);
      this.progress.update(record.interview);
      this.progress.setClock(record.started_at, record.settings.max_minutes);
      return true;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 401)) {
        this.events.fatal('error.sessionGone');
        return false;
      }
      // the transcript only supplies typed answers of earlier turns; the interview can go on without it
      return true;
    }
  }

  private subscribe(client: VivaClient): void {
    client.on('state', (state) => {
      this.events.connection(state);
      this.conversation.connection(state === 'open');
    });
    client.on('status', (message) => {
      if (!this.ended) this.conversation.status(message.data.state);
    });
    client.on('transcription', (message) => this.conversation.transcription(message));
    client.on('ai_response_delta', (message) => this.chat.appendDelta(message.data.turn, message.data.delta, message.timestamp));
    client.on('ai_response', (message) => {
      this.conversation.reply(message);
      this.progress.update(message.data.interview);
    });
    client.on('notice', (message) => this.conversation.notice(message));
    client.on('interview_ended', (message) => this.onEnded(message));
    client.on('error', (message) => {
      // errors that answer a request of ours reach the request's promise; the rest are shown here
      if (message.reply_to === undefined) this.showErrorCode(message.data.code, message.data.message);
    });
    client.on('replaced', () => this.events.fatal('error.replaced'));
    client.on('closed', (event) => this.onClosed(event));
  }

  /**
   * The client stopped for good: never for a network drop (it retries forever), but for a close that
   * retrying cannot fix, such as a refused origin or an erased session. Offer to try again.
   */
  private onClosed(event: ClosedEvent): void {
    const error = event.error;
    if (error === undefined || error.code === 'REPLACED' || this.client === undefined) return;
    if (error.code === 'UNAUTHORIZED' || error.code === 'SESSION_NOT_FOUND') return this.events.fatal('error.sessionGone');
    const client = this.client;
    const retry = h('button', { class: 'button button-secondary', attrs: { type: 'button' }, i18n: 'report.retry' });
    retry.addEventListener('click', () => {
      this.hideAlert();
      void client.connect().catch(() => undefined);
    });
    this.showAlert(error.message, retry);
  }

  private onEnded(message: InterviewEndedMessage): void {
    if (this.ended) return;
    this.ended = true;
    const isNews = this.conversation.ended(message);
    this.composer.end();
    this.voice.end();
    this.endButton.hidden = true;
    this.progress.update({ state: 'completed' });
    const viewReport = h('button', { class: 'button', attrs: { type: 'button' }, i18n: 'chat.viewReport' });
    viewReport.addEventListener('click', () => this.events.ended(message.data.report_url));
    // the chat's last line already says the interview has ended: the footer only offers the report
    this.footer.replaceChildren(h('div', { class: 'ended-panel' }, viewReport));
    if (isNews) viewReport.focus();
  }

  private sendText(text: string, id = `answer-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`): void {
    const client = this.client;
    if (client === undefined) return;
    this.hideAlert();
    const undo = this.conversation.typedAnswer(text);
    // kept until answered: a reload in the middle of the turn shows it again and re-sends it under the
    // same id, which the server answers once (a repeated id gets the stored reply)
    savePendingAnswer(this.saved.sessionId, { id, text });
    const request = client.sendText(text, { id });
    this.track(request, () => {
      undo();
      this.composer.restoreText(text);
    });
    void request.then(
      () => savePendingAnswer(this.saved.sessionId, undefined),
      () => savePendingAnswer(this.saved.sessionId, undefined),
    );
  }

  /**
   * After a reload: an answer that was on its way, and whose reply the replay did not bring, is shown
   * again (a typed one with the "thinking" line, a spoken one as "transcribing…" until its words arrive,
   * or with its replayed words) and re-sent under its id; one that was answered is forgotten.
   */
  private resumePendingAnswer(): void {
    const pending = this.saved.pending;
    this.saved.pending = undefined;
    if (pending === undefined || this.ended) return;
    if (this.conversation.answeredInputs.has(pending.id)) {
      savePendingAnswer(this.saved.sessionId, undefined);
      return;
    }
    if ('text' in pending) {
      this.sendText(pending.text, pending.id);
      this.conversation.status('thinking');
      return;
    }
    const transcribed = this.conversation.transcribedInputs.has(pending.id);
    void this.sendAudio(pending.audio, pending.format, pending.id, transcribed);
    if (transcribed) this.conversation.status('thinking');
  }

  private sendRecording(recording: Recording): void {
    const id = `voice-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    // kept until answered, like a typed answer: a reload while it is transcribed shows it and re-sends it
    // (a recording too large for localStorage is simply not kept)
    let settled = false;
    void dataUrlOf(recording.blob).then(
      (audio) => {
        if (!settled) savePendingAnswer(this.saved.sessionId, { id, audio, format: recording.format });
      },
      () => undefined,
    );
    const request = this.sendAudio(recording.blob, recording.format, id, false);
    const settle = () => (settled = true);
    void request?.then(settle, settle);
  }

  /** Sends a spoken answer under `id`, shown as "transcribing…" unless its words are already on screen. */
  private sendAudio(audio: Blob | string, format: string, id: string, transcribed: boolean): Promise<unknown> | undefined {
    const client = this.client;
    if (client === undefined) return undefined;
    this.hideAlert();
    const undo = transcribed ? () => undefined : this.conversation.spokenAnswer();
    const request = client.sendAudio(audio, { id, format, language: this.saved.language });
    this.track(request, undo);
    void request.then(
      () => savePendingAnswer(this.saved.sessionId, undefined),
      () => savePendingAnswer(this.saved.sessionId, undefined),
    );
    return request;
  }

  /** Keeps the composer busy while an input is unanswered; on failure, undoes and explains. */
  private track(request: Promise<unknown>, undo: () => void): void {
    this.inputsInFlight++;
    this.composer.setBusy(true);
    request
      .catch((error: unknown) => {
        undo();
        this.chat.hideIndicator();
        this.showError(error);
      })
      .finally(() => {
        this.inputsInFlight--;
        this.composer.setBusy(this.inputsInFlight > 0);
      });
  }

  private async endInterview(): Promise<void> {
    if (this.client === undefined || this.ended) return;
    if (!(await confirmEnd())) return;
    try {
      await this.client.endInterview('ended_by_candidate');
    } catch (error) {
      this.showError(error);
    }
  }

  private showError(error: unknown): void {
    if (isVivaClientError(error)) {
      // the client was closed on purpose (a new interview, another tab): nothing to tell
      if (error.code === 'CONNECTION_CLOSED' && !this.ended && this.client === undefined) return;
      this.showErrorCode(error.code, error.message);
      return;
    }
    this.showErrorCode(undefined, error instanceof Error ? error.message : undefined);
  }

  private showErrorCode(code: string | undefined, message: string | undefined): void {
    switch (code) {
      case 'STT_UNAVAILABLE':
        this.composer.blockVoice('voice.unavailable');
        return;
      case 'STT_FAILED':
      case 'UNSUPPORTED_AUDIO_FORMAT':
      case 'AUDIO_DECODE_ERROR':
        this.composer.showStatus('voice.failed', 'error');
        return;
      case 'BUSY':
        return this.showAlert(t('error.busy'));
      case 'INTERVIEW_COMPLETED':
        return this.showAlert(t('error.completed'));
      case 'SESSION_NOT_FOUND':
      case 'UNAUTHORIZED':
        return this.events.fatal('error.sessionGone');
      default:
        this.showAlert(message !== undefined && message !== '' ? message : t('error.generic'));
    }
  }

  private showAlert(text: string, action?: HTMLButtonElement): void {
    const dismiss = h('button', { class: 'button button-quiet', attrs: { type: 'button' }, i18n: 'error.dismiss', on: { click: () => this.hideAlert() } });
    this.alert.replaceChildren(h('span', { class: 'alert-body', text }), action ?? '', dismiss);
    this.alert.hidden = false;
  }

  private hideAlert(): void {
    this.alert.hidden = true;
    this.alert.replaceChildren();
  }
}

/** A recording as a data URL, small enough to keep in localStorage for the length of a turn. */
function dataUrlOf(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.addEventListener('load', () => (typeof reader.result === 'string' ? resolve(reader.result) : reject(new Error('no data URL'))));
    reader.addEventListener('error', () => reject(reader.error ?? new Error('read failed')));
    reader.readAsDataURL(blob);
  });
}
