import type { CodeSample } from '../components/code-samples.js';

/** Snippets name the key by its variable, never by its value. */
const KEY_VAR = 'MODELPORT_API_KEY';

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** `POST /v1/chat/completions` with `stream: true`, as curl and as JavaScript (Node 20 or a browser). */
export function chatSamples(origin: string, body: object): CodeSample[] {
  const json = JSON.stringify(body, null, 2);
  const curl = [
    `curl -N ${origin}/v1/chat/completions \\`,
    `  -H "Authorization: Bearer $${KEY_VAR}" \\`,
    `  -H 'content-type: application/json' \\`,
    `  -d ${shellQuote(JSON.stringify(body))}`,
  ].join('\n');
  const js = `const res = await fetch('${origin}/v1/chat/completions', {
  method: 'POST',
  headers: {
    authorization: \`Bearer \${process.env.${KEY_VAR}}\`,
    'content-type': 'application/json',
  },
  body: JSON.stringify(${json.replaceAll('\n', '\n  ')}),
});
// Server-sent events: one "data: {json}" per chunk, then "data: [DONE]".
const decoder = new TextDecoder();
let buffer = '';
for await (const bytes of res.body) {
  buffer += decoder.decode(bytes, { stream: true });
  const events = buffer.split('\\n\\n');
  buffer = events.pop();
  for (const event of events) {
    const data = event.replace(/^data: /, '');
    if (data === '[DONE]') continue;
    process.stdout.write(JSON.parse(data).choices[0]?.delta?.content ?? '');
  }
}`;
  return [
    { label: 'curl', code: curl },
    { label: 'JavaScript', code: js },
  ];
}

/** `POST /api/v1/predict/{model}` with the image as a form file, as curl and as JavaScript. */
export function imageSamples(origin: string, model: string, fileName: string, topK: number): CodeSample[] {
  const url = `${origin}/api/v1/predict/${encodeURIComponent(model)}`;
  const curl = [
    `curl -s ${url} \\`,
    `  -H "Authorization: Bearer $${KEY_VAR}" \\`,
    `  -F file=@${shellQuote(fileName)} -F topK=${topK}`,
  ].join('\n');
  const js = `import { readFile } from 'node:fs/promises';

const form = new FormData();
form.append('file', new Blob([await readFile(${JSON.stringify(fileName)})]), ${JSON.stringify(fileName)});
form.append('topK', '${topK}');
const res = await fetch('${url}', {
  method: 'POST',
  headers: { authorization: \`Bearer \${process.env.${KEY_VAR}}\` },
  body: form,
});
console.log(await res.json()); // { task: 'image-classification', predictions: [{ label, score }, …] }`;
  return [
    { label: 'curl', code: curl },
    { label: 'JavaScript', code: js },
  ];
}
