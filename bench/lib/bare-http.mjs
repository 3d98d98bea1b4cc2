/** For the bare servers (bench only): what they share with no framework in between. */

/** The whole body of a node:http request, as one buffer. */
export const readBody = (req) =>
  new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** A single-threaded onnxruntime session on BARE_MODEL_FILE, in this thread. */
export async function bareSession() {
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
  const ort = await import('onnxruntime-node');
  const { singleThreadOptions } = await import('./ort-session.mjs');
  const session = await ort.InferenceSession.create(process.env.BARE_MODEL_FILE, singleThreadOptions);
  return { ort, session };
}
