// Original file: proto/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface LeaseRenew {
  'renewTimeUnixMs'?: (number | string | Long);
}

export interface LeaseRenew__Output {
  'renewTimeUnixMs': (number);
}
