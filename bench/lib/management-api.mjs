import { Pool } from 'undici';

/** The few management calls a benchmark needs, failing loudly on any non-2xx answer. */
export function managementApi(url, key) {
  const pool = new Pool(url, { connections: 2 });
  const call = async (method, path, body) => {
    const json = body !== undefined && !(body instanceof Uint8Array);
    const res = await pool.request({
      method,
      path,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined
          ? {}
          : { 'content-type': json ? 'application/json' : 'application/octet-stream' }),
      },
      body: body === undefined ? null : json ? JSON.stringify(body) : body,
      // Deploying answers only once the runner has loaded the model.
      headersTimeout: 180_000,
      bodyTimeout: 180_000,
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path} → ${res.statusCode}: ${text}`);
    return text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : text;
  };
  const api = {
    /** Registers ONNX bytes as a new model; resolves to the version number. */
    async register(name, bytes) {
      await call('POST', '/api/v1/models', { name });
      return (await call('POST', `/api/v1/models/${name}/versions`, Buffer.from(bytes))).version;
    },
    /** Serves a version with one single-threaded runner unless `settings` says otherwise. */
    deploy: (name, model, version, settings = {}) =>
      call('POST', '/api/v1/deployments', {
        name,
        model,
        version,
        instances: 1,
        threads: 1,
        batching: { maxBatchSize: 1 },
        maxQueueSize: 256,
        timeoutMs: 60_000,
        ...settings,
      }),
    undeploy: (name) => call('DELETE', `/api/v1/deployments/${name}`),
    /** `GET /api/v1/deployments/{name}`: status, `scaling[]` (current, desired), instances. */
    deployment: (name) => call('GET', `/api/v1/deployments/${name}`),
    /** Uploads ONNX bytes as the next version of a model; resolves to the version number. */
    async addVersion(name, bytes) {
      return (await call('POST', `/api/v1/models/${name}/versions`, Buffer.from(bytes))).version;
    },
    setVariants: (name, variants) => call('PUT', `/api/v1/deployments/${name}/variants`, { variants }),
    startRollout: (name, body) => call('POST', `/api/v1/deployments/${name}/rollouts`, body),
    rollout: (name, id = 'current') => call('GET', `/api/v1/deployments/${name}/rollouts/${id}`),
    async registerAndDeploy(name, bytes, settings) {
      return api.deploy(name, name, await api.register(name, bytes), settings);
    },
    /** `POST /api/v1/keys`; resolves to `{ id, key, … }` (the secret is shown this once). */
    createKey: (body) => call('POST', '/api/v1/keys', body),
    /** Ledger rows of the key's project, per model (`GET /api/v1/usage?groupBy=model`). */
    usage: () => call('GET', '/api/v1/usage?groupBy=model'),
    /** Prometheus text of `/metrics`. */
    metrics: () => call('GET', '/metrics'),
    close: () => pool.close(),
  };
  return api;
}
