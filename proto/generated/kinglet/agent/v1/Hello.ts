// Original file: proto/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface Hello {
  'nodeName'?: (string);
  'lastRevision'?: (number | string | Long);
  'agentVersion'?: (string);
}

export interface Hello__Output {
  'nodeName': (string);
  'lastRevision': (number);
  'agentVersion': (string);
}
