/**
 * Values kept by key, at most `limit` of them: remembering one more drops the one remembered longest ago
 * (a Map keeps insertion order). For caches whose entries are cheap to make again: a job's plan, an
 * answer's analysis, a provisional report, a store's hot sessions.
 */
export class BoundedCache<V> {
  readonly #values = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    return this.#values.get(key);
  }

  /** Keeps `value` as the newest entry, replacing any under the same key. */
  remember(key: string, value: V): void {
    this.#values.delete(key);
    if (this.#values.size >= this.limit) {
      const oldest = this.#values.keys().next();
      if (oldest.done !== true) this.#values.delete(oldest.value);
    }
    this.#values.set(key, value);
  }

  delete(key: string): void {
    this.#values.delete(key);
  }

  clear(): void {
    this.#values.clear();
  }
}
