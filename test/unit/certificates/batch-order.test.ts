// The batch path's ordering: a batch keeps as many chunks in flight as the renderer has pages, in order.
import { expect } from 'chai';
import { inOrder } from '../../../server/certificates/rendering/in-order.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('batch path: chunks in flight, results in order', () => {
  it('keeps at most `width` items running and hands results over in the items\' order', async () => {
    let running = 0;
    let most = 0;
    const taken: number[] = [];
    // Later items finish first: the order handed over must still be the items' order.
    await inOrder([50, 40, 30, 20, 10, 5], 2, async (delay, index) => {
      running += 1;
      most = Math.max(most, running);
      await sleep(delay);
      running -= 1;
      return index;
    }, async (result) => {
      taken.push(result);
    });
    expect(taken).to.deep.equal([0, 1, 2, 3, 4, 5]);
    expect(most).to.equal(2);
  });

  it('stops starting new work after a failure, lets the started work settle, and throws the failure', async () => {
    const started: number[] = [];
    const taken: number[] = [];
    let settled = 0;
    const failure = await inOrder([0, 1, 2, 3, 4], 2, async (item) => {
      started.push(item);
      await sleep(item === 1 ? 5 : 20);
      settled += 1;
      if (item === 1) throw new Error('chunk 1 failed');
      return item;
    }, async (result) => {
      taken.push(result);
    }).then(() => undefined, (error: Error) => error);
    expect(failure?.message).to.equal('chunk 1 failed');
    expect(taken).to.deep.equal([0]);
    expect(started).to.deep.equal([0, 1, 2]); // 2 was started when 0 was taken; nothing after the failure
    expect(settled).to.equal(3);
  });
});
