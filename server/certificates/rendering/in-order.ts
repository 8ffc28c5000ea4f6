// A bounded fan-out that keeps order: the batch renderer and the print job worker keep as many
// chunks in flight as the renderer has pages, and store or join them in the order they were cut.

/**
 * Runs `work` over the items with at most `width` in flight and hands the results to `take` in the
 * items' order. The first failure stops new work and is thrown once the started work has settled.
 */
export async function inOrder<T, R>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<R>, take: (result: R, index: number) => Promise<void>): Promise<void> {
  const started: Promise<R>[] = [];
  const start = (index: number) => {
    const promise = work(items[index]!, index);
    promise.catch(() => undefined); // observed below, in order; not an unhandled rejection meanwhile
    started.push(promise);
  };
  try {
    for (let index = 0; index < Math.min(width, items.length); index++) start(index);
    for (let index = 0; index < items.length; index++) {
      const result = await started[index]!;
      if (started.length < items.length) start(started.length);
      await take(result, index);
    }
  } finally {
    await Promise.allSettled(started);
  }
}
