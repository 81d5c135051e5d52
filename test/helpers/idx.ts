// IDX files for tests, written byte by byte from the format's description (big-endian header and values).

/** An IDX file of element type `type` (0x08 ubyte … 0x0e double), dimensions `dims` and `values`. */
export function idx(type: number, dims: number[], values: number[]): Buffer {
  const size = { 8: 1, 9: 1, 11: 2, 12: 4, 13: 4, 14: 8 }[type]!;
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = type;
  head[3] = dims.length;
  dims.forEach((n, k) => head.writeUInt32BE(n, 4 + 4 * k));
  const body = Buffer.alloc(values.length * size);
  values.forEach((v, i) => {
    if (type === 0x08) body.writeUInt8(v, i);
    else if (type === 0x09) body.writeInt8(v, i);
    else if (type === 0x0b) body.writeInt16BE(v, 2 * i);
    else if (type === 0x0c) body.writeInt32BE(v, 4 * i);
    else if (type === 0x0d) body.writeFloatBE(v, 4 * i);
    else body.writeDoubleBE(v, 8 * i);
  });
  return Buffer.concat([head, body]);
}
