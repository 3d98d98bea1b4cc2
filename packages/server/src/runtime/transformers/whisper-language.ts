import { AppError } from '../../platform/errors/index.js';

/** The `generation_config.json` fields of a whisper model that say which languages it knows. */
export interface WhisperGenerationConfig {
  is_multilingual?: boolean;
  lang_to_id?: Record<string, number>;
}

/**
 * The whisper language code for a request's `language`: an ISO-639-1 code, any case, a region
 * subtag allowed (`en-US` → `en`). transformers.js 4.3.1 does not detect the language, so a
 * multilingual model transcribes as English when none is given. `undefined` for English-only
 * models, which take no language token at all.
 */
export function whisperLanguage(
  requested: string | undefined,
  config: WhisperGenerationConfig,
): string | undefined {
  const code = requested?.toLowerCase().split(/[-_]/)[0];
  if (!config.is_multilingual) {
    if (code !== undefined && code !== 'en')
      throw badLanguage(`This model transcribes English only, not '${requested}'.`);
    return undefined;
  }
  const known = Object.keys(config.lang_to_id ?? {}).map((token) => token.slice(2, -2));
  const chosen = code ?? 'en';
  if (!known.includes(chosen))
    throw badLanguage(`Unknown language '${requested}'; this model knows: ${known.join(', ')}.`);
  return chosen;
}

function badLanguage(message: string): AppError {
  return new AppError('validation_failed', message, { param: 'language' });
}
