import WebSocket from 'ws';

/**
 * Makes a Node process collect all its garbage, through its inspector (started with
 * `--inspect=127.0.0.1:0`): the DevTools protocol's HeapProfiler.collectGarbage, the button of the same
 * name in Chrome's DevTools. The server under measurement runs its own code unchanged; only the bench asks.
 */
export async function collectGarbage(inspectorUrl: string, timeoutMs = 60_000): Promise<void> {
  await inspectorCall(inspectorUrl, 'HeapProfiler.collectGarbage', {}, timeoutMs);
}

/**
 * What the process's JavaScript holds, bytes: V8's heap in use plus the memory outside it that JavaScript
 * objects own (Buffers, ArrayBuffers), as `process.memoryUsage()` gives them, read through the inspector.
 * Unlike RSS, it does not count pages the allocator kept after an earlier burst, which new objects then
 * reuse; it leaves out native memory that no JavaScript object accounts for.
 */
export async function javascriptBytes(inspectorUrl: string, timeoutMs = 60_000): Promise<number> {
  const reply = await inspectorCall(
    inspectorUrl,
    'Runtime.evaluate',
    { expression: '(() => { const usage = process.memoryUsage(); return usage.heapUsed + usage.external; })()', returnByValue: true },
    timeoutMs,
  );
  const value = (reply as { result?: { value?: unknown } }).result?.value;
  if (typeof value !== 'number') throw new Error(`the inspector at ${inspectorUrl} did not give the memory usage`);
  return value;
}

/** One DevTools protocol call on a connection of its own; resolves with its result. */
async function inspectorCall(inspectorUrl: string, method: string, params: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
  const socket = new WebSocket(inspectorUrl, { perMessageDeflate: false });
  try {
    return await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the inspector at ${inspectorUrl} did not answer ${method} within ${timeoutMs} ms`)), timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.once('open', () => socket.send(JSON.stringify({ id: 1, method, params })));
      socket.on('message', (data: WebSocket.RawData) => {
        const reply = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message?: string } };
        if (reply.id !== 1) return;
        clearTimeout(timer);
        if (reply.error) reject(new Error(`${method} failed: ${reply.error.message ?? 'unknown error'}`));
        else resolve(reply.result);
      });
    });
  } finally {
    socket.close();
  }
}
