import { existsSync } from 'node:fs';

/** Debian's chromium (`apt-get install chromium`; `.ci/services.sh` installs it). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * The browser's path, or null when it is absent: the suite is then skipped with a printed
 * `skipped:` note; under CI=true a missing browser fails the run instead.
 */
export function chromiumOrNull(): string | null {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.env.CI === 'true') {
    throw new Error(`required browser missing under CI: ${CHROMIUM} (bash .ci/services.sh installs it)`);
  }
  console.log('skipped: chromium is absent');
  return null;
}
