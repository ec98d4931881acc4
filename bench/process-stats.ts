import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Resident memory of a process in bytes (VmRSS of /proc/<pid>/status, Linux). */
export function residentBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match?.[1]) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

const clockTicksPerSecond = readClockTicks();

/** User plus system CPU time a process has used so far, seconds (/proc/<pid>/stat). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the command name (field 2) may hold spaces and parentheses: count fields from the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  return (userTicks + systemTicks) / clockTicksPerSecond;
}

/**
 * CPU time of a process's live threads so far, seconds, to the nanosecond: the sum of each thread's time
 * on a CPU (/proc/<pid>/task/<tid>/schedstat). cpuSeconds counts in ticks of 10 ms, too coarse for a
 * phase of a few dozen turns; this one misses the time of threads that ended in between, so it is for
 * short windows of a process whose threads live on (the server's do).
 */
export function threadCpuSeconds(pid: number): number {
  let seconds = 0;
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    try {
      seconds += onCpuSeconds(pid, thread);
    } catch {
      // the thread ended after it was listed
    }
  }
  return seconds;
}

/**
 * CPU time of a process's main thread so far, seconds, to the nanosecond (its schedstat). For a Node server
 * this is the event loop: at 100% of a core it is saturated and every reply queues behind the others,
 * whatever the collector's and compiler's helper threads (the rest of cpuSeconds) are doing.
 */
export function mainThreadCpuSeconds(pid: number): number {
  return onCpuSeconds(pid, String(pid));
}

/** A thread's time on a CPU so far, seconds: the first field of its schedstat, in nanoseconds. */
function onCpuSeconds(pid: number, thread: string): number {
  return Number(readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'utf8').split(' ', 1)[0]) / 1e9;
}

/**
 * CPU time the whole machine has spent busy so far (all CPUs, every process and the kernel), seconds:
 * the `cpu` line of /proc/stat without idle and iowait. The bench subtracts its own processes to show
 * how much else was running (other test suites on a shared machine skew every figure).
 */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.slice(0, 8).reduce((sum, value) => sum + value, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return (total - idle) / clockTicksPerSecond;
}

/** The soft limit on open files of a process, or undefined when /proc does not say. */
export function openFilesLimit(pid: number): number | undefined {
  const match = /Max open files\s+(\d+)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return match?.[1] ? Number(match[1]) : undefined;
}

function readClockTicks(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}
