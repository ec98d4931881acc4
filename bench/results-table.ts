import type { BenchReport, IdleComparison, LoadLevel, LoadRatios } from './bench-report.js';
import { times } from './bench-report.js';
import type { ClosedLoopResult } from './closed-loop-load.js';
import type { IdleResult } from './idle-connections.js';

const MiB = 1024 * 1024;

/** Columns padded to their widest cell; the first column left-aligned, the rest right-aligned. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function loadTable(levels: LoadLevel[]): string {
  const header = ['conns / server', 'turns/s', 'p50 ms', 'p99 ms', 'max ms', 'sessions/s', 'connect p50 ms', 'failures', 'srv CPU%', 'srv CPU µs/turn', 'main thread %', 'main µs/turn', 'loop max ms', 'client CPU%', 'other CPU%', 'RSS end MiB', 'RSS peak MiB'];
  const rows: string[][] = [];
  for (const level of levels) {
    const named = [['echo', level.echo], ['floor', level.floor], ['peer', level.peer], ['viva', level.viva], ['viva first s', level.vivaCold]] as const;
    for (const [name, result] of named) {
      if (result) rows.push(loadRow(`${level.connections} ${name}`, result));
    }
    if (level.floorRatios && level.floor) rows.push(ratioRow(`${level.connections} floor/echo`, level.floorRatios));
    if (level.ratios) rows.push(ratioRow(`${level.connections} viva/echo`, level.ratios));
    if (level.peerRatios && level.peer) rows.push(ratioRow(`${level.connections} viva/peer`, level.peerRatios));
  }
  const errors = levels.flatMap((level) => level.errors.map((error) => `ERROR at ${level.connections} connections: ${firstLine(error)}`));
  return [formatTable(header, rows), ...errors].join('\n');
}

function ratioRow(label: string, ratios: LoadRatios): string[] {
  const { turnsPerSecond, p50, p99, rssEnd, cpuPerTurn } = ratios;
  return [label, times(turnsPerSecond), times(p50), times(p99), '', '', '', '', '', times(cpuPerTurn), '', '', '', '', '', times(rssEnd), ''];
}

function loadRow(label: string, result: ClosedLoopResult): string[] {
  const failures = Object.entries(result.failures);
  return [
    label,
    result.turnsPerSecond.toFixed(1),
    result.latencyMs.p50.toFixed(2),
    result.latencyMs.p99.toFixed(2),
    result.latencyMs.max.toFixed(1),
    result.sessionsPerSecond.toFixed(1),
    result.connectMs.p50.toFixed(2),
    failures.length === 0 ? '0' : failures.map(([kind, count]) => `${kind}:${count}`).join(','),
    result.server.cpuPercent.toFixed(0),
    result.server.cpuMicrosecondsPerTurn.toFixed(0),
    result.server.mainThreadCpuPercent.toFixed(0),
    result.server.mainThreadMicrosecondsPerTurn.toFixed(0),
    result.server.loopDelayMs?.max.toFixed(0) ?? '',
    result.clientCpuPercent.toFixed(0),
    result.otherCpuPercent.toFixed(0),
    (result.server.rssEndBytes / MiB).toFixed(1),
    (result.server.rssPeakBytes / MiB).toFixed(1),
  ];
}

export function idleTable(idle: IdleComparison): string {
  const header = ['server', 'opened', 'failed', 'open s', 'RSS before MiB', 'RSS after MiB', 'RSS KiB/conn', 'JS KiB/conn', 'per conn KiB', 'dropped idle'];
  const rows: string[][] = [];
  for (const [name, result] of [['echo', idle.echo], ['peer', idle.peer], ['viva', idle.viva]] as const) if (result) rows.push(idleRow(name, result));
  rows.push(['viva/echo', '', '', '', '', '', '', '', times(idle.bytesPerConnectionRatio), '']);
  if (idle.peer && idle.viva && idle.peer.bytesPerConnection > 0) {
    rows.push(['viva/peer', '', '', '', '', '', '', '', times(idle.viva.bytesPerConnection / idle.peer.bytesPerConnection), '']);
  }
  return [formatTable(header, rows), ...idle.errors.map((error) => `ERROR: ${firstLine(error)}`)].join('\n');
}

function idleRow(name: string, result: IdleResult): string[] {
  const failed = Object.values(result.failures).reduce((sum, count) => sum + count, 0);
  return [
    name,
    result.opened.toLocaleString('en'),
    failed === 0 ? '0' : `${failed} ${JSON.stringify(result.failures)}`,
    result.openSeconds.toFixed(1),
    (result.rssBeforeBytes / MiB).toFixed(1),
    (result.rssAfterBytes / MiB).toFixed(1),
    (result.rssBytesPerConnection / 1024).toFixed(2),
    result.javascriptBytesPerConnection === undefined ? '' : (result.javascriptBytesPerConnection / 1024).toFixed(2),
    (result.bytesPerConnection / 1024).toFixed(2),
    String(result.droppedWhileIdle),
  ];
}

export function targetsTable(report: BenchReport): string {
  return formatTable(
    ['target', 'goal', 'measured', 'verdict'],
    report.targets.map((target) => [target.name, target.goal, target.measured, target.verdict]),
  );
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}
