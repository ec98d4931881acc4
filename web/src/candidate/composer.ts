import { h, icon, icons } from '../shared/dom.js';
import { localizeAttributes, t, type MessageKey } from '../shared/i18n.js';
import { bindPushToTalk, type PushToTalk } from './push-to-talk.js';
import { RecorderError, VoiceRecorder, type Recording } from './voice-recorder.js';

export interface ComposerHandlers {
  sendText: (text: string) => void;
  sendRecording: (recording: Recording) => void;
}

/** Shortest recording worth sending, milliseconds; anything shorter is a slip of the finger. */
const MIN_RECORDING_MS = 400;
/** Longest recording; it is sent automatically at this length, milliseconds. */
const MAX_RECORDING_MS = 5 * 60_000;

/**
 * The answer box: a textarea (Enter sends, Shift+Enter adds a line, and Enter while an input method is
 * composing Chinese text is left to the IME) and a push-to-talk microphone button.
 */
export class Composer {
  readonly element: HTMLFormElement;
  private readonly textarea: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly micButton: HTMLButtonElement;
  private readonly micLabel: HTMLSpanElement;
  private readonly status: HTMLParagraphElement;
  private readonly recorder = new VoiceRecorder();
  private busy = false;
  private ended = false;
  private voiceBlocked: MessageKey | undefined;
  private autoStop: ReturnType<typeof setTimeout> | undefined;
  private readonly pushToTalk: PushToTalk;
  /** Shown while recording: elapsed time, level meter, Cancel. */
  private readonly recordingPanel: HTMLDivElement;
  private readonly elapsed: HTMLSpanElement;
  private readonly levelMeter: HTMLMeterElement;
  private meterFrame: number | undefined;
  /** Counts starts and cancels, so a start that finishes after a cancel knows it was cancelled. */
  private recordingAttempt = 0;

