import type { RequestMeter } from './metering/request-meter.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's usage meter; set for authenticated requests. */
    usage: RequestMeter | null;
  }
}
