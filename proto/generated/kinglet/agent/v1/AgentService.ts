// Original file: proto/agent.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentMessage as _kinglet_agent_v1_AgentMessage, AgentMessage__Output as _kinglet_agent_v1_AgentMessage__Output } from '../../../kinglet/agent/v1/AgentMessage.js';
import type { ControlMessage as _kinglet_agent_v1_ControlMessage, ControlMessage__Output as _kinglet_agent_v1_ControlMessage__Output } from '../../../kinglet/agent/v1/ControlMessage.js';
import type { JoinRequest as _kinglet_agent_v1_JoinRequest, JoinRequest__Output as _kinglet_agent_v1_JoinRequest__Output } from '../../../kinglet/agent/v1/JoinRequest.js';
import type { JoinResponse as _kinglet_agent_v1_JoinResponse, JoinResponse__Output as _kinglet_agent_v1_JoinResponse__Output } from '../../../kinglet/agent/v1/JoinResponse.js';

export interface AgentServiceClient extends grpc.Client {
  Connect(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kinglet_agent_v1_AgentMessage, _kinglet_agent_v1_ControlMessage__Output>;
  Connect(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kinglet_agent_v1_AgentMessage, _kinglet_agent_v1_ControlMessage__Output>;
  connect(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_kinglet_agent_v1_AgentMessage, _kinglet_agent_v1_ControlMessage__Output>;
  connect(options?: grpc.CallOptions): grpc.ClientDuplexStream<_kinglet_agent_v1_AgentMessage, _kinglet_agent_v1_ControlMessage__Output>;
  
  Join(argument: _kinglet_agent_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kinglet_agent_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _kinglet_agent_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kinglet_agent_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _kinglet_agent_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kinglet_agent_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _kinglet_agent_v1_JoinRequest, callback: grpc.requestCallback<_kinglet_agent_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _kinglet_agent_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kinglet_agent_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _kinglet_agent_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kinglet_agent_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _kinglet_agent_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kinglet_agent_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _kinglet_agent_v1_JoinRequest, callback: grpc.requestCallback<_kinglet_agent_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface AgentServiceHandlers extends grpc.UntypedServiceImplementation {
  Connect: grpc.handleBidiStreamingCall<_kinglet_agent_v1_AgentMessage__Output, _kinglet_agent_v1_ControlMessage>;
  
  Join: grpc.handleUnaryCall<_kinglet_agent_v1_JoinRequest__Output, _kinglet_agent_v1_JoinResponse>;
  
}

export interface AgentServiceDefinition extends grpc.ServiceDefinition {
  Connect: MethodDefinition<_kinglet_agent_v1_AgentMessage, _kinglet_agent_v1_ControlMessage, _kinglet_agent_v1_AgentMessage__Output, _kinglet_agent_v1_ControlMessage__Output>
  Join: MethodDefinition<_kinglet_agent_v1_JoinRequest, _kinglet_agent_v1_JoinResponse, _kinglet_agent_v1_JoinRequest__Output, _kinglet_agent_v1_JoinResponse__Output>
}
