import { AppError } from '../../platform/errors/index.js';

/** `hf://org/repo[@revision][/path][:tag]`, taken apart. */
export interface HubSource {
  /** `org/repo` */
  repo: string;
  /** A branch, tag, commit or `refs/pr/N`; `main` when none was given. */
  revision: string;
  /** A file or folder in the repository, without leading or trailing slashes. */
  path: string | undefined;
  /** A GGUF quantization (`Q4_K_M`) or a transformers.js dtype (`q8`, `fp16`...). */
  tag: string | undefined;
}

export const DEFAULT_REVISION = 'main';

const NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]{0,95})';
const REVISION = '(?:refs/pr/[0-9]+|[A-Za-z0-9._-]{1,255})';
const SOURCE = new RegExp(
  `^hf://(${NAME})/(${NAME})(?:@(${REVISION}))?(?:/([^:@]+?))?/?(?::([A-Za-z0-9._-]{1,64}))?$`,
);
const SYNTAX = 'hf://org/repo[@revision][/path][:quantization]';

/** Parses a pull source, refusing anything that could leave the repository or confuse a URL. */
export function parseHubSource(source: string): HubSource {
  const match = SOURCE.exec(source.trim());
  if (!match) {
    throw new AppError(
      'invalid_hub_source',
      `'${source.slice(0, 200)}' is not a pull source: use ${SYNTAX}.`,
    );
  }
  const [, org = '', name = '', revision, rawPath, tag] = match;
  if ([org, name].some((part) => part.includes('..'))) {
    throw new AppError('invalid_hub_source', `'${org}/${name}' is not a repository name.`);
  }
  return {
    repo: `${org}/${name}`,
    revision: revision ?? DEFAULT_REVISION,
    path: rawPath === undefined ? undefined : checkPath(rawPath),
    tag,
  };
}

function checkPath(raw: string): string {
  const segments = raw.split('/');
  const bad = segments.find((s) => s === '' || s === '.' || s === '..' || /[\\\0?#%]/.test(s));
  if (bad !== undefined) {
    throw new AppError(
      'invalid_hub_source',
      `The path '${raw.slice(0, 200)}' must name a file or folder of the repository.`,
    );
  }
  return segments.join('/');
}
