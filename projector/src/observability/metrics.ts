import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per projector instance, so tests can run several in one process. */
export class ProjectorMetrics {
  readonly registry = new Registry();
  readonly position: Gauge<'projection'>;
  readonly lagEvents: Gauge<'projection'>;
  readonly lagSeconds: Gauge<'projection'>;
  readonly lagEventsExact: Gauge<'projection'>;
  readonly batchEvents: Histogram<'projection'>;
  readonly batchSeconds: Histogram<'projection'>;
  readonly events: Counter<'projection'>;
  readonly errors: Counter<'projection'>;
  readonly active: Gauge<'projection' | 'mode'>;

  constructor(defaults = true) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ service: 'projector' });
    if (defaults) collectDefaultMetrics({ register: this.registry });
    this.position = new Gauge({
      name: 'projector_position',
      help: 'Events in the store up to the projection checkpoint: counted by the event store from the start once (an estimate on a long log), then step by step',
      labelNames: ['projection'],
      registers,
    });
    this.lagEvents = new Gauge({
      name: 'projector_lag_events',
      help: 'Events in the store after the projection checkpoint, when one of its types is among them (see projector_lag_events_exact)',
      labelNames: ['projection'],
      registers,
    });
    this.lagSeconds = new Gauge({
      name: 'projector_lag_seconds',
      help: 'Age of the oldest event the projection has not applied yet (0 when caught up)',
      labelNames: ['projection'],
      registers,
    });
    this.lagEventsExact = new Gauge({
      name: 'projector_lag_events_exact',
      help: '1 when projector_lag_events is a count, 0 when the event store estimated it over a long range',
      labelNames: ['projection'],
      registers,
    });
    this.batchEvents = new Histogram({
      name: 'projector_batch_events',
      help: 'Events per committed batch',
      labelNames: ['projection'],
      buckets: [1, 5, 10, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'projector_batch_duration_seconds',
      help: 'Time to load, apply and commit one batch',
      labelNames: ['projection'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.events = new Counter({ name: 'projector_events_total', help: 'Events applied', labelNames: ['projection'], registers });
    this.errors = new Counter({ name: 'projector_errors_total', help: 'Failed batches', labelNames: ['projection'], registers });
    this.active = new Gauge({
      name: 'projector_active',
      help: '1 while this process holds the projection lease (mode serving or building)',
      labelNames: ['projection', 'mode'],
      registers,
    });
  }
}
