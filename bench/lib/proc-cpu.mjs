import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

let ticksPerSecond;

function clockTicks() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * User + system CPU time of a process (all its threads) in ms, from /proc/<pid>/stat. Linux only;
 * the resolution is one clock tick (usually 10 ms), so measure spans of a second or more.
 */
export function processCpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may contain spaces and parentheses; fields resume after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / clockTicks();
}

/**
 * Busy CPU time of the whole machine (all cores, every process, plus time the hypervisor stole)
 * in ms, from /proc/stat: set against the bench's own processes it shows how much else ran.
 */
export function machineBusyMs() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  const [user, nice, system, _idle, _iowait, irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number);
  return ((user + nice + system + irq + softirq + steal) * 1000) / clockTicks();
}

/**
 * Runs `fn` and returns its result with the CPU time each named process spent meanwhile, e.g.
 * `{ api: serverPid, runner: runnerPid, client: process.pid }`, and the whole machine's as `machine`.
 */
export async function withCpu(pids, fn) {
  const read = () => ({
    ...Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, processCpuMs(pid)])),
    machine: machineBusyMs(),
  });
  const before = read();
  const start = performance.now();
  const result = await fn();
  const wallMs = performance.now() - start;
  const after = read();
  const cpuMs = Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - before[k]]));
  return { result, cpuMs, wallMs };
}

/** CPU time as a share of one core, in percent, per process. */
export function coreShares(cpuMs, wallMs) {
  return Object.fromEntries(Object.entries(cpuMs).map(([k, ms]) => [k, Math.round((100 * ms) / wallMs)]));
}

/**
 * From now until the returned function is called: how busy the machine was (in % of one core:
 * 200 % is both cores of a 2-core machine) and the share of that the processes `pids()` lists had;
 * the rest ran beside them. `pids()` is read at both ends: one started meanwhile counts whole.
 */
export async function machineShare(pids) {
  const before = new Map((await pids()).map((pid) => [pid, processCpuMs(pid)]));
  const machineBefore = machineBusyMs();
  const start = performance.now();
  return async () => {
    const own = (await pids()).reduce((ms, pid) => ms + processCpuMs(pid) - (before.get(pid) ?? 0), 0);
    const machine = machineBusyMs() - machineBefore;
    return {
      busyPercent: Math.round((100 * machine) / (performance.now() - start)),
      ownPercent: Math.round((100 * own) / machine),
    };
  };
}
