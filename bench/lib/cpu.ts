// CPU time by process group, read from /proc (Linux): where a run's CPU went — the app, PostgreSQL's
// processes, this process (the load generator or the bare loops). On 2 cores shared by all three, a
// request's cost is the sum, so the figures per request say which one to cut.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface CpuTimes {
  /** CPU milliseconds (user + system) used so far by each group. */
  app: number;
  postgres: number;
  self: number;
}

/** The process's CPU ticks, and with `children` those of its ended children it waited for (the postmaster's ended backends). */
function processTicks(pid: number, children = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime and cstime are the 14th to 17th fields; the slice starts at the 3rd
    return Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0);
  } catch {
    return 0; // gone between the listing and the read
  }
}

/** PostgreSQL's processes on this machine: the postmaster (which counts its ended backends) and every live backend. */
function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

export function cpuTimes(appPid: number | undefined): CpuTimes {
  const self = process.cpuUsage();
  const postgres = postgresPids().reduce((sum, pid) => sum + processTicks(pid, true), 0);
  return {
    app: appPid === undefined ? 0 : (processTicks(appPid) * 1000) / TICKS_PER_SECOND,
    postgres: (postgres * 1000) / TICKS_PER_SECOND,
    self: (self.user + self.system) / 1000,
  };
}

/** CPU milliseconds each group used between two readings. */
export function cpuSpent(before: CpuTimes, after: CpuTimes): CpuTimes {
  return { app: after.app - before.app, postgres: after.postgres - before.postgres, self: after.self - before.self };
}
