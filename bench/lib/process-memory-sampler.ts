// The memory sampler's process (process-memory.ts starts it): every interval it reads /proc for a
// process (its parent) and every process under it, and keeps the peak of node plus Chromium. The
// process tree (ppid from /proc/*/stat) is rebuilt every fourth tick, and on every tick from node's
// own children file, so a browser node launches is seen at once; only its sub-processes may wait.
import { readdirSync, readFileSync } from 'node:fs';
import type { SampledPeak, SamplerAnswer, SamplerRequest } from './process-memory.ts';

const root = Number(process.argv[2]);
const intervalMs = Number(process.argv[3] ?? 50);

type Kind = 'chromium' | 'other';

const read = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // the process has ended
  }
};

/** A kB figure of /proc/<pid>/status, 0 when absent. */
const field = (status: string, name: string): number => {
  const match = new RegExp(`^${name}:[^0-9]*([0-9]+)`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
};

const isChromium = (name: string) => /chrom/i.test(name);

/** Every descendant of node, by pid. */
let tree = new Map<number, Kind>();

function rescan(): void {
  const children = new Map<number, number[]>();
  const names = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    if (!stat) continue;
    const close = stat.lastIndexOf(')');
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close));
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const next = new Map<number, Kind>();
  // A Chromium process and everything under it counts as Chromium.
  const walk = (pid: number, inChromium: boolean) => {
    for (const child of children.get(pid) ?? []) {
      const chromium = inChromium || isChromium(names.get(child) ?? '');
      next.set(child, chromium ? 'chromium' : 'other');
      walk(child, chromium);
    }
  };
  walk(root, false);
  tree = next;
}

function quickScan(): void {
  for (const word of read(`/proc/${root}/task/${root}/children`).split(' ')) {
    const pid = Number(word);
    if (pid && !tree.has(pid)) tree.set(pid, isChromium(read(`/proc/${pid}/comm`)) ? 'chromium' : 'other');
  }
}

function sample() {
  let chromium = 0;
  let other = 0;
  let processes = 0;
  let privatePages = 0;
  let largestFileSet = 0;
  for (const [pid, kind] of tree) {
    const status = read(`/proc/${pid}/status`);
    if (!status) {
      tree.delete(pid);
      continue;
    }
    const rss = field(status, 'VmRSS');
    if (kind === 'chromium') {
      chromium += rss;
      processes += 1;
      // Distinct estimate: each process's own pages (anon + shmem) plus the largest file-backed set once
      // (Chromium's processes map the same binary and fonts; VmRSS counts those pages in every one).
      privatePages += field(status, 'RssAnon') + field(status, 'RssShmem');
      largestFileSet = Math.max(largestFileSet, field(status, 'RssFile'));
    } else other += rss;
  }
  return { node: field(read(`/proc/${root}/status`), 'VmRSS'), chromium, other, processes, chromiumDistinct: privatePages + largestFileSet };
}

const empty = (): SampledPeak => ({ total: 0, node: 0, chromium: 0, other: 0, processes: 0, distinct: 0, samples: 0 });
let peak = empty();
let ticks = 0;

function tick(full: boolean): void {
  if (full || ticks % 4 === 0) rescan();
  else quickScan();
  ticks += 1;
  const s = sample();
  peak.samples += 1;
  if (s.node + s.chromium > peak.total) peak = { total: s.node + s.chromium, node: s.node, chromium: s.chromium, other: s.other, processes: s.processes, distinct: peak.distinct, samples: peak.samples };
  peak.distinct = Math.max(peak.distinct, s.node + s.chromiumDistinct);
}

const answer = (message: SamplerAnswer) => process.send!(message);

setInterval(() => tick(false), intervalMs);
process.on('message', (request: SamplerRequest) => {
  if (request === 'reset') {
    peak = empty();
    tick(true);
    answer({ kind: 'reset' });
  } else if (request === 'read') {
    tick(true);
    answer({ kind: 'peak', peak });
  } else if (request === 'stop') process.exit(0);
});
// The parent gone (killed), nothing is left to sample.
process.on('disconnect', () => process.exit(0));
answer({ kind: 'ready' });
