import { Injectable } from '@nestjs/common';
import {
  Counter,
  CounterConfiguration,
  Gauge,
  GaugeConfiguration,
  Histogram,
  HistogramConfiguration,
  Registry,
  collectDefaultMetrics,
} from 'prom-client';

/** Seconds; from a fast in-memory read to a slow report. */
export const httpDurationBucketsSeconds = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * The Prometheus registry of this app instance (one per app, so several apps in one process,
 * as in tests, never collide). Modules add their own metrics through `counter`, `gauge` and
 * `histogram`; asking twice for one name returns the metric registered first.
 *
 *   constructor(metrics: Metrics) {
 *     this.appended = metrics.counter({ name: 'kontor_events_appended_total', help: '...', labelNames: ['store'] });
 *   }
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequestDuration: Histogram<'route' | 'method' | 'status'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.httpRequestDuration = this.histogram({
      name: 'kontor_http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by route pattern, method and status code',
      labelNames: ['route', 'method', 'status'],
      buckets: httpDurationBucketsSeconds,
    });
  }

  counter<Label extends string>(
    config: Omit<CounterConfiguration<Label>, 'registers'>,
  ): Counter<Label> {
    return (
      this.existing<Counter<Label>>(config.name) ??
      new Counter({ ...config, registers: [this.registry] })
    );
  }

  gauge<Label extends string>(config: Omit<GaugeConfiguration<Label>, 'registers'>): Gauge<Label> {
    return (
      this.existing<Gauge<Label>>(config.name) ??
      new Gauge({ ...config, registers: [this.registry] })
    );
  }

  histogram<Label extends string>(
    config: Omit<HistogramConfiguration<Label>, 'registers'>,
  ): Histogram<Label> {
    return (
      this.existing<Histogram<Label>>(config.name) ??
      new Histogram({ ...config, registers: [this.registry] })
    );
  }

  /** The Prometheus text exposition of every metric. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private existing<Metric>(name: string): Metric | undefined {
    return this.registry.getSingleMetric(name) as Metric | undefined;
  }
}
