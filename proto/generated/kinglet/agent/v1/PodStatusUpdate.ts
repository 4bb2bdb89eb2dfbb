// Original file: proto/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface PodStatusUpdate {
  'namespace'?: (string);
  'name'?: (string);
  'uid'?: (string);
  'statusJson'?: (Buffer | Uint8Array | string);
  'version'?: (number | string | Long);
  'terminated'?: (boolean);
}

export interface PodStatusUpdate__Output {
  'namespace': (string);
  'name': (string);
  'uid': (string);
  'statusJson': (Buffer);
  'version': (number);
  'terminated': (boolean);
}
