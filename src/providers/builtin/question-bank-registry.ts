import { BACKEND_BANK } from './question-bank-backend.js';
import { DATA_ML_BANK } from './question-bank-data-ml.js';
import { FRONTEND_BANK } from './question-bank-frontend.js';
import { GENERAL_BANK } from './question-bank-general.js';
import { PRODUCT_BANK } from './question-bank-product.js';
import type { BankQuestion, RoleTrack, TrackBank } from './question-bank-types.js';

const BANKS: Readonly<Record<RoleTrack, TrackBank>> = {
  backend: BACKEND_BANK,
  frontend: FRONTEND_BANK,
  data_ml: DATA_ML_BANK,
  product: PRODUCT_BANK,
  general: GENERAL_BANK,
};

export const ALL_BANKS: readonly TrackBank[] = Object.values(BANKS);

export function bankForTrack(track: RoleTrack): TrackBank {
  return BANKS[track];
}

const QUESTIONS_BY_ID: ReadonlyMap<string, BankQuestion> = new Map(
  ALL_BANKS.flatMap((bank) => bank.questions.map((question) => [question.id, question] as const)),
);

/** A bank question by id: plans made by the built-in planner carry bank ids, so the evaluator can find keywords. */
export function findBankQuestion(id: string): BankQuestion | undefined {
  return QUESTIONS_BY_ID.get(id);
}
