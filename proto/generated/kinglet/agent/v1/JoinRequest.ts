// Original file: proto/agent.proto


export interface JoinRequest {
  'token'?: (string);
  'nodeName'?: (string);
  'csrPem'?: (string);
}

export interface JoinRequest__Output {
  'token': (string);
  'nodeName': (string);
  'csrPem': (string);
}
