// Loads proto/agent.proto for @grpc/grpc-js. The ONLY place with proto-loader options: they must
// match the flags in scripts/gen-proto.sh, because proto/generated/ describes the objects these
// options produce (camelCase fields, int64 as number, enums as strings, defaults filled in, and a
// virtual `msg` field naming the set member of each oneof).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/agent.js';

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** A .proto (default agent.proto) next to this file (sources) or in the repo's proto/ (from dist/proto/). */
export function agentProtoPath(file = 'agent.proto'): string {
  const candidates = [new URL(`./${file}`, import.meta.url), new URL(`../../proto/${file}`, import.meta.url)];
  for (const u of candidates) {
    const p = fileURLToPath(u);
    if (existsSync(p)) return p;
  }
  throw new Error(`${file} not found (looked at ${candidates.map((u) => fileURLToPath(u)).join(', ')})`);
}

let cached: ProtoGrpcType | undefined;

/** The typed package object; AgentService.service is the definition servers add and clients dial. */
export function loadAgentProto(): ProtoGrpcType {
  if (!cached) {
    const def = protoLoader.loadSync(agentProtoPath(), LOADER_OPTIONS);
    cached = grpc.loadPackageDefinition(def) as unknown as ProtoGrpcType;
  }
  return cached;
}

/** The gRPC health-checking service (proto/health.proto): the grpc probe's client, tests' servers. */
export interface HealthPackage {
  Health: grpc.ServiceClientConstructor;
}

let health: HealthPackage | undefined;

export function loadHealthProto(): HealthPackage {
  if (!health) {
    const def = protoLoader.loadSync(agentProtoPath('health.proto'), LOADER_OPTIONS);
    health = (grpc.loadPackageDefinition(def) as any).grpc.health.v1 as HealthPackage;
  }
  return health;
}

/** Shorthand for the package namespace kinglet.agent.v1. */
export function agentV1(): ProtoGrpcType['kinglet']['agent']['v1'] {
  return loadAgentProto().kinglet.agent.v1;
}

export type { AgentMessage, AgentMessage__Output } from './generated/kinglet/agent/v1/AgentMessage.js';
export type { ControlMessage, ControlMessage__Output } from './generated/kinglet/agent/v1/ControlMessage.js';
export type { JoinRequest, JoinRequest__Output } from './generated/kinglet/agent/v1/JoinRequest.js';
export type { JoinResponse, JoinResponse__Output } from './generated/kinglet/agent/v1/JoinResponse.js';
export type { ClusterSettings, ClusterSettings__Output } from './generated/kinglet/agent/v1/ClusterSettings.js';
export type { ObjectChange, ObjectChange__Output } from './generated/kinglet/agent/v1/ObjectChange.js';
export type { LogRequest, LogRequest__Output } from './generated/kinglet/agent/v1/LogRequest.js';
export type { SessionData, SessionData__Output } from './generated/kinglet/agent/v1/SessionData.js';
export type { PodStatusUpdate, PodStatusUpdate__Output } from './generated/kinglet/agent/v1/PodStatusUpdate.js';
export type { AgentServiceClient, AgentServiceHandlers } from './generated/kinglet/agent/v1/AgentService.js';
