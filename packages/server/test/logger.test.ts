import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { createLogger, type LogFormat } from '../src/platform/index.js';

/** What one `info` line looks like in `format`, written to a stream that is or is not a terminal. */
function logLine(format: LogFormat | undefined, isTTY: boolean): string {
  const destination = new PassThrough();
  const chunks: Buffer[] = [];
  destination.on('data', (chunk: Buffer) => chunks.push(chunk));
  const log = createLogger('info', { ...(format ? { format } : {}), destination, isTTY });
  log.info({ req: { headers: { authorization: 'Bearer mpk_secret' } }, model: 'iris' }, 'deployment ready');
  return Buffer.concat(chunks).toString('utf8');
}

const isJson = (line: string) => {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
};

describe('server logs', () => {
  it('are readable lines on a terminal and JSON lines elsewhere unless a format is configured', () => {
    const cases: [LogFormat | undefined, boolean, 'json' | 'pretty'][] = [
      ['auto', true, 'pretty'],
      ['auto', false, 'json'],
      ['json', true, 'json'],
      ['pretty', false, 'pretty'],
      [undefined, true, 'json'],
    ];
    for (const [format, isTTY, expected] of cases) {
      const line = logLine(format, isTTY);
      expect(line, `${format} on ${isTTY ? 'a terminal' : 'a pipe'}`).toContain('deployment ready');
      expect(isJson(line.trim()), `${format} on ${isTTY ? 'a terminal' : 'a pipe'}`).toBe(
        expected === 'json',
      );
      // The key's secret never reaches a log, in either form.
      expect(line).not.toContain('mpk_secret');
      expect(line).toContain('[redacted]');
    }
    expect(JSON.parse(logLine('json', true))).toMatchObject({
      level: 30,
      msg: 'deployment ready',
      model: 'iris',
    });
    expect(logLine('pretty', false)).toMatch(/INFO.*deployment ready/);
  });

  it('take their format from MODELPORT_LOG_FORMAT (default auto), and refuse another', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'modelport-log-config-'));
    expect(loadConfig({ env: {}, cwd }).logFormat).toBe('auto');
    expect(loadConfig({ env: { MODELPORT_LOG_FORMAT: 'json' }, cwd }).logFormat).toBe('json');
    expect(loadConfig({ env: { MODELPORT_LOG_FORMAT: 'pretty' }, cwd }).logFormat).toBe('pretty');
    expect(() => loadConfig({ env: { MODELPORT_LOG_FORMAT: 'xml' }, cwd })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { MODELPORT_LOG_FORMAT: 'xml' }, cwd })).toThrow(/MODELPORT_LOG_FORMAT/);
  });
});
