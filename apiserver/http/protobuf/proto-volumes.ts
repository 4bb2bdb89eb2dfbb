// core/v1 pod volumes and their common sources, from k8s.io/api/core/v1/generated.proto.
// Cloud and legacy plugins are left out. See proto-meta.ts for (ptr) and (inline).
export const VOLUMES_PROTO = `
syntax = "proto2";
package k8s;

message Volume { optional string name = 1; optional VolumeSource volumeSource = 2 [(inline) = true]; }
message VolumeSource {
  optional HostPathVolumeSource hostPath = 1;
  optional EmptyDirVolumeSource emptyDir = 2;
  optional SecretVolumeSource secret = 6;
  optional NFSVolumeSource nfs = 7;
  optional PersistentVolumeClaimVolumeSource persistentVolumeClaim = 10;
  optional DownwardAPIVolumeSource downwardAPI = 16;
  optional ConfigMapVolumeSource configMap = 19;
  optional ProjectedVolumeSource projected = 26;
  optional CSIVolumeSource csi = 28;
}
message HostPathVolumeSource { optional string path = 1; optional string type = 2 [(ptr) = true]; }
message EmptyDirVolumeSource { optional string medium = 1; optional Quantity sizeLimit = 2; }
message SecretVolumeSource {
  optional string secretName = 1;
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3 [(ptr) = true];
  optional bool optional = 4 [(ptr) = true];
}
message KeyToPath { optional string key = 1; optional string path = 2; optional int32 mode = 3 [(ptr) = true]; }
message NFSVolumeSource { optional string server = 1; optional string path = 2; optional bool readOnly = 3; }
message PersistentVolumeClaimVolumeSource { optional string claimName = 1; optional bool readOnly = 2; }
message DownwardAPIVolumeSource { repeated DownwardAPIVolumeFile items = 1; optional int32 defaultMode = 2 [(ptr) = true]; }
message DownwardAPIVolumeFile {
  optional string path = 1;
  optional ObjectFieldSelector fieldRef = 2;
  optional ResourceFieldSelector resourceFieldRef = 3;
  optional int32 mode = 4 [(ptr) = true];
}
message ConfigMapVolumeSource {
  optional LocalObjectReference localObjectReference = 1 [(inline) = true];
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3 [(ptr) = true];
  optional bool optional = 4 [(ptr) = true];
}
message ProjectedVolumeSource { repeated VolumeProjection sources = 1; optional int32 defaultMode = 2 [(ptr) = true]; }
message VolumeProjection {
  optional SecretProjection secret = 1;
  optional DownwardAPIProjection downwardAPI = 2;
  optional ConfigMapProjection configMap = 3;
  optional ServiceAccountTokenProjection serviceAccountToken = 4;
}
message SecretProjection { optional LocalObjectReference localObjectReference = 1 [(inline) = true]; repeated KeyToPath items = 2; optional bool optional = 4 [(ptr) = true]; }
message ConfigMapProjection { optional LocalObjectReference localObjectReference = 1 [(inline) = true]; repeated KeyToPath items = 2; optional bool optional = 4 [(ptr) = true]; }
message DownwardAPIProjection { repeated DownwardAPIVolumeFile items = 1; }
message ServiceAccountTokenProjection { optional string audience = 1; optional int64 expirationSeconds = 2 [(ptr) = true]; optional string path = 3; }
message CSIVolumeSource {
  optional string driver = 1;
  optional bool readOnly = 2 [(ptr) = true];
  optional string fsType = 3 [(ptr) = true];
  map<string, string> volumeAttributes = 4;
  optional LocalObjectReference nodePublishSecretRef = 5;
}
`;
