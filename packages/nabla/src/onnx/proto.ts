/**
 * ONNX files as protobuf messages: bytes ↔ `ModelProto` (the schema of onnx.proto, read and written by
 * `@bufbuild/protobuf`), and tensors ↔ numbers. Nothing here knows about networks.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { FormatError } from '../errors.js';
import { limits } from '../limits.js';
import {
  type AttributeProto,
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  type ModelProto,
  ModelProtoSchema,
  type NodeProto,
  type TensorProto,
  TensorProto_DataLocation,
  TensorProto_DataType,
  TensorProtoSchema,
} from './generated/onnx_pb.js';

export type { AttributeProto, ModelProto, NodeProto, TensorProto };
export { TensorProto_DataType as DataType };

/** A tensor's numbers (float64 whatever the file holds), its shape and its element type. */
export interface Tensor {
  dims: number[];
  data: Float64Array;
  /** The ONNX element type (1 float, 11 double, 7 int64, 6 int32). */
  dataType: number;
}

const TYPE_NAMES: Readonly<Record<number, string>> = {
  [TensorProto_DataType.FLOAT]: 'float',
  [TensorProto_DataType.DOUBLE]: 'double',
  [TensorProto_DataType.INT64]: 'int64',
  [TensorProto_DataType.INT32]: 'int32',
  [TensorProto_DataType.FLOAT16]: 'float16',
  [TensorProto_DataType.BFLOAT16]: 'bfloat16',
};

/** "float", "double", … or "type 9" for the element types the messages name. */
export function typeName(dataType: number): string {
  return TYPE_NAMES[dataType] ?? `type ${dataType}`;
}

/** Reads the bytes of an .onnx file; anything that is not a model with a graph is a FormatError naming `source`. */
export function decodeModel(bytes: Uint8Array, source: string): ModelProto {
  if (!(bytes instanceof Uint8Array))
    throw new FormatError(`${source}: expected the bytes of an .onnx file (a Uint8Array)`);
  if (bytes.length === 0) throw new FormatError(`${source}: the file is empty; expected an ONNX model`);
  const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (first === 0x7b)
    throw new FormatError(
      `${source}: not an ONNX model: the file is text starting with "{" (JSON, perhaps a nabla model file); expected the binary .onnx format`,
    );
  let model: ModelProto;
  try {
    model = fromBinary(ModelProtoSchema, bytes, { readUnknownFields: false });
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^\[[^\]]*\]\s*/, '') : String(e);
    throw new FormatError(
      `${source}: not a readable ONNX model (the protobuf reader stopped: ${why}); the file may be truncated or of another kind`,
    );
  }
  if (model.irVersion <= 0n || model.graph === undefined || model.opsetImport.length === 0) {
    throw new FormatError(
      `${source}: not an ONNX model (no ${model.irVersion <= 0n ? 'IR version' : model.graph === undefined ? 'graph' : 'opset import'} in the file)`,
    );
  }
  return model;
}

/** The bytes of an .onnx file. */
export function encodeModel(model: ModelProto): Uint8Array {
  return toBinary(ModelProtoSchema, model);
}

function littleEndian(raw: Uint8Array, dataType: number, count: number, where: string): Float64Array {
  const size = dataType === TensorProto_DataType.DOUBLE || dataType === TensorProto_DataType.INT64 ? 8 : 4;
  if (raw.length !== count * size)
    throw new FormatError(
      `${where}: raw_data holds ${raw.length} bytes, expected ${count * size} for ${count} ${typeName(dataType)} values`,
    );
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    if (dataType === TensorProto_DataType.FLOAT) out[j] = view.getFloat32(j * 4, true);
    else if (dataType === TensorProto_DataType.DOUBLE) out[j] = view.getFloat64(j * 8, true);
    else if (dataType === TensorProto_DataType.INT64) out[j] = Number(view.getBigInt64(j * 8, true));
    else out[j] = view.getInt32(j * 4, true);
  }
  return out;
}

