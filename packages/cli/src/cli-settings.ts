import { Modelport } from '@modelport/sdk';
import type { Command } from 'commander';
import { UsageError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';

export const DEFAULT_URL = 'http://127.0.0.1:8080';

export interface GlobalFlags {
  url?: string;
  apiKey?: string;
  json?: boolean;
}

export interface CliSettings {
  url: string;
  apiKey: string | undefined;
  json: boolean;
}

/** The one place that reads connection settings: flags win over MODELPORT_URL / MODELPORT_API_KEY. */
export function readSettings(cmd: Command, io: CliIo): CliSettings {
  const flags = cmd.optsWithGlobals<GlobalFlags>();
  return {
    url: flags.url ?? nonEmpty(io.env.MODELPORT_URL) ?? DEFAULT_URL,
    apiKey: flags.apiKey ?? nonEmpty(io.env.MODELPORT_API_KEY),
    json: flags.json === true,
  };
}

export function connect(settings: CliSettings): Modelport {
  if (settings.apiKey === undefined) {
    throw new UsageError('no API key: pass --api-key or set MODELPORT_API_KEY');
  }
  try {
    return new Modelport({ baseUrl: settings.url, apiKey: settings.apiKey });
  } catch {
    throw new UsageError(`'${settings.url}' is not a valid server URL`);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
