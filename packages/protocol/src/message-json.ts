/**
 * A durable message's `data` serialised once: the store writes that JSON to its row and remembers it here,
 * and the connection sends the same text inside the envelope instead of serialising the data again. What
 * goes out is then byte for byte what was stored. Keyed weakly by the message object, so nothing is kept
 * once the message is gone.
 */
const dataJson = new WeakMap<object, string>();

export function rememberDataJson(message: object, json: string): void {
  dataJson.set(message, json);
}

/** The JSON of `message.data`: the remembered text, or serialised now. */
export function dataJsonOf(message: { data: unknown }): string {
  return dataJson.get(message) ?? JSON.stringify(message.data);
}

/** The frame of a server message; a remembered `data` is spliced in, not serialised again. */
export function messageJson(message: { data: unknown }): string {
  const data = dataJson.get(message);
  if (data === undefined) return JSON.stringify(message);
  const { data: _data, ...envelope } = message;
  const head = JSON.stringify(envelope);
  return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"data":${data}}`;
}
