import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AgentMessage as _kinglet_agent_v1_AgentMessage, AgentMessage__Output as _kinglet_agent_v1_AgentMessage__Output } from './kinglet/agent/v1/AgentMessage.js';
import type { AgentServiceClient as _kinglet_agent_v1_AgentServiceClient, AgentServiceDefinition as _kinglet_agent_v1_AgentServiceDefinition } from './kinglet/agent/v1/AgentService.js';
import type { CancelSession as _kinglet_agent_v1_CancelSession, CancelSession__Output as _kinglet_agent_v1_CancelSession__Output } from './kinglet/agent/v1/CancelSession.js';
import type { ClusterSettings as _kinglet_agent_v1_ClusterSettings, ClusterSettings__Output as _kinglet_agent_v1_ClusterSettings__Output } from './kinglet/agent/v1/ClusterSettings.js';
import type { ControlMessage as _kinglet_agent_v1_ControlMessage, ControlMessage__Output as _kinglet_agent_v1_ControlMessage__Output } from './kinglet/agent/v1/ControlMessage.js';
import type { Delta as _kinglet_agent_v1_Delta, Delta__Output as _kinglet_agent_v1_Delta__Output } from './kinglet/agent/v1/Delta.js';
import type { EventReport as _kinglet_agent_v1_EventReport, EventReport__Output as _kinglet_agent_v1_EventReport__Output } from './kinglet/agent/v1/EventReport.js';
import type { Hello as _kinglet_agent_v1_Hello, Hello__Output as _kinglet_agent_v1_Hello__Output } from './kinglet/agent/v1/Hello.js';
import type { JoinRequest as _kinglet_agent_v1_JoinRequest, JoinRequest__Output as _kinglet_agent_v1_JoinRequest__Output } from './kinglet/agent/v1/JoinRequest.js';
import type { JoinResponse as _kinglet_agent_v1_JoinResponse, JoinResponse__Output as _kinglet_agent_v1_JoinResponse__Output } from './kinglet/agent/v1/JoinResponse.js';
import type { LeaseRenew as _kinglet_agent_v1_LeaseRenew, LeaseRenew__Output as _kinglet_agent_v1_LeaseRenew__Output } from './kinglet/agent/v1/LeaseRenew.js';
import type { LogRequest as _kinglet_agent_v1_LogRequest, LogRequest__Output as _kinglet_agent_v1_LogRequest__Output } from './kinglet/agent/v1/LogRequest.js';
import type { NodeStatusUpdate as _kinglet_agent_v1_NodeStatusUpdate, NodeStatusUpdate__Output as _kinglet_agent_v1_NodeStatusUpdate__Output } from './kinglet/agent/v1/NodeStatusUpdate.js';
import type { ObjectChange as _kinglet_agent_v1_ObjectChange, ObjectChange__Output as _kinglet_agent_v1_ObjectChange__Output } from './kinglet/agent/v1/ObjectChange.js';
import type { PodStatusUpdate as _kinglet_agent_v1_PodStatusUpdate, PodStatusUpdate__Output as _kinglet_agent_v1_PodStatusUpdate__Output } from './kinglet/agent/v1/PodStatusUpdate.js';
import type { SessionData as _kinglet_agent_v1_SessionData, SessionData__Output as _kinglet_agent_v1_SessionData__Output } from './kinglet/agent/v1/SessionData.js';
import type { Snapshot as _kinglet_agent_v1_Snapshot, Snapshot__Output as _kinglet_agent_v1_Snapshot__Output } from './kinglet/agent/v1/Snapshot.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  kinglet: {
    agent: {
      v1: {
        AgentMessage: MessageTypeDefinition<_kinglet_agent_v1_AgentMessage, _kinglet_agent_v1_AgentMessage__Output>
        AgentService: SubtypeConstructor<typeof grpc.Client, _kinglet_agent_v1_AgentServiceClient> & { service: _kinglet_agent_v1_AgentServiceDefinition }
        CancelSession: MessageTypeDefinition<_kinglet_agent_v1_CancelSession, _kinglet_agent_v1_CancelSession__Output>
        ClusterSettings: MessageTypeDefinition<_kinglet_agent_v1_ClusterSettings, _kinglet_agent_v1_ClusterSettings__Output>
        ControlMessage: MessageTypeDefinition<_kinglet_agent_v1_ControlMessage, _kinglet_agent_v1_ControlMessage__Output>
        Delta: MessageTypeDefinition<_kinglet_agent_v1_Delta, _kinglet_agent_v1_Delta__Output>
        EventReport: MessageTypeDefinition<_kinglet_agent_v1_EventReport, _kinglet_agent_v1_EventReport__Output>
        Hello: MessageTypeDefinition<_kinglet_agent_v1_Hello, _kinglet_agent_v1_Hello__Output>
        JoinRequest: MessageTypeDefinition<_kinglet_agent_v1_JoinRequest, _kinglet_agent_v1_JoinRequest__Output>
        JoinResponse: MessageTypeDefinition<_kinglet_agent_v1_JoinResponse, _kinglet_agent_v1_JoinResponse__Output>
        LeaseRenew: MessageTypeDefinition<_kinglet_agent_v1_LeaseRenew, _kinglet_agent_v1_LeaseRenew__Output>
        LogRequest: MessageTypeDefinition<_kinglet_agent_v1_LogRequest, _kinglet_agent_v1_LogRequest__Output>
        NodeStatusUpdate: MessageTypeDefinition<_kinglet_agent_v1_NodeStatusUpdate, _kinglet_agent_v1_NodeStatusUpdate__Output>
        ObjectChange: MessageTypeDefinition<_kinglet_agent_v1_ObjectChange, _kinglet_agent_v1_ObjectChange__Output>
        PodStatusUpdate: MessageTypeDefinition<_kinglet_agent_v1_PodStatusUpdate, _kinglet_agent_v1_PodStatusUpdate__Output>
        SessionData: MessageTypeDefinition<_kinglet_agent_v1_SessionData, _kinglet_agent_v1_SessionData__Output>
        Snapshot: MessageTypeDefinition<_kinglet_agent_v1_Snapshot, _kinglet_agent_v1_Snapshot__Output>
      }
    }
  }
}

