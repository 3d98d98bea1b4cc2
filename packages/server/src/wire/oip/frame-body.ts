export interface RenderedInferBody {
  body: Buffer;
  /** Bytes of the JSON part, for `Inference-Header-Content-Length`; absent when all is JSON. */
  headerLength?: number;
  contentType: string;
}

/** JSON alone, or the JSON header followed by the binary chunks. */
export function frameBody(json: string, chunks: readonly Buffer[]): RenderedInferBody {
  const header = Buffer.from(json, 'utf8');
  if (chunks.length === 0) return { body: header, contentType: 'application/json' };
  return {
    body: Buffer.concat([header, ...chunks]),
    headerLength: header.length,
    contentType: 'application/octet-stream',
  };
}
