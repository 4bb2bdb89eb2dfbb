// Original file: proto/agent.proto


export interface NodeStatusUpdate {
  'nodeJson'?: (Buffer | Uint8Array | string);
}

export interface NodeStatusUpdate__Output {
  'nodeJson': (Buffer);
}
