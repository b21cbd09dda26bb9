import { CoalescingRunner } from './coalescing-runner';
import { PushIterator } from './push-iterator';

describe('CoalescingRunner', () => {
  it('runs one at a time and turns any number of calls during a run into one more run', async () => {
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const runner = new CoalescingRunner(
      async () => {
        runs++;
        if (runs === 1) await gate;
        return runs;
      },
      () => undefined,
    );
    const first = runner.run();
    void runner.run();
    void runner.run();
    release();
    expect(await first).toBe(2);
    expect(runs).toBe(2);
  });

  it('reports a failed run and resolves to undefined', async () => {
    const errors: string[] = [];
    const runner = new CoalescingRunner(
      async () => {
        throw new Error('boom');
      },
      (e) => errors.push(e.message),
    );
    expect(await runner.run()).toBeUndefined();
    expect(errors).toEqual(['boom']);
  });
});

describe('PushIterator', () => {
  it('delivers pushed values in order, to a waiting reader too, and ends once', async () => {
    let closes = 0;
    const it = new PushIterator<number>(() => closes++);
    it.push(1);
    const waiting = (async () => [(await it.next()).value, (await it.next()).value])();
    it.push(2);
    expect(await waiting).toEqual([1, 2]);
    const pending = it.next();
    it.end();
    expect(await pending).toEqual({ value: undefined, done: true });
    await it.return();
    expect(closes).toBe(1);
    it.push(3);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('fails after what was queued', async () => {
    const it = new PushIterator<string>();
    it.push('a');
    it.end(new Error('revoked'));
    expect(await it.next()).toEqual({ value: 'a', done: false });
    await expect(it.next()).rejects.toThrow('revoked');
  });
});
