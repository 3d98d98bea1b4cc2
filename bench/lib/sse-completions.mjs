import { Pool } from 'undici';
import { streamTiming } from './llama-in-process.mjs';

/**
 * Streaming `POST /v1/completions` over keep-alive connections, timing each SSE event as it
 * arrives. Tokens are counted from the usage chunk: one event may carry several tokens' text.
 */
export function completionStreamer(url, key, connections = 1) {
  const pool = new Pool(url, { connections, pipelining: 1 });
  return {
    async complete(model, prompt, maxTokens) {
      const timing = streamTiming();
      const res = await pool.request({
        method: 'POST',
        path: '/v1/completions',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model,
          prompt,
          max_tokens: maxTokens,
          temperature: 0,
          stream: true,
          stream_options: { include_usage: true },
        }),
      });
      if (res.statusCode !== 200)
        throw new Error(`completions → ${res.statusCode}: ${await res.body.text()}`);
      let usage;
      let done = false;
      let buffered = '';
      res.body.setEncoding('utf8');
      for await (const chunk of res.body) {
        buffered += chunk;
        let end = buffered.indexOf('\n\n');
        while (end >= 0) {
          const event = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          end = buffered.indexOf('\n\n');
          for (const line of event.split('\n')) {
            if (!line.startsWith('data: ')) continue;
            const data = line.slice(6);
            if (data === '[DONE]') {
              done = true;
              continue;
            }
            const json = JSON.parse(data);
            if (json.error) throw new Error(`stream failed: ${JSON.stringify(json.error)}`);
            if (json.usage) usage = json.usage;
            for (const choice of json.choices ?? []) timing.text(choice.text ?? '');
          }
        }
      }
      if (!done || !usage) throw new Error('stream ended without usage and [DONE]');
      return timing.end(usage.completion_tokens);
    },
    close: () => pool.close(),
  };
}
