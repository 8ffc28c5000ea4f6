// Memory and event-loop sampling around one request served by this same process.
// - Every 20 ms on the main thread: process.memoryUsage() rss and heapUsed. While the app runs
//   synchronous code (parsing, validation) the main thread cannot sample, so its peaks are lower bounds.
// - Every 20 ms on a worker thread: the process's RSS, which the worker can read while the main
//   thread is busy, so that peak is not missed.
// - The event loop's longest delay (perf_hooks), i.e. how long every other request would have waited.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** A full garbage collection, twice, then a moment for the allocator to settle. */
export async function settle(): Promise<void> {
  collect();
  await new Promise((resolve) => setTimeout(resolve, 50));
  collect();
}

export interface MemoryPeaks {
  /** Peak RSS seen by the worker thread, minus the baseline (bytes). */
  rssPeak: number;
  /** Peak RSS seen by the main thread, minus the baseline (bytes). */
  rssPeakMain: number;
  /** Peak heapUsed seen by the main thread, minus the baseline (bytes). */
  heapPeak: number;
  baseline: { rss: number; heapUsed: number };
  mainSamples: number;
  workerSamples: number;
  /** Longest event-loop delay during the request (ms). */
  maxLoopDelayMs: number;
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
let peak = 0, samples = 0;
const sample = () => { const rss = process.memoryUsage.rss(); if (rss > peak) peak = rss; samples++; };
sample();
const timer = setInterval(sample, 20);
parentPort.on('message', () => { sample(); clearInterval(timer); parentPort.postMessage({ peak, samples }); });
parentPort.postMessage('ready');
`;

/** Runs `work` while sampling; the baseline is taken after a full GC, with the sampling worker already running. */
export async function measure<T>(work: () => Promise<T>): Promise<{ result: T; peaks: MemoryPeaks; ms: number }> {
  await settle();
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  await new Promise<void>((resolve) => worker.once('message', () => resolve()));
  await settle();
  const baseline = process.memoryUsage();
  let rssPeakMain = baseline.rss;
  let heapPeak = baseline.heapUsed;
  let mainSamples = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    if (usage.rss > rssPeakMain) rssPeakMain = usage.rss;
    if (usage.heapUsed > heapPeak) heapPeak = usage.heapUsed;
    mainSamples++;
  };
  const timer = setInterval(sample, 20);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  // The histogram records the delay between two of its timer's turns, so it needs one turn before
  // the work starts, or a stall at the very beginning goes unrecorded.
  await new Promise((resolve) => setTimeout(resolve, 30));
  const started = performance.now();
  let result: T;
  try {
    result = await work();
  } catch (error) {
    loop.disable();
    await worker.terminate();
    throw error;
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - started;
  // Let the loop turn once more, so a stall at the very end of synchronous work is recorded too.
  await new Promise((resolve) => setTimeout(resolve, 25));
  loop.disable();
  sample();
  const fromWorker = await new Promise<{ peak: number; samples: number }>((resolve) => {
    worker.once('message', resolve);
    worker.postMessage('stop');
  });
  await worker.terminate();
  return {
    result,
    ms,
    peaks: {
      rssPeak: Math.max(fromWorker.peak, rssPeakMain) - baseline.rss,
      rssPeakMain: rssPeakMain - baseline.rss,
      heapPeak: heapPeak - baseline.heapUsed,
      baseline: { rss: baseline.rss, heapUsed: baseline.heapUsed },
      mainSamples,
      workerSamples: fromWorker.samples,
      maxLoopDelayMs: loop.max / 1e6,
    },
  };
}
