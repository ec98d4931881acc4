import { BoundedCache } from '../interview/bounded-cache.js';
import { deepFreeze } from '../interview/deep-freeze.js';
import type { SessionRecord, StoredTurn } from '../interview/session-store.js';

/** What a store knows about one recently used session without asking its database. */
export interface HotSession {
  /** Frozen: handed out as is, so callers build new records instead of changing this one. */
  record: SessionRecord;
  /** Every turn, oldest first, each frozen; undefined until first read. */
  turns: StoredTurn[] | undefined;
  /** Every `reply_to` among the session's durable messages; undefined until first needed. */
  inputIds: Set<string> | undefined;
}

/**
 * The most recently written sessions of a store that is their only writer, the least recently written
 * evicted first. A turn reads its session, its history and its idempotency record; with this they are map
 * lookups instead of queries that parse the plan and every earlier turn again.
 *
 * Only a write moves a session to the end of the order, not a read: a turn reads its session four times
 * and writes it once, and each move is a delete and an insert, which leaves a hole in the Map's table.
 * Every thousand or so holes V8 copies the whole table into a new one, and that copy, held by a Map that
 * lives long, survives the young generation. A session that is only read is still found here until a
 * thousand others have been written since; after that it is read from the database again.
 */
export class HotSessionCache {
  readonly #entries: BoundedCache<HotSession>;

  /** @param capacity sessions kept; 0 keeps none. */
  constructor(private readonly capacity: number) {
    this.#entries = new BoundedCache(Math.max(1, capacity));
  }

  get(id: string): HotSession | undefined {
    return this.#entries.get(id);
  }

  /** Stores the record (frozen here) and keeps what was known of its turns and input ids. */
  putRecord(record: SessionRecord): HotSession {
    const previous = this.#entries.get(record.id);
    const entry: HotSession = { record: deepFreeze(record), turns: previous?.turns, inputIds: previous?.inputIds };
    this.#put(entry);
    return entry;
  }

  /** A session this store has just created: it has no turns and no messages yet. */
  putNew(record: SessionRecord): HotSession {
    const entry: HotSession = { record: deepFreeze(record), turns: [], inputIds: new Set() };
    this.#put(entry);
    return entry;
  }

  delete(id: string): void {
    this.#entries.delete(id);
  }

  clear(): void {
    this.#entries.clear();
  }

  #put(entry: HotSession): void {
    // remembering again moves it to the end of the order: the most recently written
    if (this.capacity > 0) this.#entries.remember(entry.record.id, entry);
  }
}
