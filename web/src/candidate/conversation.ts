import type { ServerMessage } from '@viva/protocol/server-messages.js';
import { h } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import type { ChatLog } from './chat-log.js';
import { fetchInterview, type TranscriptTurn } from './interview-api.js';
import { saveLastSeq, type SavedInterview } from './saved-interview.js';

type Message<K extends ServerMessage['type']> = Extract<ServerMessage, { type: K }>;

/**
 * Turns the session's messages into the chat, live or replayed after a reload.
 *
 * Replies, transcriptions, notices and the end are durable messages, replayed from seq 0 on every page
 * load. Typed answers are not: the candidate's own text comes from the optimistic bubble while live, and
 * from the session transcript (GET /api/v1/interview/{id}, by turn) when the chat is rebuilt.
 */
export class Conversation {
  private readonly candidateTextByTurn = new Map<number, string | null>();
  /** When each turn was stored: a rebuilt typed answer keeps its own time, not the time of the reload. */
  private readonly turnAt = new Map<number, string>();
  /** The candidate's message for the next reply is already on screen (typed now, or a transcription). */
  private candidateShown = false;
  private pendingText: HTMLLIElement | undefined;
  private online = true;
  /** Inputs the session has answered (the `reply_to` of replies seen, replayed or live). */
  readonly answeredInputs = new Set<string>();
  /** Spoken inputs whose transcription was seen (replayed or live): their words are already on screen. */
  readonly transcribedInputs = new Set<string>();
  private voicePlaceholder: HTMLLIElement | undefined;
  /** Messages up to this seq were seen before this page load: shown again, but not announced again. */
  private readonly seenSeq: number;

  constructor(
    private readonly chat: ChatLog,
    private readonly saved: SavedInterview,
  ) {
    this.seenSeq = saved.lastSeq;
  }

  rememberTranscript(turns: TranscriptTurn[]): void {
    for (const turn of turns) {
      this.candidateTextByTurn.set(turn.turn, turn.candidate);
      this.turnAt.set(turn.turn, turn.at);
    }
  }

  /** Shows a typed answer at once; returns the function that takes it back if sending fails. */
  typedAnswer(text: string): () => void {
    // the candidate just typed it: no need to read it back to them
    const bubble = this.chat.addCandidate(text, { pending: true, announce: false });
    this.pendingText = bubble;
    this.candidateShown = true;
    if (!this.online) this.connection(false);
    return () => {
      bubble.remove();
      if (this.pendingText === bubble) {
        this.pendingText = undefined;
        this.candidateShown = false;
      }
    };
  }

  /**
   * While the connection is down, a typed answer that has not been answered yet is labelled as not yet
   * sent; the client sends it again by itself once back online, and the label goes.
   */
  connection(open: boolean): void {
    this.online = open;
    const bubble = this.pendingText;
    if (bubble === undefined) return;
    bubble.classList.toggle('is-unsent', !open);
    bubble.querySelector('.message-unsent')?.remove();
    if (!open) bubble.append(h('p', { class: 'message-unsent', i18n: 'chat.unsent' }));
  }

  /** A placeholder for a spoken answer until its transcription arrives; returns its undo. */
  spokenAnswer(): () => void {
    const placeholder = this.chat.addCandidate(t('chat.transcribing'), { voice: true, pending: true, announce: false });
    this.voicePlaceholder = placeholder;
    return () => {
      placeholder.remove();
      if (this.voicePlaceholder === placeholder) this.voicePlaceholder = undefined;
    };
  }

  status(state: Message<'status'>['data']['state']): void {
    // a spoken answer already shows "transcribing…" in its own bubble
    if (state === 'transcribing') this.chat.showIndicator(this.voicePlaceholder === undefined ? 'chat.transcribing' : undefined);
    else if (state === 'thinking' || state === 'queued') this.chat.showIndicator('chat.thinking');
    else this.chat.hideIndicator();
  }

  transcription(message: Message<'transcription'>): void {
    if (message.reply_to !== undefined) this.transcribedInputs.add(message.reply_to);
    if (this.voicePlaceholder !== undefined) {
      const body = this.voicePlaceholder.querySelector('.message-text');
      if (body) body.textContent = message.data.text;
      this.voicePlaceholder.classList.remove('is-pending');
      this.voicePlaceholder = undefined;
    } else {
      this.chat.addCandidate(message.data.text, { voice: true, at: message.timestamp, announce: this.isNew(message) });
    }
    this.candidateShown = true;
    this.remember(message);
  }

  reply(message: Message<'ai_response'>): void {
    const { turn } = message.data;
    if (message.reply_to !== undefined) this.answeredInputs.add(message.reply_to);
    if (!this.candidateShown) this.showCandidateTextOf(turn);
    this.candidateShown = false;
    this.pendingText?.classList.remove('is-pending', 'is-unsent');
    this.pendingText?.querySelector('.message-unsent')?.remove();
    this.pendingText = undefined;
    this.chat.completeInterviewer(turn, message.data.ai_response, {
      at: message.timestamp,
      cancelled: message.data.cancelled === true,
      announce: this.isNew(message),
    });
    this.remember(message);
  }

  notice(message: Message<'notice'>): void {
    this.chat.addNotice(message.data.message, message.data.from, { at: message.timestamp, announce: this.isNew(message) });
    this.remember(message);
  }

  /** Marks the end in the chat; returns whether the end is news to this page (not a replay). */
  ended(message: Message<'interview_ended'>): boolean {
    this.chat.hideIndicator();
    this.chat.addSystem('chat.ended', { at: message.timestamp, announce: this.isNew(message) });
    this.remember(message);
    return this.isNew(message);
  }

  private isNew(message: { seq?: number | undefined }): boolean {
    return message.seq === undefined || message.seq > this.seenSeq;
  }

  private remember(message: { seq?: number | undefined }): void {
    if (message.seq !== undefined) saveLastSeq(this.saved.sessionId, message.seq);
  }

  /** Puts the typed answer of `turn` (known from the transcript) before its reply. */
  private showCandidateTextOf(turn: number): void {
    const known = this.candidateTextByTurn.get(turn);
    if (typeof known === 'string' && known !== '') {
      this.chat.addCandidate(known, { beforeTurn: turn, announce: false, at: this.turnAt.get(turn) });
      return;
    }
    // null: a turn without a candidate input (the greeting)
    if (known === null) return;
    // a turn that finished after the transcript was fetched (a reload mid-turn): fetch it again
    void fetchInterview(this.saved.sessionId, this.saved.token).then(
      (record) => {
        this.rememberTranscript(record.transcript);
        const text = this.candidateTextByTurn.get(turn);
        if (typeof text === 'string' && text !== '') this.chat.addCandidate(text, { beforeTurn: turn, announce: false, at: this.turnAt.get(turn) });
      },
      () => undefined,
    );
  }
}
