import { getEventListeners } from 'node:events';

/**
 * Abort controllers for provider calls: taken for a call, given back when it is over. Node 20 makes an
 * AbortSignal (an EventTarget) in about 3.7 µs, and each turn's signal outlived most of the turn's other
 * objects: one new signal per turn was about a tenth of what survived the young generation at 50
 * connections (decision 0010). A controller is handed out again only if its signal was never aborted and
 * nobody listens to it any more, so the next call cannot tell it from a new one. A provider must not use a
 * request's signal after its call has settled (interview-ports.ts).
 */
export class AbortControllerPool {
  readonly #free: AbortController[] = [];

  constructor(private readonly capacity = 64) {}

  take(): AbortController {
    return this.#free.pop() ?? new AbortController();
  }

  /** Takes back the controller of a call that is over; one aborted or still listened to is dropped. */
  giveBack(controller: AbortController): void {
    const { signal } = controller;
    // an `onabort` handler counts as a listener, even after it is set back to null
    if (signal.aborted || getEventListeners(signal, 'abort').length > 0) return;
    if (this.#free.length < this.capacity) this.#free.push(controller);
  }
}
