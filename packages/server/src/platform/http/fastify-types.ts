declare module 'fastify' {
  interface FastifyRequest {
    /** The catalog code of the error answered, for the usage ledger. */
    errorCode: string | null;
  }
}

export {};
