import { Presets, SingleBar } from 'cli-progress';
import type { CliIo } from './cli-io.js';
import { formatBytes } from './format-values.js';

/** Small uploads finish before a bar is worth drawing. */
const MIN_BAR_BYTES = 1024 * 1024;

export interface UploadProgress {
  update(sentBytes: number): void;
  stop(): void;
}

/** A byte progress bar on the terminal, or nothing when stderr is not a TTY or the file is small. */
export function startUploadProgress(io: CliIo, label: string, totalBytes: number): UploadProgress {
  if (!io.tty || totalBytes < MIN_BAR_BYTES) return { update() {}, stop() {} };
  const bar = new SingleBar(
    {
      stream: io.tty,
      format: `${label} [{bar}] {percentage}% {sent}/{size} ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  const size = formatBytes(totalBytes);
  bar.start(totalBytes, 0, { sent: formatBytes(0), size });
  return {
    update(sentBytes) {
      bar.update(sentBytes, { sent: formatBytes(sentBytes), size });
    },
    stop() {
      bar.stop();
    },
  };
}
