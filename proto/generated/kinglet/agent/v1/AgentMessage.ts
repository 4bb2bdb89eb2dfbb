// Original file: proto/agent.proto

import type { Hello as _kinglet_agent_v1_Hello, Hello__Output as _kinglet_agent_v1_Hello__Output } from '../../../kinglet/agent/v1/Hello.js';
import type { NodeStatusUpdate as _kinglet_agent_v1_NodeStatusUpdate, NodeStatusUpdate__Output as _kinglet_agent_v1_NodeStatusUpdate__Output } from '../../../kinglet/agent/v1/NodeStatusUpdate.js';
import type { LeaseRenew as _kinglet_agent_v1_LeaseRenew, LeaseRenew__Output as _kinglet_agent_v1_LeaseRenew__Output } from '../../../kinglet/agent/v1/LeaseRenew.js';
import type { PodStatusUpdate as _kinglet_agent_v1_PodStatusUpdate, PodStatusUpdate__Output as _kinglet_agent_v1_PodStatusUpdate__Output } from '../../../kinglet/agent/v1/PodStatusUpdate.js';
import type { EventReport as _kinglet_agent_v1_EventReport, EventReport__Output as _kinglet_agent_v1_EventReport__Output } from '../../../kinglet/agent/v1/EventReport.js';
import type { SessionData as _kinglet_agent_v1_SessionData, SessionData__Output as _kinglet_agent_v1_SessionData__Output } from '../../../kinglet/agent/v1/SessionData.js';

export interface AgentMessage {
  'hello'?: (_kinglet_agent_v1_Hello | null);
  'nodeStatus'?: (_kinglet_agent_v1_NodeStatusUpdate | null);
  'lease'?: (_kinglet_agent_v1_LeaseRenew | null);
  'podStatus'?: (_kinglet_agent_v1_PodStatusUpdate | null);
  'event'?: (_kinglet_agent_v1_EventReport | null);
  'sessionData'?: (_kinglet_agent_v1_SessionData | null);
  'msg'?: "hello"|"nodeStatus"|"lease"|"podStatus"|"event"|"sessionData";
}

export interface AgentMessage__Output {
  'hello'?: (_kinglet_agent_v1_Hello__Output | null);
  'nodeStatus'?: (_kinglet_agent_v1_NodeStatusUpdate__Output | null);
  'lease'?: (_kinglet_agent_v1_LeaseRenew__Output | null);
  'podStatus'?: (_kinglet_agent_v1_PodStatusUpdate__Output | null);
  'event'?: (_kinglet_agent_v1_EventReport__Output | null);
  'sessionData'?: (_kinglet_agent_v1_SessionData__Output | null);
  'msg'?: "hello"|"nodeStatus"|"lease"|"podStatus"|"event"|"sessionData";
}