/** A tensor's numbers. Float, double, int32 and int64 tensors stored in the file; anything else is a FormatError naming `where`. */
export function readTensor(t: TensorProto, where: string): Tensor {
  if (t.dataLocation === TensorProto_DataLocation.EXTERNAL) {
    throw new FormatError(
      `${where}: the numbers are in an external data file; nabla reads models whose weights are inside the .onnx file`,
    );
  }
  // the declared shape is checked before anything is allocated or walked: a few bytes may declare [0, 2^40]
  t.dims.forEach((d, j) => {
    if (d < 0n)
      throw new FormatError(
        `${where}: dimension ${j + 1} of the shape [${t.dims.join(', ')}] is negative; expected sizes ≥ 0`,
      );
    if (d > BigInt(limits.width)) {
      throw new FormatError(
        `${where}: dimension ${j + 1} of the shape [${t.dims.join(', ')}] is ${d}; at most ` +
          `${limits.width.toLocaleString('en-US')} are supported (limits.width)`,
      );
    }
  });
  const dims = t.dims.map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  if (count > limits.parameters) {
    throw new FormatError(
      `${where}: the shape [${dims.join(', ')}] holds ${count.toLocaleString('en-US')} numbers; ` +
        `at most ${limits.parameters.toLocaleString('en-US')} are supported (limits.parameters)`,
    );
  }
  const dt = t.dataType;
  let data: Float64Array;
  if (
    ![
      TensorProto_DataType.FLOAT,
      TensorProto_DataType.DOUBLE,
      TensorProto_DataType.INT64,
      TensorProto_DataType.INT32,
    ].includes(dt)
  ) {
    throw new FormatError(
      `${where}: ${typeName(dt)} tensors are not supported; expected float, double or (for indices) int64`,
    );
  }
  if (t.rawData.length > 0) data = littleEndian(t.rawData, dt, count, where);
  else {
    const typed: readonly (number | bigint)[] =
      dt === TensorProto_DataType.FLOAT
        ? t.floatData
        : dt === TensorProto_DataType.DOUBLE
          ? t.doubleData
          : dt === TensorProto_DataType.INT64
            ? t.int64Data
            : t.int32Data;
    if (typed.length !== count)
      throw new FormatError(
        `${where}: holds ${typed.length} values for the shape [${dims.join(', ')}] (${count} expected)`,
      );
    data = Float64Array.from(typed, Number);
  }
  return { dims, data, dataType: dt };
}

/** A float or double tensor of the given shape, its numbers little-endian in raw_data. */
export function writeTensor(
  name: string,
  dims: readonly number[],
  values: ArrayLike<number>,
  dtype: 'float32' | 'float64',
): TensorProto {
  const size = dtype === 'float64' ? 8 : 4;
  const raw = new Uint8Array(values.length * size);
  const view = new DataView(raw.buffer);
  for (let j = 0; j < values.length; j++) {
    if (dtype === 'float64') view.setFloat64(j * 8, values[j]!, true);
    else view.setFloat32(j * 4, values[j]!, true);
  }
  return create(TensorProtoSchema, {
    name,
    dims: dims.map(BigInt),
    dataType: dtype === 'float64' ? TensorProto_DataType.DOUBLE : TensorProto_DataType.FLOAT,
    rawData: raw,
  });
}

/** An int64 tensor (Slice's starts, ends and axes). */
export function writeInt64Tensor(name: string, values: readonly number[]): TensorProto {
  return create(TensorProtoSchema, {
    name,
    dims: [BigInt(values.length)],
    dataType: TensorProto_DataType.INT64,
    int64Data: values.map(BigInt),
  });
}

/** Attributes by name, for reading a node. */
export function attributesOf(node: NodeProto): Map<string, AttributeProto> {
  return new Map(node.attribute.map((a) => [a.name, a]));
}

/** A float attribute. */
export function floatAttribute(name: string, f: number): AttributeProto {
  return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOAT, f });
}

/** An int attribute. */
export function intAttribute(name: string, i: number): AttributeProto {
  return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INT, i: BigInt(i) });
}

/** A tensor attribute (Constant's value). */
export function tensorAttribute(name: string, t: TensorProto): AttributeProto {
  return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.TENSOR, t });
}

/** The value of an int, float, ints or tensor attribute as numbers (undefined when absent). */
export function attributeNumbers(a: AttributeProto | undefined): number[] | undefined {
  if (a === undefined) return undefined;
  switch (a.type) {
    case AttributeProto_AttributeType.INT:
      return [Number(a.i)];
    case AttributeProto_AttributeType.FLOAT:
      return [a.f];
    case AttributeProto_AttributeType.INTS:
      return a.ints.map(Number);
    case AttributeProto_AttributeType.FLOATS:
      return [...a.floats];
    default:
      return undefined;
  }
}

/** A string attribute's text (undefined when absent). */
export function attributeString(a: AttributeProto | undefined): string | undefined {
  return a && a.type === AttributeProto_AttributeType.STRING ? new TextDecoder().decode(a.s) : undefined;
}
