// Original file: proto/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface LogRequest {
  'sessionId'?: (string);
  'namespace'?: (string);
  'pod'?: (string);
  'container'?: (string);
  'follow'?: (boolean);
  'previous'?: (boolean);
  'tailLines'?: (number | string | Long);
  'sinceSeconds'?: (number | string | Long);
  'sinceTime'?: (string);
  'timestamps'?: (boolean);
  'limitBytes'?: (number | string | Long);
}

export interface LogRequest__Output {
  'sessionId': (string);
  'namespace': (string);
  'pod': (string);
  'container': (string);
  'follow': (boolean);
  'previous': (boolean);
  'tailLines': (number);
  'sinceSeconds': (number);
  'sinceTime': (string);
  'timestamps': (boolean);
  'limitBytes': (number);
}
