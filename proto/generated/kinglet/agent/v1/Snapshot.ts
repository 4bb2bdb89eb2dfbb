// Original file: proto/agent.proto

import type { ObjectChange as _kinglet_agent_v1_ObjectChange, ObjectChange__Output as _kinglet_agent_v1_ObjectChange__Output } from '../../../kinglet/agent/v1/ObjectChange.js';
import type { Long } from '@grpc/proto-loader';

export interface Snapshot {
  'objects'?: (_kinglet_agent_v1_ObjectChange)[];
  'revision'?: (number | string | Long);
}

export interface Snapshot__Output {
  'objects': (_kinglet_agent_v1_ObjectChange__Output)[];
  'revision': (number);
}
