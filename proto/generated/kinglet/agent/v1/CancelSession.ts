// Original file: proto/agent.proto


export interface CancelSession {
  'sessionId'?: (string);
}

export interface CancelSession__Output {
  'sessionId': (string);
}
