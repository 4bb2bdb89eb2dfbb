// Original file: proto/agent.proto

import type { Snapshot as _kinglet_agent_v1_Snapshot, Snapshot__Output as _kinglet_agent_v1_Snapshot__Output } from '../../../kinglet/agent/v1/Snapshot.js';
import type { Delta as _kinglet_agent_v1_Delta, Delta__Output as _kinglet_agent_v1_Delta__Output } from '../../../kinglet/agent/v1/Delta.js';
import type { LogRequest as _kinglet_agent_v1_LogRequest, LogRequest__Output as _kinglet_agent_v1_LogRequest__Output } from '../../../kinglet/agent/v1/LogRequest.js';
import type { CancelSession as _kinglet_agent_v1_CancelSession, CancelSession__Output as _kinglet_agent_v1_CancelSession__Output } from '../../../kinglet/agent/v1/CancelSession.js';

export interface ControlMessage {
  'snapshot'?: (_kinglet_agent_v1_Snapshot | null);
  'delta'?: (_kinglet_agent_v1_Delta | null);
  'logRequest'?: (_kinglet_agent_v1_LogRequest | null);
  'cancelSession'?: (_kinglet_agent_v1_CancelSession | null);
  'msg'?: "snapshot"|"delta"|"logRequest"|"cancelSession";
}

export interface ControlMessage__Output {
  'snapshot'?: (_kinglet_agent_v1_Snapshot__Output | null);
  'delta'?: (_kinglet_agent_v1_Delta__Output | null);
  'logRequest'?: (_kinglet_agent_v1_LogRequest__Output | null);
  'cancelSession'?: (_kinglet_agent_v1_CancelSession__Output | null);
  'msg'?: "snapshot"|"delta"|"logRequest"|"cancelSession";
}
