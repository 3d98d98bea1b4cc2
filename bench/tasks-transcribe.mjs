import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { create as createTar } from 'tar';
import { infoFigure } from './lib/figure.mjs';
import { repoRoot, serverDist } from './lib/paths.mjs';
import { percentile, round } from './lib/percentiles.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { multipartForm, taskApi } from './lib/task-api.mjs';

const { parseWavHeader } = await import(serverDist('runtime/pipelines/audio/index.js'));

const modelDir = path.join(repoRoot, '../shared/models/whisper-tiny/Xenova/whisper-tiny');
const audioPath = path.join(repoRoot, '../shared/models/samples/hello-world-this-is-a-test.wav');
const RUNS = 7;

async function tarOf(dir) {
  const chunks = [];
  for await (const chunk of createTar({ cwd: dir, portable: true }, ['.'])) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Audio seconds transcribed per wall second through `POST /v1/audio/transcriptions`: no baseline, no goal. */
export async function tasksTranscribe({ log }) {
  const id = 'tasks-transcribe';
  if (!existsSync(modelDir) || !existsSync(audioPath)) {
    log(`skipped: whisper-tiny (${modelDir}) or the sample WAV is absent`);
    return {
      id,
      title: 'Speech recognition task API (skipped: model absent)',
      figures: [],
      raw: {},
      lines: [],
    };
  }
  const audio = readFileSync(audioPath);
  const { durationS } = parseWavHeader(audio);
  const server = await startServerProcess();
  const api = taskApi(server.url, server.key, 1);
  try {
    await api.json('POST', '/api/v1/models', { name: 'whisper-tiny', task: 'automatic-speech-recognition' });
    const { version } = await api.upload('whisper-tiny', await tarOf(modelDir));
    await api.json('PATCH', `/api/v1/models/whisper-tiny/versions/${version}`, { config: { dtype: 'q8' } });
    await api.json('POST', '/api/v1/deployments', { model: 'whisper-tiny' });

    const form = multipartForm(
      { model: 'whisper-tiny', language: 'en' },
      { bytes: audio, filename: path.basename(audioPath), type: 'audio/wav' },
    );
    const transcribe = () => api.form('/v1/audio/transcriptions', form);
    // The first request pays for session warm-up and lazily built decoder state.
    const first = await transcribe();
    log(`transcript: ${JSON.stringify(first.text)}`);
    const wallS = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await transcribe();
      wallS.push((performance.now() - start) / 1000);
    }
    const medianWallS = percentile(wallS, 50);
    const rtf = durationS / medianWallS;
    return {
      id,
      title: `Speech recognition task API, whisper-tiny q8, ${path.basename(audioPath)}`,
      figures: [infoFigure('transcription audio s per wall s (median)', rtf)],
      raw: {
        audioDurationS: round(durationS),
        wallS: wallS.map((s) => round(s)),
        medianWallS: round(medianWallS),
        realTimeFactor: round(rtf),
        text: first.text,
      },
      lines: [
        `audio ${round(durationS, 2)} s, wall median ${round(medianWallS * 1000, 1)} ms over ${RUNS} runs ` +
          `(min ${round(Math.min(...wallS) * 1000, 1)}, max ${round(Math.max(...wallS) * 1000, 1)})`,
        `${round(rtf, 1)}× real time; transcript ${JSON.stringify(first.text)}`,
      ],
    };
  } finally {
    await api.close();
    await server.close();
  }
}
