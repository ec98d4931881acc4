/**
 * The Viva client SDK: one class for the wire protocol (docs/protocol.md), for browsers and Node 20.
 * See client/README.md.
 */
export { VivaClient } from './viva-client.js';
export { caughtUp } from './caught-up.js';
export type {
  AiResponseMessage,
  ClosedEvent,
  ConnectionState,
  DisconnectedEvent,
  InterviewEndedMessage,
  InvalidMessageEvent,
  SendAudioOptions,
  SendTextOptions,
  ServerMessageOf,
  VivaClientEvents,
  VivaClientOptions,
} from './viva-client-types.js';
export { VivaClientError, isVivaClientError, type ClientErrorCode, type VivaClientErrorCode } from './viva-client-error.js';
export { DEFAULT_RECONNECT, backoffDelay, type ReconnectOptions } from './backoff.js';
export { bytesToBase64, formatFromMimeType, toAudioPayload, type AudioPayload, type AudioSource } from './audio-input.js';
export type { WebSocketConstructor, WebSocketLike } from './websocket-like.js';
export { VivaVoice, type VoiceOptions } from './voice/viva-voice.js';
export { captureMicrophone, type MicrophoneCapture } from './voice/microphone-capture.js';
export { floatToPcm16, fromBase64, pcm16Bytes, toBase64, type PcmSource } from './voice/pcm16-encoding.js';
export type { Capabilities, VoiceSettingsData } from '@viva/protocol/voice-messages.js';
export type { ConnectedData, ServerMessage, ServerMessageType } from '@viva/protocol/server-messages.js';
export type { Candidate, InterviewReport, InterviewSettingsInput, InterviewStatus } from '@viva/protocol/interview-schemas.js';
export type { ErrorCode } from '@viva/protocol/error-codes.js';
