import { Pool } from 'undici';

/**
 * Management calls with a task and config, and multipart task requests (predict, transcriptions),
 * over keep-alive connections; any non-2xx answer throws.
 */
export function taskApi(url, key, connections = 2) {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const auth = { authorization: `Bearer ${key}` };
  const send = async (method, path, headers, body) => {
    const res = await pool.request({
      method,
      path,
      headers: { ...auth, ...headers },
      body,
      // Deploying answers only once the runner has loaded the model.
      headersTimeout: 180_000,
      bodyTimeout: 180_000,
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path} → ${res.statusCode}: ${text}`);
    return res.headers['content-type']?.includes('json') ? JSON.parse(text) : text;
  };
  return {
    json: (method, path, body) =>
      send(method, path, { 'content-type': 'application/json' }, JSON.stringify(body)),
    upload: (name, bytes) =>
      send('POST', `/api/v1/models/${name}/versions`, { 'content-type': 'application/octet-stream' }, bytes),
    /** POSTs a body from `multipartForm`. */
    form: (path, form) => send('POST', path, form.headers, form.body),
    close: () => pool.close(),
  };
}

/**
 * A multipart/form-data body of string `fields` and one `file` ({ bytes, filename, type }),
 * encoded once so repeated requests cost the client little.
 */
export function multipartForm(fields, file) {
  const boundary = `----modelport-bench-${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  const fileHead =
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.filename}"\r\n` +
    `content-type: ${file.type}\r\n\r\n`;
  return {
    body: Buffer.concat([
      Buffer.from(parts.join('') + fileHead),
      file.bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