  constructor(private readonly handlers: ComposerHandlers) {
    this.textarea = localizeAttributes(
      h('textarea', { class: 'textarea composer-input', attrs: { id: 'answer', rows: 1, maxlength: 10_000, 'aria-describedby': 'composer-hint' } }),
      { placeholder: 'composer.placeholder' },
    );
    this.sendButton = h('button', { class: 'button composer-send', attrs: { type: 'submit' } }, icon(icons.send), h('span', { i18n: 'composer.send' }));
    this.micLabel = h('span', { class: 'mic-label', i18n: 'composer.talk' });
    this.micButton = h(
      'button',
      { class: 'button button-secondary composer-mic', attrs: { type: 'button', 'aria-pressed': 'false', 'aria-describedby': 'composer-talk-hint' } },
      icon(icons.mic),
      this.micLabel,
    );
    this.status = h('p', { class: 'composer-status', attrs: { role: 'status' } });
    this.elapsed = h('span', { class: 'recording-time', text: '0:00' });
    this.levelMeter = localizeAttributes(h('meter', { class: 'recording-level', attrs: { min: 0, max: 1, low: 0.15, high: 0.9, optimum: 0.5, value: 0 } }), {
      'aria-label': 'composer.level',
    });
    const cancel = h('button', {
      class: 'button button-quiet button-small recording-cancel',
      attrs: { type: 'button' },
      i18n: 'composer.cancelRecording',
      on: {
        // the pointer must not blur the microphone button first: a held key's release would send
        pointerdown: (event) => event.preventDefault(),
        click: () => this.pushToTalk.cancel(),
      },
    });
    this.recordingPanel = h(
      'div',
      { class: 'recording-panel', attrs: { hidden: true } },
      h('span', { class: 'recording-dot', attrs: { 'aria-hidden': 'true' } }),
      h('span', { class: 'visually-hidden', i18n: 'composer.elapsed' }),
      this.elapsed,
      this.levelMeter,
      cancel,
    );
    this.element = h(
      'form',
      { class: 'composer', attrs: { 'aria-label': t('composer.label') } },
      h('label', { class: 'visually-hidden', i18n: 'composer.label', attrs: { for: 'answer' } }),
      h('div', { class: 'composer-row' }, this.textarea, this.sendButton),
      h(
        'div',
        { class: 'composer-tools' },
        this.micButton,
        this.recordingPanel,
        h('p', { class: 'composer-hint', attrs: { id: 'composer-hint' }, i18n: 'composer.hint' }),
        h('p', { class: 'visually-hidden', attrs: { id: 'composer-talk-hint' }, i18n: 'composer.talkHint' }),
      ),
      this.status,
    );
    localizeAttributes(this.element, { 'aria-label': 'composer.label' });
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submitText();
    });
    this.textarea.addEventListener('keydown', (event) => {
      // keyCode 229: some browsers report IME composition only this way
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
      event.preventDefault();
      this.submitText();
    });
    this.textarea.addEventListener('input', () => this.fitHeight());
    if (!VoiceRecorder.isSupported()) this.blockVoice('voice.unsupported');
    this.pushToTalk = bindPushToTalk(this.micButton, {
      start: () => this.startRecording(),
      stop: () => void this.finishRecording(),
      cancel: () => this.cancelRecording(),
      onModeChange: (mode) => this.showMicMode(mode),
    });
    this.refresh();
  }

  focus(): void {
    this.textarea.focus();
  }

  /** Puts an answer that could not be sent back into the box, unless something new was typed. */
  restoreText(text: string): void {
    if (this.textarea.value.trim() === '') {
      this.textarea.value = text;
      this.fitHeight();
    }
  }

  /** While a reply is pending, answers wait: typing goes on, sending does not. */
  setBusy(busy: boolean): void {
    this.busy = busy;
    this.refresh();
  }

  /** The interview is over: nothing more can be sent. */
  end(): void {
    this.ended = true;
    this.recorder.cancel();
    this.showMicMode('idle');
    this.refresh();
  }

  /** Shows or hides push-to-talk: hidden where the server cannot transcribe, and while hands-free is on (voice/). */
  offerPushToTalk(offered: boolean): void {
    this.micButton.hidden = !offered;
  }

  /** Turns the microphone off for good, saying why (no recognizer on the server, no recorder here). */
  blockVoice(reason: MessageKey): void {
    this.voiceBlocked = reason;
    this.recorder.cancel();
    this.showMicMode('idle');
    this.showStatus(reason, 'warning');
    this.refresh();
  }

  showStatus(key: MessageKey | undefined, tone: 'info' | 'warning' | 'error' = 'info'): void {
    if (key === undefined) {
      this.status.textContent = '';
      this.status.removeAttribute('data-i18n');
      this.status.className = 'composer-status';
      return;
    }
    this.status.className = `composer-status is-${tone}`;
    this.status.dataset.i18n = key;
    this.status.textContent = t(key);
  }

  private refresh(): void {
    this.textarea.disabled = this.ended;
    this.sendButton.disabled = this.ended || this.busy;
    this.micButton.disabled = this.ended || this.busy || this.voiceBlocked !== undefined;
    if (this.busy && !this.ended && this.voiceBlocked === undefined) this.showStatus('composer.waiting');
    else if (!this.busy && this.status.dataset.i18n === 'composer.waiting') this.showStatus(undefined);
  }

  private submitText(): void {
    const text = this.textarea.value.trim();
    if (text === '' || this.busy || this.ended) return;
    this.textarea.value = '';
    this.fitHeight();
    this.handlers.sendText(text);
  }

  private fitHeight(): void {
    this.textarea.style.height = 'auto';
    this.textarea.style.height = `${Math.min(this.textarea.scrollHeight + 2, 200)}px`;
  }

  private async startRecording(): Promise<void> {
    this.showStatus(undefined);
    const attempt = ++this.recordingAttempt;
    try {
      await this.recorder.start();
    } catch (error) {
      const reason = error instanceof RecorderError ? error.reason : 'failed';
      if (reason === 'denied') this.showStatus('voice.denied', 'warning');
      else if (reason === 'unsupported') this.blockVoice('voice.unsupported');
      else this.showStatus('voice.failed', 'error');
      throw error;
    }
    // cancelled (or the interview ended) while the microphone was opening: close it again at once
    if (attempt !== this.recordingAttempt || this.ended || this.voiceBlocked !== undefined) {
      this.recorder.cancel();
      throw new RecorderError('failed', 'cancelled while starting');
    }
    this.autoStop = setTimeout(() => void this.finishRecording(), MAX_RECORDING_MS);
  }

  private async finishRecording(): Promise<void> {
    clearTimeout(this.autoStop);
    this.showMicMode('idle');
    if (!this.recorder.recording) return;
    try {
      const recording = await this.recorder.stop();
      if (recording.durationMs < MIN_RECORDING_MS) {
        this.showStatus('voice.tooShort', 'warning');
        return;
      }
      this.handlers.sendRecording(recording);
    } catch {
      this.showStatus('voice.failed', 'error');
    }
  }

  private cancelRecording(): void {
    this.recordingAttempt++;
    clearTimeout(this.autoStop);
    const wasRecording = this.recorder.recording;
    this.recorder.cancel();
    this.showMicMode('idle');
    if (wasRecording) this.showStatus('voice.discarded');
    this.micButton.focus();
  }

  private showMicMode(mode: 'idle' | 'hold' | 'toggle'): void {
    const key: MessageKey = mode === 'hold' ? 'composer.recording' : mode === 'toggle' ? 'composer.recordingTap' : 'composer.talk';
    this.micLabel.dataset.i18n = key;
    this.micLabel.textContent = t(key);
    this.micButton.classList.toggle('is-recording', mode !== 'idle');
    this.showRecordingPanel(mode !== 'idle');
  }

  /** Elapsed time and level, redrawn every frame while recording (the meter is read, not announced). */
  private showRecordingPanel(recording: boolean): void {
    this.recordingPanel.hidden = !recording;
    if (this.meterFrame !== undefined) cancelAnimationFrame(this.meterFrame);
    this.meterFrame = undefined;
    if (!recording) {
      this.elapsed.textContent = '0:00';
      this.levelMeter.value = 0;
      return;
    }
    const draw = () => {
      const seconds = Math.floor(this.recorder.elapsedMs / 1000);
      const text = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
      if (this.elapsed.textContent !== text) this.elapsed.textContent = text;
      this.levelMeter.value = this.recorder.level();
      this.meterFrame = requestAnimationFrame(draw);
    };
    draw();
  }
}
