/**
 * For bench/gateway-overhead.mjs only: the least a Node process can do for a JSON inference on
 * the adder model. Plain node:http, no auth, no validation, no runner: it reads the body,
 * `JSON.parse`s it, adds the bias to each input value in a Float32Array, and answers the OIP JSON
 * response. Its CPU per request is the floor any Node front has for that request on this machine.
 * Prints `listening on <url>`; stops on SIGTERM. Never serve anything with it.
 */
import http from 'node:http';

const BIAS = 1;

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const { inputs } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const outputs = inputs.map(({ name, shape, data }) => {
      const values = Float32Array.from(data);
      for (let i = 0; i < values.length; i++) values[i] += BIAS;
      return { name: name === 'x' ? 'y' : name, datatype: 'FP32', shape, data: Array.from(values) };
    });
    const body = JSON.stringify({ model_name: req.url.split('/')[3], outputs });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(
    `bare JSON server (bench only): listening on http://127.0.0.1:${server.address().port}\n`,
  );
});
process.once('SIGTERM', () => process.exit(0));
