/**
 * The library's errors name its API options (`clipNorm: 1`, "the last layer's activation 'identity'"); on the
 * command line the same advice names the flags. One table, applied to every message the CLI prints.
 */
const flags: readonly [RegExp, string][] = [
  [/\(clipNorm: (\S+)\)/g, '(--clip-norm $1)'],
  [
    /make the last layer's activation 'identity', or choose another loss/g,
    'use --activation …;identity or another --loss',
  ],
  [/\blearningRate = /g, '--lr '],
  [/\bbatchSize = /g, '--batch-size '],
  [/\bvalidationSplit = /g, '--validation-split '],
  [/\bidColumn\b/g, '--id-column'],
];

/** `message` with the library's option names replaced by the CLI's flags. */
export function cliAdvice(message: string): string {
  return flags.reduce((m, [from, to]) => m.replace(from, to), message);
}
