/**
 * A Prometheus counter of one label, cheap to count on the message path:
 * `inc` adds to a plain Map, and the counts reach prom-client's counter when
 * it is read (a scrape calls `collect` first), so reads stay exact. A frame
 * then costs a Map update instead of prom-client's label validation and
 * label hashing (a string built per call) [issue 23: metrics off the
 * per-message path].
 *
 * @module
 */

import { Counter, type CounterConfiguration, type LabelValues } from 'prom-client';

export class TalliedCounter<T extends string> extends Counter<T> {
  private readonly pending = new Map<string, number>();
  private readonly label: T;
  /** prom-client's own `inc`, which the flush calls. */
  private readonly add: (labels: LabelValues<T>, value: number) => void;

  constructor(config: CounterConfiguration<T> & { labelNames: readonly [T] }) {
    super({
      ...config,
      collect(this: Counter<T>) {
        (this as TalliedCounter<T>).flush();
      },
    });
    this.label = config.labelNames[0];
    // prom-client sets `inc` on the instance: keep it for the flush, count in the Map meanwhile.
    this.add = this.inc.bind(this) as (labels: LabelValues<T>, value: number) => void;
    this.inc = ((labels: LabelValues<T>, value: number = 1) => {
      const key = labels[this.label] as string;
      this.pending.set(key, (this.pending.get(key) ?? 0) + value);
    }) as Counter<T>['inc'];
  }

  private flush(): void {
    for (const [key, value] of this.pending) this.add({ [this.label]: key } as LabelValues<T>, value);
    this.pending.clear();
  }
}
