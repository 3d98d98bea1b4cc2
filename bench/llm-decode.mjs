import { readFile } from 'node:fs/promises';
import { figure } from './lib/figure.mjs';
import { benchGgufLabel, benchGgufWhy, llmThreads, withBenchGguf } from './lib/gguf-model.mjs';
import { loadInProcessLlm } from './lib/llama-in-process.mjs';
import { percentile, round } from './lib/percentiles.mjs';
import { withCpu } from './lib/proc-cpu.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { completionStreamer } from './lib/sse-completions.mjs';

const PROMPT = 'Once upon a time';
const MAX_TOKENS = 128;
const CONTEXT_SIZE = 512;
const WARMUP = 2;
/** Each run is about a second; medians over this many per side steady the two ratios. */
const RUNS = 10;

const values = (runs, key) => runs.map((r) => r[key]);
const median = (runs, key) => percentile(values(runs, key), 50);
const range = (runs, key) => [0, 100].map((p) => round(percentile(values(runs, key), p), 1));

/** One stream's decode rate and time to first token through `/v1/completions` ÷ the same in-process. */
export async function llmDecode({ log }) {
  const threads = llmThreads;
  log(`model: ${benchGgufLabel}, ${threads} thread(s) on each side`);
  return withBenchGguf(async (ggufPath) => {
    const server = await startServerProcess();
    const streamer = completionStreamer(server.url, server.key);
    let local;
    try {
      const version = await server.api.register('llm', await readFile(ggufPath));
      const deployment = await server.api.deploy('llm', 'llm', version, {
        threads,
        llm: { parallel: 1, contextSize: CONTEXT_SIZE },
      });
      local = await loadInProcessLlm({ path: ggufPath, threads, contextSize: CONTEXT_SIZE, sequences: 1 });
      const viaServer = () => streamer.complete('llm', PROMPT, MAX_TOKENS);
      const inProcess = () => local.complete(0, PROMPT, MAX_TOKENS);

      for (let i = 0; i < WARMUP; i++) {
        await viaServer();
        await inProcess();
      }
      assertSameGeneration(await viaServer(), await inProcess());

      const pids = { api: server.pid, runner: deployment.instances[0].pid, client: process.pid };
      const cpuMs = { api: 0, runner: 0, client: 0 };
      const serverRuns = [];
      const localRuns = [];
      const timeServer = async () => {
        const { result, cpuMs: spent } = await withCpu(pids, viaServer);
        for (const k of Object.keys(cpuMs)) cpuMs[k] += spent[k];
        serverRuns.push(result);
      };
      const timeLocal = async () => localRuns.push(await inProcess());
      // Alternating, first one side then the other, so drift on the machine hits both alike.
      for (let r = 0; r < RUNS; r++) {
        const order = r % 2 === 0 ? [timeServer, timeLocal] : [timeLocal, timeServer];
        for (const run of order) await run();
      }

      const tokens = serverRuns.reduce((n, r) => n + r.tokens, 0);
      const side = (runs) => ({
        runs: runs.length,
        tokensPerRun: runs[0].tokens,
        decodeTokPerS: round(median(runs, 'decodeTokPerS'), 1),
        decodeTokPerSRange: range(runs, 'decodeTokPerS'),
        ttftMs: round(median(runs, 'ttftMs'), 1),
        ttftMsRange: range(runs, 'ttftMs'),
      });
      const remote = side(serverRuns);
      const inproc = side(localRuns);
      const cpuMsPerToken = Object.fromEntries(
        Object.entries(cpuMs).map(([k, ms]) => [k, round(ms / tokens, 2)]),
      );
      const describe = (name, s) =>
        `${name.padEnd(11)} decode ${s.decodeTokPerS} tok/s (${s.decodeTokPerSRange.join('–')})  ` +
        `TTFT ${s.ttftMs} ms (${s.ttftMsRange.join('–')})  median of ${s.runs} × ${s.tokensPerRun} tokens`;
      return {
        id: 'llm-decode',
        title: `One-stream decode, ${benchGgufLabel}, ${threads} thread(s), SSE /v1/completions vs in-process`,
        figures: [
          figure(
            'LLM decode tok/s server ÷ in-process',
            remote.decodeTokPerS / inproc.decodeTokPerS,
            '>=',
            0.95,
          ),
          figure('LLM time to first token server ÷ in-process', remote.ttftMs / inproc.ttftMs, '<=', 1.2),
        ],
        raw: {
          threads,
          prompt: PROMPT,
          maxTokens: MAX_TOKENS,
          server: remote,
          inProcess: inproc,
          cpuMsPerToken,
        },
        lines: [
          describe('server', remote),
          describe('in-process', inproc),
          `threads T=${threads} (runner and baseline); decode = (tokens − 1) ÷ first-to-last token time`,
          benchGgufWhy,
          `CPU per streamed token: api ${cpuMsPerToken.api} ms, runner ${cpuMsPerToken.runner} ms, ` +
            `bench client ${cpuMsPerToken.client} ms`,
        ],
      };
    } finally {
      await streamer.close();
      await local?.dispose();
      await server.close();
    }
  });
}

/** Greedy decoding of the same tokens must give the same text, or the two sides did different work. */
function assertSameGeneration(remote, local) {
  if (remote.tokens !== local.tokens || remote.text !== local.text)
    throw new Error(
      `server and in-process generations differ: ${remote.tokens} vs ${local.tokens} tokens, ` +
        `${JSON.stringify(remote.text.slice(0, 40))} vs ${JSON.stringify(local.text.slice(0, 40))}`,
    );
}
