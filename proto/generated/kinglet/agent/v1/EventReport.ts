// Original file: proto/agent.proto


export interface EventReport {
  'eventJson'?: (Buffer | Uint8Array | string);
}

export interface EventReport__Output {
  'eventJson': (Buffer);
}
