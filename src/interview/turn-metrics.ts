import type { ErrorCode } from '@viva/protocol/error-codes.js';

export type TurnStage = 'stt' | 'ai' | 'total';

/** What the coordinator reports about turns; implemented by the metrics of src/observability. */
export interface TurnMetrics {
  observeStage(stage: TurnStage, milliseconds: number): void;
  error(code: ErrorCode): void;
}
