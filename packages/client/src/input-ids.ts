/**
 * Ids for the client's messages: `c-<random>-<n>`. The random part differs per client instance, so a
 * page reloaded mid-interview never reuses an id of its previous life: the server would take that for
 * a re-sent input and answer it with an old reply (ids make inputs idempotent, docs/protocol.md §5).
 */
export class InputIds {
  private readonly prefix: string;
  private counter = 0;

  constructor(random: () => number = Math.random) {
    this.prefix = `c-${randomToken(random)}`;
  }

  next(): string {
    this.counter += 1;
    return `${this.prefix}-${this.counter}`;
  }
}

/** Ten base-36 characters, from crypto.getRandomValues where there is one (browsers, Node 20). */
function randomToken(random: () => number): string {
  const source = (globalThis as { crypto?: { getRandomValues?: (array: Uint32Array) => Uint32Array } }).crypto;
  const values = new Uint32Array(2);
  if (source?.getRandomValues !== undefined) source.getRandomValues(values);
  else for (let index = 0; index < values.length; index += 1) values[index] = Math.floor(random() * 2 ** 32);
  return Array.from(values, (value) => value.toString(36).padStart(7, '0')).join('').slice(0, 10);
}
