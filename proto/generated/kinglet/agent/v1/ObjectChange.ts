// Original file: proto/agent.proto


// Original file: proto/agent.proto

export const _kinglet_agent_v1_ObjectChange_Type = {
  UPSERT: 'UPSERT',
  DELETE: 'DELETE',
} as const;

export type _kinglet_agent_v1_ObjectChange_Type =
  | 'UPSERT'
  | 0
  | 'DELETE'
  | 1

export type _kinglet_agent_v1_ObjectChange_Type__Output = typeof _kinglet_agent_v1_ObjectChange_Type[keyof typeof _kinglet_agent_v1_ObjectChange_Type]

export interface ObjectChange {
  'type'?: (_kinglet_agent_v1_ObjectChange_Type);
  'kind'?: (string);
  'objectJson'?: (Buffer | Uint8Array | string);
}

export interface ObjectChange__Output {
  'type': (_kinglet_agent_v1_ObjectChange_Type__Output);
  'kind': (string);
  'objectJson': (Buffer);
}
