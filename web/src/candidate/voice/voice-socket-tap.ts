import type { WebSocketConstructor } from '../../../../client/src/index.js';

/** A §9 client message type the voice mode sends. */
export type VoiceMessageType = 'voice_start' | 'voice_stop' | 'audio_append' | 'audio_commit' | 'audio_clear' | 'playback_truncate';

/**
 * The voice mode's way onto the VivaClient's connection. The SDK has no voice API yet (it gets one on this
 * branch: switch to it then), and the §9 messages are live signals that must not be queued or re-sent after
 * a reconnect like inputs are. So the client is given this WebSocket, which remembers its newest socket, and
 * voice messages go straight onto it while it is open; after a reconnect the voice mode starts afresh.
 */
export class VoiceSocketTap {
  private socket: WebSocket | undefined;
  readonly WebSocket: WebSocketConstructor;

  constructor() {
    const remember = (socket: WebSocket) => {
      this.socket = socket;
    };
    this.WebSocket = class extends WebSocket {
      constructor(url: string) {
        super(url);
        remember(this);
      }
    };
  }

  get open(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Sends one voice message; false when the connection is not open (nothing is queued). */
  send(type: VoiceMessageType, data: Record<string, unknown> = {}): boolean {
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify({ type, data }));
    return true;
  }
}
