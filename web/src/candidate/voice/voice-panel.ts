import './voice.css';
import { h, icon, icons } from '../../shared/dom.js';
import { localizeAttributes, t, type MessageKey } from '../../shared/i18n.js';

export interface VoicePanelHandlers {
  toggleHandsFree: () => void;
  toggleMute: () => void;
  toggleVoiceOutput: () => void;
}

/** A speaker icon for the interviewer's-voice toggle (24×24, like the others in shared/dom.ts). */
const speakerIcon = 'M3 9v6h4l5 5V4L7 9H3Zm13.5 3A4.5 4.5 0 0 0 14 7.97v8.05A4.5 4.5 0 0 0 16.5 12ZM14 3.23v2.06a7 7 0 0 1 0 13.42v2.06A9 9 0 0 0 14 3.23Z';
const mutedIcon =
  'M19 11h-1.7c0 .74-.16 1.43-.43 2.05l1.23 1.23c.56-.98.9-2.09.9-3.28Zm-4.02.17c0-.06.02-.11.02-.17V5a3 3 0 0 0-6 0v.18l5.98 5.99ZM4.27 3 3 4.27l6.01 6.01V11a3 3 0 0 0 3 3c.23 0 .44-.03.65-.08l1.66 1.66c-.71.33-1.5.52-2.31.52A5.2 5.2 0 0 1 6.7 11H5c0 3.41 2.72 6.23 6 6.72V21h2v-3.28a7 7 0 0 0 2.54-.9L19.73 21 21 19.73 4.27 3Z';

function toggle(key: MessageKey, path: string, onClick: () => void): HTMLButtonElement {
  return h(
    'button',
    { class: 'button button-secondary voice-toggle', attrs: { type: 'button', 'aria-pressed': 'false' }, on: { click: onClick } },
    icon(path),
    h('span', { i18n: key }),
  );
}

/**
 * The hands-free controls beside the answer box: hands-free on/off, mute, the interviewer's voice, a level
 * meter, and the live caption of what the candidate is saying. Buttons are toggle buttons (aria-pressed)
 * with fixed names; the caption is an aria-live region; the meter is decorative (the status says the same).
 */
export class VoicePanel {
  readonly element: HTMLElement;
  private readonly handsFreeButton: HTMLButtonElement;
  private readonly muteButton: HTMLButtonElement;
  private readonly outputButton: HTMLButtonElement;
  private readonly meter: HTMLSpanElement;
  private readonly live: HTMLDivElement;
  private readonly status: HTMLParagraphElement;
  private readonly caption: HTMLParagraphElement;

  constructor(handlers: VoicePanelHandlers) {
    this.handsFreeButton = toggle('voice.handsFree', icons.mic, handlers.toggleHandsFree);
    this.handsFreeButton.setAttribute('aria-describedby', 'voice-hands-free-hint');
    this.muteButton = toggle('voice.mute', mutedIcon, handlers.toggleMute);
    this.outputButton = toggle('voice.output', speakerIcon, handlers.toggleVoiceOutput);
    this.meter = h('span', { class: 'voice-meter-level' });
    this.status = h('p', { class: 'voice-status', attrs: { role: 'status' } });
    this.caption = h('p', { class: 'voice-caption', attrs: { 'aria-live': 'polite', 'aria-atomic': 'true' } });
    this.live = h(
      'div',
      { class: 'voice-live', attrs: { hidden: true } },
      h('span', { class: 'voice-meter', attrs: { 'aria-hidden': 'true' } }, this.meter),
      h('div', { class: 'voice-live-text' }, this.status, this.caption),
    );
    this.element = h(
      'section',
      { class: 'voice-panel', attrs: { hidden: true } },
      h('div', { class: 'voice-controls' }, this.handsFreeButton, this.muteButton, this.outputButton),
      h('p', { class: 'visually-hidden', attrs: { id: 'voice-hands-free-hint' }, i18n: 'voice.handsFreeHint' }),
      this.live,
    );
    localizeAttributes(this.element, { 'aria-label': 'voice.panelLabel' });
    this.muteButton.hidden = true;
  }

  /** Which controls the server's capabilities allow; the panel is hidden when neither. */
  offer(options: { input: boolean; output: boolean }): void {
    this.handsFreeButton.hidden = !options.input;
    this.outputButton.hidden = !options.output;
    this.element.hidden = !options.input && !options.output;
  }

  showHandsFree(on: boolean): void {
    this.handsFreeButton.setAttribute('aria-pressed', String(on));
    this.handsFreeButton.classList.toggle('is-on', on);
    this.muteButton.hidden = !on;
    this.live.hidden = !on;
    this.element.classList.toggle('is-hands-free', on);
    if (!on) this.showLevel(0);
  }

  showMuted(muted: boolean): void {
    this.muteButton.setAttribute('aria-pressed', String(muted));
    this.muteButton.classList.toggle('is-on', muted);
  }

  showVoiceOutput(on: boolean): void {
    this.outputButton.setAttribute('aria-pressed', String(on));
    this.outputButton.classList.toggle('is-on', on);
  }

  /** Peak level 0 to 1, drawn on a perceptual (decibel) scale so quiet speech still moves the bar. */
  showLevel(peak: number): void {
    const decibels = peak > 0 ? 20 * Math.log10(peak) : -Infinity;
    const fraction = Math.max(0, Math.min(1, (decibels + 60) / 60));
    this.meter.style.transform = `scaleX(${fraction.toFixed(3)})`;
  }

  showStatus(key: MessageKey | undefined): void {
    if (key === undefined) {
      this.status.removeAttribute('data-i18n');
      this.status.textContent = '';
      return;
    }
    this.status.dataset.i18n = key;
    this.status.textContent = t(key);
  }

  showCaption(text: string): void {
    this.caption.textContent = text;
  }

  /** Disables every control (the interview ended). */
  disable(): void {
    for (const button of [this.handsFreeButton, this.muteButton, this.outputButton]) button.disabled = true;
  }
}
