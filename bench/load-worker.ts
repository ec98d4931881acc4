import { parentPort, workerData } from 'node:worker_threads';
import { runCandidates, type CandidatesSpec } from './closed-loop-candidates.js';

/** A client thread of the closed-loop load: runs its share of the candidates and posts the outcome. */
const spec = workerData as CandidatesSpec;
const outcome = await runCandidates(spec);
parentPort?.postMessage(outcome);
