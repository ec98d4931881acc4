import type { DecodedAudio } from '../audio/audio-decoder.js';
import type { TurnInput } from '../interview/interview-coordinator.js';
import type { StoredTurn } from '../interview/session-store.js';
import type { TranscriptTurn } from '@viva/protocol/http-schemas.js';

/** An audio input for the coordinator, from audio decoded at the edge (WebSocket or HTTP). */
export function audioTurnInput(audio: DecodedAudio, inputId: string | undefined, language: string | undefined): TurnInput {
  return {
    kind: 'audio',
    id: inputId,
    audio: {
      audio: audio.bytes,
      format: audio.format,
      file_name: audio.file_name,
      mime_type: audio.mime_type,
      duration_ms: audio.duration_ms,
      silent: audio.silent,
    },
    language,
  };
}

/** A session's turns as the HTTP and management APIs show them. */
export function transcriptOf(turns: StoredTurn[]): TranscriptTurn[] {
  return turns.map((turn) => ({
    turn: turn.turn,
    candidate: turn.candidate_text,
    input_kind: turn.input_kind,
    interviewer: turn.reply,
    follow_up: turn.follow_up,
    cancelled: turn.cancelled,
    ...(turn.interrupted === true ? { heard_text: turn.heard_text ?? '', interrupted: true } : {}),
    at: turn.created_at,
  }));
}
