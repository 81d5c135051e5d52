/**
 * Activation ids for the WASM kernels: closures cannot be called efficiently from WebAssembly, so
 * `activate(N, S, dS, length, id)` selects σ by number. The values must equal the `ACT_*` constants the
 * module exports (asm/elementwise.ts); a test asserts it.
 */
export const ActivationId = {
  identity: 0,
  relu: 1,
  sigmoid: 2,
  tanh: 3,
  leaky_relu: 4,
  elu: 5,
  softplus: 6,
  silu: 7,
  gelu: 8,
  sin: 9,
  square: 10,
} as const;

export type ActivationName = keyof typeof ActivationId;
export type ActivationId = (typeof ActivationId)[ActivationName];

/** The id of a built-in activation by its catalog name (src/net/activation.ts), or undefined (user-defined σ). */
export function activationIdOf(name: string): ActivationId | undefined {
  return Object.hasOwn(ActivationId, name) ? ActivationId[name as ActivationName] : undefined;
}
