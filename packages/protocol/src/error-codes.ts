/**
 * The closed list of error codes of the wire contract (docs/protocol.md §4), each with the HTTP status it maps
 * to, whether the client may retry the same request, and the message used when nothing more specific is
 * known. A new code is a protocol change: add it here, in docs/protocol-errors.md and nowhere else.
 */
export const errorCodes = {
  INVALID_JSON: {
    httpStatus: 400,
    retryable: false,
    message: 'The message is not valid JSON. Send one JSON object per text frame.',
  },
  INVALID_MESSAGE: {
    httpStatus: 400,
    retryable: false,
    message: 'The message does not match the schema. See details for the field that is wrong.',
  },
  UNKNOWN_TYPE: {
    httpStatus: 400,
    retryable: false,
    message: 'Unknown message type.',
  },
  UNSUPPORTED_FRAME: {
    httpStatus: 400,
    retryable: false,
    message: 'Binary frames are not supported. Send JSON in text frames; put audio in audio_input as base64.',
  },
  AUDIO_DECODE_ERROR: {
    httpStatus: 400,
    retryable: false,
    message: 'The audio could not be decoded. Send non-empty base64 or a base64 data URL.',
  },
  UNSUPPORTED_AUDIO_FORMAT: {
    httpStatus: 415,
    retryable: false,
    message: 'The audio is in no supported format. Send wav, mp3, m4a/mp4, webm, ogg or flac.',
  },
  PAYLOAD_TOO_LARGE: {
    httpStatus: 413,
    retryable: false,
    message: 'The payload is larger than the server accepts.',
  },
  RATE_LIMITED: {
    httpStatus: 429,
    retryable: true,
    message: 'Too many requests. Slow down and try again shortly.',
  },
  BUSY: {
    httpStatus: 429,
    retryable: true,
    message: 'Too many inputs are waiting for this session. Wait for the current reply, then send again.',
  },
  STT_UNAVAILABLE: {
    httpStatus: 503,
    retryable: false,
    message: 'No speech recognizer is configured on this server. Send your answer as text instead.',
  },
  STT_FAILED: {
    httpStatus: 502,
    retryable: true,
    message: 'The speech could not be recognized. Try again, or send your answer as text.',
  },
  TTS_FAILED: {
    httpStatus: 502,
    retryable: true,
    message: 'The spoken reply could not be synthesized. Its text still arrives; read it, or try again.',
  },
  AI_BACKEND_ERROR: {
    httpStatus: 502,
    retryable: true,
    message: 'The interviewer could not answer. Try again in a moment.',
  },
  AI_TIMEOUT: {
    httpStatus: 504,
    retryable: true,
    message: 'The interviewer took too long to answer. Try again in a moment.',
  },
  INTERVIEW_COMPLETED: {
    httpStatus: 409,
    retryable: false,
    message: 'This interview has ended. Fetch the report, or start a new session.',
  },
  UNAUTHORIZED: {
    httpStatus: 401,
    retryable: false,
    message: 'Missing or invalid credentials.',
  },
  SESSION_NOT_FOUND: {
    httpStatus: 404,
    retryable: false,
    message: 'No session with that id.',
  },
  INTERNAL_ERROR: {
    httpStatus: 500,
    retryable: true,
    message: 'Something went wrong on the server. Try again; if it persists, contact the operator.',
  },
} as const satisfies Record<string, { httpStatus: number; retryable: boolean; message: string }>;

export type ErrorCode = keyof typeof errorCodes;

export const errorCodeList = Object.keys(errorCodes) as ErrorCode[];
