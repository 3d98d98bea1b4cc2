import { readFile } from 'node:fs/promises';
import { figure, infoFigure } from './lib/figure.mjs';
import { benchGgufLabel, llmThreads, withBenchGguf } from './lib/gguf-model.mjs';
import { loadInProcessLlm } from './lib/llama-in-process.mjs';
import { percentile, round } from './lib/percentiles.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { completionStreamer } from './lib/sse-completions.mjs';

const STREAMS = 4;
const PROMPTS = ['Once upon a time', 'The little dog', 'One day a girl', 'In the park'];
const MAX_TOKENS = 128;
/** Per sequence, as node-llama-cpp and the deployment's `llm.contextSize` both count it. */
const CONTEXT_SIZE = 512;
const WARMUP = 1;
const ROUNDS = 4;

/** Tokens of every stream ÷ wall time from the first request to the last token of any stream. */
async function aggregate(streams, complete) {
  const runs = await Promise.all(Array.from({ length: streams }, (_, i) => complete(i, PROMPTS[i])));
  const start = Math.min(...runs.map((r) => r.startMs));
  const end = Math.max(...runs.map((r) => r.lastMs));
  const tokens = runs.reduce((n, r) => n + r.tokens, 0);
  return { tokens, tokPerS: (tokens * 1000) / (end - start) };
}

function summarize(runs) {
  const rates = runs.map((r) => r.tokPerS);
  return { tokPerS: round(percentile(rates, 50), 1), tokensPerRun: runs[0].tokens, runs: runs.length };
}

/**
 * Aggregate tokens/s of four concurrent streams through a deployment with `llm.parallel: 4` ÷ the
 * same four streams in-process on one context with four sequences; and what four streams gain
 * over one on each side.
 */
export async function llmParallel({ log }) {
  const threads = llmThreads;
  log(`model: ${benchGgufLabel}, ${threads} thread(s) on each side, ${STREAMS} streams`);
  return withBenchGguf(async (ggufPath) => {
    const server = await startServerProcess();
    const streamer = completionStreamer(server.url, server.key, STREAMS);
    let local;
    try {
      const version = await server.api.register('llm', await readFile(ggufPath));
      await server.api.deploy('llm', 'llm', version, {
        threads,
        llm: { parallel: STREAMS, contextSize: CONTEXT_SIZE },
      });
      local = await loadInProcessLlm({
        path: ggufPath,
        threads,
        contextSize: CONTEXT_SIZE,
        sequences: STREAMS,
      });
      const sides = {
        server: (streams) => aggregate(streams, (_, prompt) => streamer.complete('llm', prompt, MAX_TOKENS)),
        inProcess: (streams) => aggregate(streams, (i, prompt) => local.complete(i, prompt, MAX_TOKENS)),
      };
      const cases = Object.keys(sides).flatMap((side) => [1, STREAMS].map((streams) => ({ side, streams })));
      const key = ({ side, streams }) => `${side}×${streams}`;
      const samples = Object.fromEntries(cases.map((c) => [key(c), []]));
      for (let r = 0; r < WARMUP + ROUNDS; r++) {
        // Each round runs every case once, in an order turned by one each round against drift.
        for (let i = 0; i < cases.length; i++) {
          const c = cases[(i + r) % cases.length];
          const result = await sides[c.side](c.streams);
          if (r >= WARMUP) samples[key(c)].push(result);
        }
      }
      const summary = Object.fromEntries(Object.entries(samples).map(([k, runs]) => [k, summarize(runs)]));
      const tokPerS = (side, streams) => summary[key({ side, streams })].tokPerS;
      const ratio = tokPerS('server', STREAMS) / tokPerS('inProcess', STREAMS);
      log(
        `${STREAMS} streams: server ${tokPerS('server', STREAMS)} tok/s, in-process ${tokPerS('inProcess', STREAMS)} tok/s`,
      );
      const describe = (name, side) =>
        `${name.padEnd(11)} ${STREAMS} streams ${tokPerS(side, STREAMS)} tok/s  1 stream ${tokPerS(side, 1)} tok/s  ` +
        `→ ${round(tokPerS(side, STREAMS) / tokPerS(side, 1), 2)}×`;
      return {
        id: 'llm-parallel',
        title: `${STREAMS} concurrent streams, ${benchGgufLabel}, ${threads} thread(s), one context of ${STREAMS} sequences`,
        figures: [
          figure(`LLM ${STREAMS}-stream tok/s server ÷ in-process`, ratio, '>=', 0.9),
          infoFigure(
            `LLM ${STREAMS} streams ÷ 1 stream, in-process`,
            tokPerS('inProcess', STREAMS) / tokPerS('inProcess', 1),
          ),
          infoFigure(
            `LLM ${STREAMS} streams ÷ 1 stream, server`,
            tokPerS('server', STREAMS) / tokPerS('server', 1),
          ),
        ],
        raw: { threads, streams: STREAMS, maxTokens: MAX_TOKENS, prompts: PROMPTS, ...summary },
        lines: [
          describe('server', 'server'),
          describe('in-process', 'inProcess'),
          `threads T=${threads}; aggregate = all streams' tokens ÷ first request to last token; ` +
            `median of ${ROUNDS} rounds × ${MAX_TOKENS} tokens per stream`,
        ],
      };
    } finally {
      await streamer.close();
      await local?.dispose();
      await server.close();
    }
  });
}
