/**
 * Runs `work` one at a time: a call while it runs does not start a second run but asks for one
 * more after it, so any number of wake-ups during a run cost one extra run (a drain loop, a sender).
 * A run's error goes to `onError`; the caller's promise still resolves, to undefined.
 */
export class CoalescingRunner<T> {
  private running?: Promise<T | undefined>;
  private again = false;

  constructor(
    private readonly work: () => Promise<T>,
    private readonly onError: (err: Error) => void,
  ) {}

  run(): Promise<T | undefined> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let result: T | undefined;
      try {
        do {
          this.again = false;
          result = await this.work();
        } while (this.again);
      } catch (err) {
        this.onError(err as Error);
        result = undefined;
      } finally {
        this.running = undefined;
      }
      return result;
    })();
    return this.running;
  }
}
