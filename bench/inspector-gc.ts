import WebSocket from 'ws';

/**
 * Makes a Node process collect all its garbage, through its inspector (started with
 * `--inspect=127.0.0.1:0`): the DevTools protocol's HeapProfiler.collectGarbage, the button of the same
 * name in Chrome's DevTools. The server under measurement runs its own code unchanged; only the bench asks.
 */
export async function collectGarbage(inspectorUrl: string, timeoutMs = 60_000): Promise<void> {
  const socket = new WebSocket(inspectorUrl, { perMessageDeflate: false });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the inspector at ${inspectorUrl} did not collect garbage within ${timeoutMs} ms`)), timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.once('open', () => socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' })));
      socket.on('message', (data: WebSocket.RawData) => {
        const reply = JSON.parse(String(data)) as { id?: number; error?: { message?: string } };
        if (reply.id !== 1) return;
        clearTimeout(timer);
        if (reply.error) reject(new Error(`HeapProfiler.collectGarbage failed: ${reply.error.message ?? 'unknown error'}`));
        else resolve();
      });
    });
  } finally {
    socket.close();
  }
}
