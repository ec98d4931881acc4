/**
 * Push-to-talk on one button, by pointer, touch or keyboard: hold to talk, release to send. A short tap
 * (or a click from a screen reader, which sends no key or pointer events) toggles instead: the first
 * starts recording, the next stops it. Escape discards.
 */
export interface PushToTalkHandlers {
  /** Starts recording; a rejection ends the press. */
  start: () => Promise<void>;
  /** Stops and sends. */
  stop: () => void;
  /** Stops and discards. */
  cancel: () => void;
  /** Hold or toggle mode began or ended, for the label. */
  onModeChange: (mode: 'idle' | 'hold' | 'toggle') => void;
}

/** Below this, a press is a tap (toggle mode) rather than a hold, milliseconds. */
const TAP_MS = 350;

export interface PushToTalk {
  /** Discards the recording in progress (the Cancel button beside the microphone), as Escape does. */
  cancel: () => void;
}

export function bindPushToTalk(button: HTMLButtonElement, handlers: PushToTalkHandlers): PushToTalk {
  let mode: 'idle' | 'starting' | 'hold' | 'toggle' = 'idle';
  let pressedAt = 0;
  let releasedEarly = false;
  let lastGestureAt = 0;

  const setMode = (next: typeof mode) => {
    mode = next;
    button.setAttribute('aria-pressed', String(next === 'hold' || next === 'toggle' || next === 'starting'));
    handlers.onModeChange(next === 'starting' ? 'hold' : next);
  };

  const press = () => {
    lastGestureAt = performance.now();
    if (button.disabled) return;
    if (mode === 'toggle') {
      setMode('idle');
      handlers.stop();
      return;
    }
    if (mode !== 'idle') return;
    pressedAt = performance.now();
    releasedEarly = false;
    setMode('starting');
    handlers.start().then(
      () => {
        if (mode !== 'starting') return;
        // released while the microphone was still opening: that was a tap, so keep recording (toggle)
        setMode(releasedEarly ? 'toggle' : 'hold');
      },
      () => setMode('idle'),
    );
  };

  const release = () => {
    lastGestureAt = performance.now();
    if (mode === 'starting') {
      releasedEarly = true;
      return;
    }
    if (mode !== 'hold') return;
    if (performance.now() - pressedAt < TAP_MS) {
      setMode('toggle');
      return;
    }
    setMode('idle');
    handlers.stop();
  };

  button.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    button.focus();
    button.setPointerCapture(event.pointerId);
    press();
  });
  button.addEventListener('pointerup', release);
  button.addEventListener('pointercancel', release);
  button.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && mode !== 'idle') {
      event.preventDefault();
      setMode('idle');
      handlers.cancel();
      return;
    }
    if (event.key !== ' ' && event.key !== 'Enter') return;
    event.preventDefault();
    if (!event.repeat) press();
  });
  button.addEventListener('keyup', (event) => {
    if (event.key !== ' ' && event.key !== 'Enter') return;
    event.preventDefault();
    release();
  });
  // a click with no pointer or key gesture just before it comes from assistive technology: toggle
  button.addEventListener('click', (event) => {
    event.preventDefault();
    if (performance.now() - lastGestureAt < 600) return;
    if (mode === 'idle') {
      press();
      releasedEarly = true;
    } else if (mode === 'toggle' || mode === 'hold') {
      setMode('idle');
      handlers.stop();
    }
  });
  // a held key whose keyup goes elsewhere (focus moved away) must not leave the microphone open
  button.addEventListener('blur', () => {
    if (mode === 'hold') release();
  });
  // long-press on touch screens would open a context menu over the button
  button.addEventListener('contextmenu', (event) => event.preventDefault());
  return {
    cancel: () => {
      if (mode === 'idle') return;
      setMode('idle');
      handlers.cancel();
    },
  };
}
