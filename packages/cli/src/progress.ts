/**
 * Progress while training: a bar per epoch (batches done, running loss, samples per second, time left) drawn
 * with cli-progress on a terminal, and one summary line per epoch.
 */
import cliProgress from 'cli-progress';
import type { BatchInfo, EpochRecord } from 'nabla/train';
import type { Writer } from './context.js';

export interface Progress {
  batch(b: BatchInfo): void;
  epochDone(): void;
  stop(): void;
}

export function formatDuration(s: number): string {
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - 60 * m)} s`;
}

/** A progress bar on `stream` when it is a terminal; nothing otherwise (logs stay clean). */
export function createProgress(stream: Writer, epochs: number): Progress | undefined {
  const tty = (stream as { isTTY?: boolean }).isTTY === true;
  if (!tty) return undefined;
  let bar: cliProgress.SingleBar | undefined;
  let epochStart = 0;
  return {
    batch(b) {
      if (!bar) {
        epochStart = performance.now();
        bar = new cliProgress.SingleBar(
          {
            stream: stream as NodeJS.WritableStream,
            format: `epoch {epoch}/${epochs} [{bar}] {value}/{total} batches | loss {loss} | {sps} samples/s | {left} left`,
            hideCursor: true,
            clearOnComplete: true,
            barsize: 24,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(b.batches, 0, { epoch: b.epoch, loss: '…', sps: '…', left: '…' });
      }
      const seconds = (performance.now() - epochStart) / 1000;
      const sps = b.samplesDone / Math.max(seconds, 1e-9);
      const left = (seconds / b.batch) * (b.batches - b.batch);
      bar.update(b.batch, {
        epoch: b.epoch,
        loss: b.runningLoss.toFixed(4),
        sps: Math.round(sps).toLocaleString('en-US'),
        left: formatDuration(left),
      });
    },
    epochDone() {
      bar?.stop();
      bar = undefined;
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/** One summary line per epoch. */
export function epochLine(e: EpochRecord, epochs: number): string {
  const parts = [`epoch ${String(e.epoch).padStart(String(epochs).length)}/${epochs}`, `loss ${e.loss.toFixed(4)}`];
  if (e.accuracy !== undefined) parts.push(`acc ${(100 * e.accuracy).toFixed(2)}%`);
  if (e.valLoss !== undefined) parts.push(`val loss ${e.valLoss.toFixed(4)}`);
  if (e.valAccuracy !== undefined) parts.push(`val acc ${(100 * e.valAccuracy).toFixed(2)}%`);
  parts.push(`${Math.round(e.samplesPerSecond).toLocaleString('en-US')} samples/s`, formatDuration(e.seconds));
  return parts.join('  ');
}
