/** Handler signatures by event name. */
export type EventSignatures = Record<string, (...args: never[]) => void>;

/**
 * A small typed event emitter that runs in browsers and Node alike. A handler that throws does not stop
 * the others or the client: its exception is re-thrown on a fresh task, where the host reports it
 * (the console in a browser, `uncaughtException` in Node), as EventTarget does.
 */
export class TypedEvents<Events extends EventSignatures> {
  private readonly handlers = new Map<keyof Events, Set<Events[keyof Events]>>();

  /** Adds `handler`; the function returned removes it. */
  on<K extends keyof Events>(type: K, handler: Events[K]): () => void {
    let set = this.handlers.get(type);
    if (set === undefined) {
      set = new Set();
      this.handlers.set(type, set);
    }
    set.add(handler);
    return () => {
      this.handlers.get(type)?.delete(handler);
    };
  }

  emit<K extends keyof Events>(type: K, ...args: Parameters<Events[K]>): void {
    const set = this.handlers.get(type);
    if (set === undefined || set.size === 0) return;
    // a copy: a handler may unsubscribe itself (or others) while we iterate
    for (const handler of [...set]) {
      try {
        (handler as (...values: Parameters<Events[K]>) => void)(...args);
      } catch (error) {
        setTimeout(() => {
          throw error;
        }, 0);
      }
    }
  }

  listenerCount(type: keyof Events): number {
    return this.handlers.get(type)?.size ?? 0;
  }

  clear(): void {
    this.handlers.clear();
  }
}
