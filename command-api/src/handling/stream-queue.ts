/**
 * Runs the work for one stream one after another inside this process. Commands on a hot stream
 * (20 parallel adds to one list) then append in turn instead of colliding and retrying; the
 * expected-version check still guards against other instances.
 */
export class StreamQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(stream: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(stream) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => {});
    this.tails.set(stream, tail);
    void tail.then(() => {
      if (this.tails.get(stream) === tail) this.tails.delete(stream);
    });
    return result;
  }

  get size(): number {
    return this.tails.size;
  }
}
