import type { CodeSample } from '../components/code-samples.js';
import { pythonKwargs, pythonLiteral } from './python-literal.js';

/** Snippets name the key by its variable, never by its value. */
const KEY_VAR = 'MODELPORT_API_KEY';

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function curlJson(url: string, body: object, stream = false): string {
  return [
    `curl ${stream ? '-N' : '-s'} ${url} \\`,
    `  -H "Authorization: Bearer $${KEY_VAR}" \\`,
    `  -H 'content-type: application/json' \\`,
    `  -d ${shellQuote(JSON.stringify(body))}`,
  ].join('\n');
}

const openaiJs = (origin: string) => `import OpenAI from 'openai';

const client = new OpenAI({ baseURL: '${origin}/v1', apiKey: process.env.${KEY_VAR} });`;

const openaiPython = (origin: string) => `import os
from openai import OpenAI

client = OpenAI(base_url="${origin}/v1", api_key=os.environ["${KEY_VAR}"])`;

function jsArgs(body: object): string {
  return JSON.stringify(body, null, 2);
}

/** `POST /v1/chat/completions` with `stream: true`, as curl, JavaScript (openai) and Python (openai). */
export function chatSamples(origin: string, body: Record<string, unknown>): CodeSample[] {
  const js = `${openaiJs(origin)}

const stream = await client.chat.completions.create(${jsArgs(body)});
// Server-sent events: one chunk per piece of the answer.
for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? '');`;
  const py = `${openaiPython(origin)}

stream = client.chat.completions.create(
${pythonKwargs(body)}
)
for chunk in stream:
    print(chunk.choices[0].delta.content or "", end="", flush=True)`;
  return [
    { label: 'curl', code: curlJson(`${origin}/v1/chat/completions`, body, true) },
    { label: 'JavaScript', code: js },
    { label: 'Python', code: py },
  ];
}

/** `POST /v1/completions`: a prompt continued. */
export function completionSamples(origin: string, body: Record<string, unknown>): CodeSample[] {
  const js = `${openaiJs(origin)}

const completion = await client.completions.create(${jsArgs(body)});
console.log(completion.choices[0].text);`;
  const py = `${openaiPython(origin)}

completion = client.completions.create(
${pythonKwargs(body)}
)
print(completion.choices[0].text)`;
  return [
    { label: 'curl', code: curlJson(`${origin}/v1/completions`, body) },
    { label: 'JavaScript', code: js },
    { label: 'Python', code: py },
  ];
}

/** `POST /v1/embeddings` of two texts, and their cosine similarity. */
export function embeddingSamples(origin: string, body: Record<string, unknown>): CodeSample[] {
  const js = `${openaiJs(origin)}

const { data } = await client.embeddings.create(${jsArgs(body)});
const [a, b] = data.map((d) => d.embedding);
const dot = (x, y) => x.reduce((s, v, i) => s + v * y[i], 0);
console.log('cosine similarity', dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b)));`;
  const py = `import math
${openaiPython(origin)}

data = client.embeddings.create(
${pythonKwargs(body)}
).data
a, b = (d.embedding for d in data)
dot = lambda x, y: sum(p * q for p, q in zip(x, y))
print("cosine similarity", dot(a, b) / math.sqrt(dot(a, a) * dot(b, b)))`;
  return [
    { label: 'curl', code: curlJson(`${origin}/v1/embeddings`, body) },
    { label: 'JavaScript', code: js },
    { label: 'Python', code: py },
  ];
}

/** `POST /v1/audio/transcriptions` with a WAV file as a form field. */
export function transcriptionSamples(origin: string, model: string, fileName: string): CodeSample[] {
  const curl = [
    `curl -s ${origin}/v1/audio/transcriptions \\`,
    `  -H "Authorization: Bearer $${KEY_VAR}" \\`,
    `  -F model=${shellQuote(model)} -F file=@${shellQuote(fileName)}`,
  ].join('\n');
  const js = `import { createReadStream } from 'node:fs';
${openaiJs(origin)}

const transcription = await client.audio.transcriptions.create({
  model: ${JSON.stringify(model)},
  file: createReadStream(${JSON.stringify(fileName)}),
});
console.log(transcription.text);`;
  const py = `${openaiPython(origin)}

with open(${JSON.stringify(fileName)}, "rb") as audio:
    transcription = client.audio.transcriptions.create(model=${JSON.stringify(model)}, file=audio)
print(transcription.text)`;
  return [
    { label: 'curl', code: curl },
    { label: 'JavaScript', code: js },
    { label: 'Python', code: py },
  ];
}

/** Any JSON POST of the native API (predict, OIP): curl, fetch, and Python's requests. */
export function jsonPostSamples(url: string, body: object, readAnswer: string): CodeSample[] {
  const js = `const res = await fetch('${url}', {
  method: 'POST',
  headers: {
    authorization: \`Bearer \${process.env.${KEY_VAR}}\`,
    'content-type': 'application/json',
  },
  body: JSON.stringify(${JSON.stringify(body, null, 2).replaceAll('\n', '\n  ')}),
});
console.log(await res.json()); // ${readAnswer}`;
  const py = `import os
import requests

res = requests.post(
    "${url}",
    headers={"Authorization": f"Bearer {os.environ['${KEY_VAR}']}"},
    json=${pythonLiteral(body, 4)},
)
print(res.json())  # ${readAnswer}`;
  return [
    { label: 'curl', code: curlJson(url, body) },
    { label: 'JavaScript', code: js },
    { label: 'Python', code: py },
  ];
}

/** `POST /api/v1/predict/{model}` with the image as a form file. */
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
  const py = `import os
import requests

with open(${JSON.stringify(fileName)}, "rb") as image:
    res = requests.post(
        "${url}",
        headers={"Authorization": f"Bearer {os.environ['${KEY_VAR}']}"},
        files={"file": image},
        data={"topK": ${topK}},
    )
print(res.json())  # {"task": "image-classification", "predictions": [{"label", "score"}, ...]}`;
  return [
    { label: 'curl', code: curl },
    { label: 'JavaScript', code: js },
    { label: 'Python', code: py },
  ];
}
