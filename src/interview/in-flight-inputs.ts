/**
 * Inputs by id that are queued or running, so that a copy re-sent meanwhile (a client that reconnected
 * and re-sent its unanswered inputs) waits for the first instead of being processed twice.
 */
export class InFlightInputs<T> {
  private readonly pending = new Map<string, Promise<T>>();

  get(sessionId: string, inputId: string): Promise<T> | undefined {
    return this.pending.get(InFlightInputs.key(sessionId, inputId));
  }

  track(sessionId: string, inputId: string, task: Promise<T>): Promise<T> {
    const key = InFlightInputs.key(sessionId, inputId);
    this.pending.set(key, task);
    const forget = () => {
      if (this.pending.get(key) === task) this.pending.delete(key);
    };
    task.then(forget, forget);
    return task;
  }

  private static key(sessionId: string, inputId: string): string {
    return `${sessionId}\u0000${inputId}`;
  }
}
