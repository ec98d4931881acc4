import { z } from 'zod';
import { recommendationSchema } from '@viva/protocol/interview-schemas.js';

/** A score as models write it: a number or a numeric string, kept within 1-5. */
const score = z.coerce.number().min(1).max(5);

/** The evaluator's answer as the model must write it (the prompt shows the same shape). */
export const reportOutputSchema = z.object({
  summary: z.string().trim().min(1).max(4000),
  overall_score: score,
  recommendation: z.preprocess((value) => (typeof value === 'string' ? value.trim().toLowerCase().replace(/[\s-]+/g, '_') : value), recommendationSchema),
  competencies: z
    .array(
      z.object({
        name: z.string().trim().min(1).max(120),
        score,
        evidence: z.array(z.string()).max(12).default([]),
      }),
    )
    .min(1)
    .max(20),
  questions: z
    .array(
      z.object({
        number: z.coerce.number().int().min(1),
        score: score.nullable().catch(null),
        notes: z.string().max(2000).default(''),
      }),
    )
    .default([]),
  strengths: z.array(z.string().trim().min(1).max(600)).max(12).default([]),
  concerns: z.array(z.string().trim().min(1).max(600)).max(12).default([]),
});

export type ReportOutput = z.infer<typeof reportOutputSchema>;
