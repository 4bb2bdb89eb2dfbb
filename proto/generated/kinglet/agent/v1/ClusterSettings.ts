// Original file: proto/agent.proto


export interface ClusterSettings {
  'serviceCidr'?: (string);
  'clusterCidr'?: (string);
  'podCidr'?: (string);
  'clusterDns'?: (string);
  'clusterDomain'?: (string);
}

export interface ClusterSettings__Output {
  'serviceCidr': (string);
  'clusterCidr': (string);
  'podCidr': (string);
  'clusterDns': (string);
  'clusterDomain': (string);
}
