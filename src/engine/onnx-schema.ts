// The subset of onnx.proto the engine writes and reads, as protobufjs types (field numbers as in onnx.proto).
// Not the serialiser (onnx.ts maps graph nodes to these messages) and not a full ONNX schema.

import protobuf from 'protobufjs';

const ONNX_SUBSET = `
syntax = "proto3";
package onnx;
message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5; FLOATS = 6; INTS = 7; }
  string name = 1;
  float f = 2;
  int64 i = 3;
  bytes s = 4;
  TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  AttributeType type = 20;
}
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  string name = 3;
  string op_type = 4;
  repeated AttributeProto attribute = 5;
  string domain = 7;
}
message StringStringEntryProto { string key = 1; string value = 2; }
message ModelProto {
  int64 ir_version = 1;
  string producer_name = 2;
  string producer_version = 3;
  GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
  repeated StringStringEntryProto metadata_props = 14;
}
message GraphProto {
  repeated NodeProto node = 1;
  string name = 2;
  repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}
message TensorProto {
  repeated int64 dims = 1;
  int32 data_type = 2;
  string name = 8;
  bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension { int64 dim_value = 1; string dim_param = 2; }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; }
  Tensor tensor_type = 1;
}
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
`;

const root = protobuf.parse(ONNX_SUBSET, { keepCase: true }).root;
export const ModelProto = root.lookupType('onnx.ModelProto');

export const ATTR_INT = 2;
export const ATTR_INTS = 7;

/** TensorProto.DataType codes for the dtypes the engine uses. */
export const ONNX_DTYPE = { float32: 1, int8: 3, int32: 6, int64: 7, bool: 9 } as const;

/** Plain-object views of the decoded messages (only the fields the engine reads). */
export interface ValueInfoJson {
  name: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: string | number }[] } } };
}
export interface ModelJson {
  ir_version?: string | number;
  opset_import?: { domain?: string; version?: string | number }[];
  graph?: { node?: { op_type?: string }[]; input?: ValueInfoJson[]; output?: ValueInfoJson[] };
  metadata_props?: { key: string; value: string }[];
}
