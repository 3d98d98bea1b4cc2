import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio, inspectAudio } from '../../src/runtime/pipelines/audio/index.js';
import { mulberry32 } from '../../src/training/index.js';
import { type InProcessRunner, startInProcessRunner } from '../support/in-process-runner.js';
import { sharedModel, sharedModelsDir } from '../support/shared-models.js';
import { sincInterpolate, snrDb } from '../support/test-signals.js';
import { encodeWav, readPcm16Mono } from '../support/wav-writer.js';

const whisperFolder = 'whisper-tiny/Xenova/whisper-tiny';
const sampleWav = 'samples/hello-world-this-is-a-test.wav';
const expectedText = 'hello world. this is a test.';

let runner: InProcessRunner | undefined;
let client: Pool;
let dir: string;
let sample: Uint8Array;

beforeAll(async () => {
  const needed = [path.join(whisperFolder, 'config.json'), sampleWav];
  if (!needed.every((file) => existsSync(path.join(sharedModelsDir, file)))) return;
  sample = new Uint8Array(readFileSync(path.join(sharedModelsDir, sampleWav)));
  dir = await mkdtemp(path.join(os.tmpdir(), 'modelport-whisper-'));
  const socketPath = path.join(dir, 'whisper.sock');
  const started = performance.now();
  runner = await startInProcessRunner({
    backend: 'transformers',
    listen: { socketPath },
    modelPath: path.join(sharedModelsDir, whisperFolder),
    threads: 2,
    maxQueueSize: 1,
    timeoutMs: 60_000,
    maxBodyBytes: 64 * 1024 * 1024,
    // No dtype: the folder holds only quantized files (q8), which the runner finds by itself.
    options: { task: 'automatic-speech-recognition' },
  });
  console.log(`whisper-tiny load: ${(performance.now() - started).toFixed(0)} ms`);
  client = new Pool('http://localhost', { socketPath, connections: 4 });
});
afterAll(async () => {
  await client?.close();
  await runner?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The runner, or a skip (printed) when the shared models are absent; under CI=true a failure. */
function need(ctx: { skip: (note?: string) => void }): InProcessRunner {
  sharedModel(`${whisperFolder}/config.json`, ctx);
  sharedModel(sampleWav, ctx);
  if (!runner) throw new Error('the whisper runner did not start');
  return runner;
}

async function transcribe(r: InProcessRunner, wav: Uint8Array, extra: object = {}) {
  const payload = {
    task: 'automatic-speech-recognition',
    audio: Buffer.from(wav).toString('base64'),
    ...extra,
  };
  const res = await r.server.inject({ method: 'POST', url: '/v1/predict', payload });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

/**
 * The 16 kHz mono sample as 44.1 kHz stereo float32, with noise that only the channel average
 * cancels. Interpolated band-limited (windowed sinc), so it carries the same signal: linear
 * interpolation would dull 4–8 kHz by up to 4 dB and leave images above 8 kHz.
 */
function asStereo44k(wav: Uint8Array): Uint8Array {
  const { sampleRate, samples } = readPcm16Mono(wav);
  const rate = 44_100;
  const speech = sincInterpolate(samples, sampleRate, rate);
  const random = mulberry32(11);
  const left = new Float32Array(speech.length);
  const right = new Float32Array(speech.length);
  for (let i = 0; i < speech.length; i++) {
    const noise = (random() - 0.5) * 0.6;
    left[i] = (speech[i] as number) + noise;
    right[i] = (speech[i] as number) - noise;
  }
  return encodeWav({ sampleRate: rate, channels: [left, right], encoding: 'float', bitsPerSample: 32 });
}

/** `seconds` of silence, then the sample. */
function afterSilence(wav: Uint8Array, seconds: number): Uint8Array {
  const { sampleRate, samples } = readPcm16Mono(wav);
  const long = new Float32Array(seconds * sampleRate + samples.length);
  long.set(samples, seconds * sampleRate);
  return encodeWav({ sampleRate, channels: [long] });
}

/** The sample repeated to about `seconds`, for work long enough to interrupt. */
function repeated(wav: Uint8Array, seconds: number): Uint8Array {
  const { sampleRate, samples } = readPcm16Mono(wav);
  const copies = Math.ceil((seconds * sampleRate) / samples.length);
  const long = new Float32Array(samples.length * copies);
  for (let c = 0; c < copies; c++) long.set(samples, c * samples.length);
  return encodeWav({ sampleRate, channels: [long] });
}

async function stats(): Promise<{ running: number; waiting: number }> {
  const res = await client.request({ method: 'GET', path: '/v1/stats' });
  return (await res.body.json()) as { running: number; waiting: number };
}

/** Polls `/v1/stats` until `done` holds (within 20 s) and returns what it last saw. */
async function statsBecome(
  done: (s: { running: number; waiting: number }) => boolean,
): Promise<{ running: number; waiting: number }> {
  const started = performance.now();
  for (;;) {
    const s = await stats();
    if (done(s) || performance.now() - started > 20_000) return s;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function idleWithin(ms: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < ms) {
    const s = await stats();
    if (s.running === 0 && s.waiting === 0) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the runner was still busy after ${ms} ms`);
}

describe('whisper-tiny through the transformers runner', () => {
  it('loads with no dtype configured (the folder holds only q8 files) and transcribes the 16 kHz sample', async (ctx) => {
    const r = need(ctx);
    const info = await r.server.inject({ method: 'GET', url: '/v1/info' });
    expect(info.json()).toEqual({ task: 'automatic-speech-recognition', modelType: 'whisper', dtype: 'q8' });
    for (const round of ['first', 'warm']) {
      const started = performance.now();
      const { status, body } = await transcribe(r, sample, { language: 'en' });
      console.log(
        `whisper-tiny ${round} transcription of 3.9 s: ${(performance.now() - started).toFixed(0)} ms`,
      );
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.text.trim().toLowerCase()).toBe(expectedText);
      expect(body.durationS).toBeCloseTo(3.9, 1);
      expect(body.language).toBe('en');
      expect(body.chunks).toBeUndefined();
    }
  });

  it('transcribes the same speech as 44.1 kHz stereo float32 (resampling and channel averaging)', async (ctx) => {
    const r = need(ctx);
    const stereo = asStereo44k(sample);
    // What the model is given: the mono original again, up to the resampler's roll-off above 6.5 kHz
    // (39.6 dB measured). A one-sample shift gives 7 dB, one channel instead of the average -2 dB.
    const decoded = await decodeAudio(inspectAudio(stereo), 16_000);
    const original = readPcm16Mono(sample).samples;
    expect(Math.abs(decoded.samples.length - original.length)).toBeLessThanOrEqual(1);
    const matchDb = snrDb(decoded.samples, original);
    console.log(`44.1 kHz stereo fixture decoded against the 16 kHz original: ${matchDb.toFixed(1)} dB`);
    expect(matchDb).toBeGreaterThan(32);
    const { status, body } = await transcribe(r, stereo, { language: 'EN-us' });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.text.trim().toLowerCase()).toBe(expectedText);
    expect(body.language).toBe('en');
  });

  it('gives timestamped chunks on request', async (ctx) => {
    const r = need(ctx);
    const { body } = await transcribe(r, sample, { timestamps: true });
    expect(body.chunks.length).toBeGreaterThan(0);
    let previous = 0;
    for (const chunk of body.chunks as { text: string; start: number; end: number | null }[]) {
      expect(chunk.start).toBeGreaterThanOrEqual(previous);
      expect(chunk.end ?? body.durationS).toBeGreaterThan(chunk.start);
      previous = chunk.end ?? chunk.start;
    }
    expect(
      body.chunks
        .map((c: { text: string }) => c.text)
        .join(' ')
        .toLowerCase(),
    ).toBe(expectedText);
    // The same text as without timestamps: chunks are how it was decoded, not a second opinion.
    expect(body.text.toLowerCase()).toBe(expectedText);
    expect(body.chunks.at(-1).end).toBeLessThanOrEqual(body.durationS);
  });

  it('transcribes speech beyond the first 30-second window (long audio goes window by window)', async (ctx) => {
    const r = need(ctx);
    const started = performance.now();
    const { status, body } = await transcribe(r, afterSilence(sample, 32), { language: 'en' });
    console.log(
      `whisper-tiny transcription of ${body.durationS} s: ${(performance.now() - started).toFixed(0)} ms`,
    );
    expect(status).toBe(200);
    expect(body.durationS).toBeGreaterThan(35);
    // Silence is not decoded (whisper would make up words over it); the speech after 30 s must be there.
    expect(body.text.toLowerCase()).toMatch(/hello world\. this is a test\.$/);
  });

  it('refuses empty, garbage, hours-long, FLAC input and unknown languages before queueing', async (ctx) => {
    const r = need(ctx);
    const empty = encodeWav({ sampleRate: 16_000, channels: [new Float32Array()] });
    const garbage = new TextEncoder().encode('definitely not a wave file, just bytes');
    const tenHours = encodeWav({
      sampleRate: 16_000,
      channels: [new Float32Array(16)],
      declaredDataBytes: 16_000 * 2 * 3600 * 10,
    });
    const flac = new Uint8Array([0x66, 0x4c, 0x61, 0x43, 0, 0, 0, 34, ...new Uint8Array(34)]);
    expect(await transcribe(r, empty)).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(await transcribe(r, garbage)).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(await transcribe(r, tenHours)).toMatchObject({ status: 413, body: { code: 'media_too_large' } });
    expect(await transcribe(r, flac)).toMatchObject({
      status: 415,
      body: { code: 'unsupported_media', param: 'audio' },
    });
    const klingon = await transcribe(r, sample, { language: 'tlh' });
    expect(klingon).toMatchObject({ status: 400, body: { code: 'validation_failed', param: 'language' } });
    expect(klingon.body.error).toContain("Unknown language 'tlh'");
  });

  it('runs one at a time: with one waiting, a third request gets 503 queue_full and Retry-After', async (ctx) => {
    const r = need(ctx);
    const results = await Promise.all([transcribe(r, sample), transcribe(r, sample), transcribe(r, sample)]);
    expect(results.map((x) => x.status).sort()).toEqual([200, 200, 503]);
    const refused = results.find((x) => x.status === 503);
    expect(refused?.body.code).toBe('queue_full');
    expect(refused?.headers['retry-after']).toBe('1');
  });

  it('drops a queued request whose caller disconnects, and stops a running one within a decoder step', async (ctx) => {
    need(ctx);
    // Four minutes of speech: eight windows, seconds of work even on a fast CPU, so the first request
    // is still running when the test aborts it.
    const long = Buffer.from(repeated(sample, 240)).toString('base64');
    const body = JSON.stringify({ task: 'automatic-speech-recognition', audio: long });
    const send = (signal: AbortSignal) =>
      client.request({
        method: 'POST',
        path: '/v1/predict',
        headers: { 'content-type': 'application/json' },
        body,
        signal,
      });
    const running = new AbortController();
    const queued = new AbortController();
    try {
      await idleWithin(30_000);
      const first = send(running.signal).catch((err: unknown) => err);
      // The runner reads requests between onnxruntime runs, which block its event loop (the encoder
      // for up to a second here), so each step is awaited, not timed.
      await statsBecome((s) => s.running === 1);
      const second = send(queued.signal).catch((err: unknown) => err);
      expect(await statsBecome((s) => s.waiting === 1)).toEqual({ running: 1, waiting: 1 });
      queued.abort();
      await second;
      expect(await statsBecome((s) => s.waiting === 0)).toEqual({ running: 1, waiting: 0 });
      running.abort();
      await first;
      const freedMs = await idleWithin(5_000);
      console.log(`whisper-tiny stopped ${freedMs.toFixed(0)} ms after its caller went away`);
      expect(freedMs).toBeLessThan(1_500);
    } finally {
      running.abort();
      queued.abort();
    }
  });

  it('answers 504 when the deadline passes mid-transcription, and frees the runner', async (ctx) => {
    const r = need(ctx);
    await idleWithin(30_000);
    const res = await r.server.inject({
      method: 'POST',
      url: '/v1/predict',
      headers: { 'x-timeout-ms': '300' },
      payload: {
        task: 'automatic-speech-recognition',
        // Two minutes: four windows, far more than 300 ms of work on any CPU.
        audio: Buffer.from(repeated(sample, 120)).toString('base64'),
      },
    });
    expect(res.statusCode).toBe(504);
    expect(res.json()).toMatchObject({ code: 'deadline_exceeded' });
    expect(res.json().error).toContain('while it was running');
    await idleWithin(1_500);
  });
});
