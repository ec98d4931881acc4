import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './raised-limit-spawn.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

/** The parts of V8's .cpuprofile (written by `node --cpu-prof`) this summary reads. */
interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileEntry {
  name: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  file: string;
  /** Non-idle sample time counted, milliseconds. */
  totalMs: number;
  window?: ProfileWindow;
  /** Self time by function, highest first. */
  functions: ProfileEntry[];
  /** Self time by where the code lives: a package, a file of this project, Node internals, GC. */
  places: ProfileEntry[];
}

/** Part of a profile, milliseconds from its start; the whole profile when left out. */
export interface ProfileWindow {
  fromMs: number;
  toMs: number;
}

/**
 * Self time of each function and of each package or project file in a CPU profile, top `limit` of each,
 * counting only samples inside `window` (so start-up and shutdown can be left out).
 */
export function summariseCpuProfile(file: string, limit = 15, window?: ProfileWindow): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const functions = new Map<string, number>();
  const places = new Map<string, number>();
  let totalMicroseconds = 0;
  let elapsedMicroseconds = 0;
  for (let index = 0; index < samples.length; index += 1) {
    elapsedMicroseconds += deltas[index] ?? 0;
    if (window && (elapsedMicroseconds < window.fromMs * 1000 || elapsedMicroseconds >= window.toMs * 1000)) continue;
    const node = byId.get(samples[index] ?? -1);
    // a sample's time is the gap to the next sample
    const microseconds = Math.max(0, deltas[index + 1] ?? 0);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    totalMicroseconds += microseconds;
    const place = placeOf(node.callFrame.url, node.callFrame.functionName);
    // no line numbers: under tsx they are those of the transpiled code, not of the source
    const name = node.callFrame.url ? `${node.callFrame.functionName || '(anonymous)'}  ${place}` : place;
    functions.set(name, (functions.get(name) ?? 0) + microseconds);
    places.set(place, (places.get(place) ?? 0) + microseconds);
  }
  const rank = (totals: Map<string, number>): ProfileEntry[] =>
    [...totals]
      .sort((left, right) => right[1] - left[1])
      .slice(0, limit)
      .map(([name, microseconds]) => ({
        name,
        selfMs: microseconds / 1000,
        percent: totalMicroseconds > 0 ? (microseconds / totalMicroseconds) * 100 : 0,
      }));
  return { file, totalMs: totalMicroseconds / 1000, ...(window ? { window } : {}), functions: rank(functions), places: rank(places) };
}

function placeOf(url: string, functionName: string): string {
  if (url === '') return functionName || '(native)';
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  const packageMatch = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (packageMatch?.[1]) return packageMatch[1];
  return relative(REPO_ROOT, path);
}

/** `tsx bench/cpu-profile-summary.ts FILE.cpuprofile` prints the summary of a profile. */
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: tsx bench/cpu-profile-summary.ts FILE.cpuprofile');
  const summary = summariseCpuProfile(file, 25);
  process.stdout.write(`${file}: ${summary.totalMs.toFixed(0)} ms of samples (idle left out)\n`);
  for (const [title, entries] of [['by function', summary.functions], ['by package or file', summary.places]] as const) {
    process.stdout.write(`\n${title}\n`);
    for (const entry of entries) process.stdout.write(`${entry.percent.toFixed(1).padStart(6)}%  ${entry.selfMs.toFixed(0).padStart(7)} ms  ${entry.name}\n`);
  }
}
