// Peak memory of this process and of the Chromium processes under it. A separate sampler process
// (process-memory-sampler.ts) reads /proc every 50 ms, so a busy event loop here (pdf-lib's join is
// synchronous) does not hide a peak, and the sampler's own memory is not counted as node's.
import { fork, type ChildProcess } from 'node:child_process';

/** The highest values the sampler saw since its last reset, in kB as /proc gives them. */
export interface SampledPeak {
  /** node + Chromium at the sample where their sum was highest, and its parts then. */
  total: number;
  node: number;
  chromium: number;
  other: number;
  processes: number;
  /** Highest node + Chromium counting Chromium's shared file pages once. */
  distinct: number;
  samples: number;
}

/** What this process asks the sampler, and what the sampler answers. */
export type SamplerRequest = 'reset' | 'read' | 'stop';
export type SamplerAnswer = { kind: 'ready' } | { kind: 'reset' } | { kind: 'peak'; peak: SampledPeak };

export interface Peak {
  /** Highest node + Chromium at one instant, and its parts then (MB). */
  totalMb: number;
  nodeMb: number;
  chromiumMb: number;
  /** Chromium processes at that instant. */
  processes: number;
  /** Other children of node (not Chromium: tsx's esbuild, the sampler), for information. */
  otherMb: number;
  /** Highest node + Chromium counting shared file pages once (see the sampler): closer to the memory really used. */
  distinctMb: number;
  samples: number;
}

export class MemorySampler {
  private readonly child: ChildProcess;
  private readonly ready: Promise<unknown>;

  constructor(intervalMs = 50) {
    // The child inherits this process's flags, tsx's loader among them, so it runs its .ts file as it is.
    this.child = fork(new URL('./process-memory-sampler.ts', import.meta.url), [String(process.pid), String(intervalMs)]);
    this.ready = this.next('ready');
  }

  /** Forgets the peak so far and takes a fresh sample. */
  async reset(): Promise<void> {
    await this.ask('reset', 'reset');
  }

  /** The peak since the last reset, including a sample taken now. */
  async read(): Promise<Peak> {
    const answer = await this.ask('read', 'peak');
    const p = answer.peak;
    return { totalMb: p.total / 1024, nodeMb: p.node / 1024, chromiumMb: p.chromium / 1024, otherMb: p.other / 1024, processes: p.processes, distinctMb: p.distinct / 1024, samples: p.samples };
  }

  async stop(): Promise<void> {
    await this.ready;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send('stop' satisfies SamplerRequest);
    await exited;
  }

  private async ask<K extends SamplerAnswer['kind']>(request: SamplerRequest, kind: K): Promise<Extract<SamplerAnswer, { kind: K }>> {
    await this.ready;
    const answer = this.next(kind);
    this.child.send(request);
    return answer;
  }

  private next<K extends SamplerAnswer['kind']>(kind: K): Promise<Extract<SamplerAnswer, { kind: K }>> {
    return new Promise((resolve, reject) => {
      const onExit = () => reject(new Error('the memory sampler exited'));
      const onMessage = (message: SamplerAnswer) => {
        if (message.kind !== kind) return;
        this.child.off('message', onMessage).off('exit', onExit);
        resolve(message as Extract<SamplerAnswer, { kind: K }>);
      };
      this.child.on('message', onMessage).once('exit', onExit);
    });
  }
}
