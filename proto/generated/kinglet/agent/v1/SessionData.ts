// Original file: proto/agent.proto


export interface SessionData {
  'sessionId'?: (string);
  'stream'?: (number);
  'data'?: (Buffer | Uint8Array | string);
  'eof'?: (boolean);
  'errorStatusJson'?: (Buffer | Uint8Array | string);
}

export interface SessionData__Output {
  'sessionId': (string);
  'stream': (number);
  'data': (Buffer);
  'eof': (boolean);
  'errorStatusJson': (Buffer);
}
