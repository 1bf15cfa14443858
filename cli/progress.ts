import cliProgress from 'cli-progress';

export interface ProgressReporter {
  update(done: number, total: number, label?: string): void;
  stop(): void;
}

/** A bar on a terminal; silence when output is piped or in CI (the summary still prints). */
export function progressBar(title: string, unit: string): ProgressReporter {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${title} [{bar}] {percentage}% | {value}/{total} ${unit} | {label} | eta {eta}s`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, label = '') {
      if (!started) {
        bar.start(total, 0, { label });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { label });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
