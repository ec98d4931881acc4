import type { SpeechRecognizer, Transcription } from '../../interview/interview-ports.js';
import { VivaError } from '@viva/protocol/viva-error.js';

/** STT_PROVIDER=none: audio is decoded and checked, then answered with STT_UNAVAILABLE. */
export class NoSpeechRecognizer implements SpeechRecognizer {
  readonly provider = 'none';

  async transcribe(): Promise<Transcription> {
    throw new VivaError(
      'STT_UNAVAILABLE',
      'This server has no speech recognizer configured (STT_PROVIDER=none). Send your answer as text.',
    );
  }
}
