// Original file: proto/agent.proto

import type { ClusterSettings as _kinglet_agent_v1_ClusterSettings, ClusterSettings__Output as _kinglet_agent_v1_ClusterSettings__Output } from '../../../kinglet/agent/v1/ClusterSettings.js';

export interface JoinResponse {
  'certificatePem'?: (string);
  'caPem'?: (string);
  'cluster'?: (_kinglet_agent_v1_ClusterSettings | null);
}

export interface JoinResponse__Output {
  'certificatePem': (string);
  'caPem': (string);
  'cluster': (_kinglet_agent_v1_ClusterSettings__Output | null);
}
