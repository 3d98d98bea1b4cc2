import { Pool } from 'undici';

const bytesOf = (data) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

/**
 * An OIP v2 binary-extension request body: JSON header, then each input's raw little-endian bytes;
 * every output is asked for in binary too. Encoded once and reused, so the client costs little.
 */
export function binaryInferRequest(inputs, outputNames) {
  const json = JSON.stringify({
    inputs: inputs.map(({ name, datatype, shape, data }) => ({
      name,
      datatype,
      shape,
      parameters: { binary_data_size: data.byteLength },
    })),
    outputs: outputNames.map((name) => ({ name, parameters: { binary_data: true } })),
  });
  const header = Buffer.from(json, 'utf8');
  return {
    body: Buffer.concat([header, ...inputs.map((i) => bytesOf(i.data))]),
    headers: {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(header.length),
    },
  };
}

/** The same request as plain JSON (numbers as text, outputs answered as JSON). */
export function jsonInferRequest(inputs) {
  const json = JSON.stringify({
    inputs: inputs.map(({ name, datatype, shape, data }) => ({
      name,
      datatype,
      shape,
      data: Array.from(data),
    })),
  });
  return { body: Buffer.from(json, 'utf8'), headers: { 'content-type': 'application/json' } };
}

/** Keep-alive connections to one server; `infer` throws on any non-200 answer. */
export function inferClient(url, key, connections = 1) {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const auth = { authorization: `Bearer ${key}` };
  return {
    async infer(model, request) {
      const res = await pool.request({
        method: 'POST',
        path: `/v2/models/${model}/infer`,
        headers: { ...auth, ...request.headers },
        body: request.body,
      });
      const body = Buffer.from(await res.body.arrayBuffer());
      if (res.statusCode !== 200) throw new Error(`infer ${model} → ${res.statusCode}: ${body.toString()}`);
      return { body, headers: res.headers };
    },
    async get(path) {
      const res = await pool.request({ method: 'GET', path });
      await res.body.dump();
      if (res.statusCode !== 200) throw new Error(`GET ${path} → ${res.statusCode}`);
    },
    close: () => pool.close(),
  };
}

/** The binary section of a response (every output requested binary), after its JSON header. */
export function binarySection({ body, headers }) {
  const headerLength = Number(headers['inference-header-content-length']);
  if (!Number.isInteger(headerLength)) throw new Error('response has no binary section');
  return body.subarray(headerLength);
}
