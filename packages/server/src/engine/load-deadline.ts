import { AppError } from '../platform/errors/index.js';

/**
 * A load keeps going past the deadline (the next request finds it ready); this caller stops
 * waiting, with the load's own reason when it has one (`waitingFor`, e.g. memory held by busy
 * instances), else 503 `model_not_ready`.
 */
export async function withLoadDeadline<T>(
  load: Promise<T>,
  waitMs: number,
  waitingFor: () => AppError | undefined,
  name: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          waitingFor() ??
            new AppError('model_not_ready', `Deployment '${name}' is still loading; retry shortly.`, {
              retryAfterS: 1,
            }),
        ),
      waitMs,
    );
  });
  try {
    return await Promise.race([load, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
