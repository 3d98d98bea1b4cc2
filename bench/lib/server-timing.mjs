/** The runner's own compute time from `server-timing: queue;dur=…, infer;dur=…`, in ms. */
export function inferDurationMs(headers) {
  const match = /infer;dur=([\d.]+)/.exec(String(headers['server-timing'] ?? ''));
  return match ? Number(match[1]) : Number.NaN;
}
