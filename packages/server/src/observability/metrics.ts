import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createInferenceMetrics, type InferenceMetrics } from './inference-metrics.js';
import { InferenceStats } from './inference-stats.js';
import { SeriesCounter, SeriesHistogram } from './series-metrics.js';

export interface Metrics {
  registry: Registry;
  httpRequests: SeriesCounter<'method' | 'route' | 'status'>;
  httpDuration: SeriesHistogram<'method' | 'route'>;
  inference: InferenceMetrics;
  /** The same requests for Triton's statistics extension (`/v2/models/stats`). */
  inferenceStats: InferenceStats;
}

/** One registry per app instance, so several servers in one process (tests) keep apart. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'modelport_' });
  return {
    registry,
    httpRequests: new SeriesCounter({
      name: 'modelport_http_requests_total',
      help: 'HTTP requests by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new SeriesHistogram({
      name: 'modelport_http_request_duration_seconds',
      help: 'HTTP request duration by route template',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers: [registry],
    }),
    inference: createInferenceMetrics(registry),
    inferenceStats: new InferenceStats(),
  };
}

export function installMetrics(app: FastifyInstance, metrics: Metrics, publicEndpoint: boolean): void {
  const seriesOf = httpSeries(metrics);
  app.addHook('onResponse', (request, reply, done) => {
    const series = seriesOf(request.routeOptions.url ?? 'unmatched', request.method);
    series.requests(reply.statusCode).inc();
    series.duration.observe(reply.elapsedTime / 1000);
    done();
  });
  app.get(
    '/metrics',
    {
      config: { auth: publicEndpoint ? false : { scopes: ['metrics'] } },
      schema: { tags: ['observability'], summary: 'Prometheus metrics (scope `metrics` unless made public)' },
    },
    async (_request, reply) =>
      reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}

interface HttpSeries {
  duration: { observe(seconds: number): void };
  requests(status: number): { inc(): void };
}

/** Children per route template, method and status, made once: a response records without label objects. */
function httpSeries(metrics: Metrics): (route: string, method: string) => HttpSeries {
  const routes = new Map<string, Map<string, HttpSeries>>();
  const make = (route: string, method: string): HttpSeries => {
    const byStatus = new Map<number, { inc(): void }>();
    return {
      duration: metrics.httpDuration.series(method, route),
      requests(status) {
        let child = byStatus.get(status);
        if (!child) {
          child = metrics.httpRequests.series(method, route, String(status));
          byStatus.set(status, child);
        }
        return child;
      },
    };
  };
  return (route, method) => {
    let methods = routes.get(route);
    if (!methods) {
      methods = new Map();
      routes.set(route, methods);
    }
    let series = methods.get(method);
    if (!series) {
      series = make(route, method);
      methods.set(method, series);
    }
    return series;
  };
}
