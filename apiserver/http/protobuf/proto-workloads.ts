// apps/v1, batch/v1 and policy/v1 kinds, from the generated.proto files of k8s.io/api.
// See proto-meta.ts for (ptr) and (inline).
export const WORKLOADS_PROTO = `
syntax = "proto2";
package k8s;

message Deployment { optional ObjectMeta metadata = 1; optional DeploymentSpec spec = 2; optional DeploymentStatus status = 3; }
message DeploymentSpec {
  optional int32 replicas = 1 [(ptr) = true];
  optional LabelSelector selector = 2;
  optional PodTemplateSpec template = 3;
  optional DeploymentStrategy strategy = 4;
  optional int32 minReadySeconds = 5;
  optional int32 revisionHistoryLimit = 6 [(ptr) = true];
  optional bool paused = 7;
  optional int32 progressDeadlineSeconds = 9 [(ptr) = true];
}
message DeploymentStrategy { optional string type = 1; optional RollingUpdateDeployment rollingUpdate = 2; }
message RollingUpdateDeployment {
  optional IntOrString maxUnavailable = 1 [(ptr) = true];
  optional IntOrString maxSurge = 2 [(ptr) = true];
}
message DeploymentStatus {
  optional int64 observedGeneration = 1;
  optional int32 replicas = 2;
  optional int32 updatedReplicas = 3;
  optional int32 readyReplicas = 7;
  optional int32 availableReplicas = 4;
  optional int32 unavailableReplicas = 5;
  repeated DeploymentCondition conditions = 6;
  optional int32 collisionCount = 8 [(ptr) = true];
}
message DeploymentCondition {
  optional string type = 1;
  optional string status = 2;
  optional Time lastUpdateTime = 6;
  optional Time lastTransitionTime = 7;
  optional string reason = 4;
  optional string message = 5;
}

message ReplicaSet { optional ObjectMeta metadata = 1; optional ReplicaSetSpec spec = 2; optional ReplicaSetStatus status = 3; }
message ReplicaSetSpec {
  optional int32 replicas = 1 [(ptr) = true];
  optional int32 minReadySeconds = 4;
  optional LabelSelector selector = 2;
  optional PodTemplateSpec template = 3;
}
message ReplicaSetStatus {
  optional int32 replicas = 1;
  optional int32 fullyLabeledReplicas = 2;
  optional int32 readyReplicas = 4;
  optional int32 availableReplicas = 5;
  optional int64 observedGeneration = 3;
  repeated ReplicaSetCondition conditions = 6;
}
message ReplicaSetCondition {
  optional string type = 1;
  optional string status = 2;
  optional Time lastTransitionTime = 3;
  optional string reason = 4;
  optional string message = 5;
}

message Job { optional ObjectMeta metadata = 1; optional JobSpec spec = 2; optional JobStatus status = 3; }
message JobSpec {
  optional int32 parallelism = 1 [(ptr) = true];
  optional int32 completions = 2 [(ptr) = true];
  optional int64 activeDeadlineSeconds = 3 [(ptr) = true];
  optional int32 backoffLimit = 7 [(ptr) = true];
  optional int32 backoffLimitPerIndex = 12 [(ptr) = true];
  optional int32 maxFailedIndexes = 13 [(ptr) = true];
  optional LabelSelector selector = 4;
  optional bool manualSelector = 5 [(ptr) = true];
  optional PodTemplateSpec template = 6;
  optional int32 ttlSecondsAfterFinished = 8 [(ptr) = true];
  optional string completionMode = 9 [(ptr) = true];
  optional bool suspend = 10 [(ptr) = true];
  optional string podReplacementPolicy = 14 [(ptr) = true];
  optional string managedBy = 15 [(ptr) = true];
}
message JobStatus {
  repeated JobCondition conditions = 1;
  optional Time startTime = 2;
  optional Time completionTime = 3;
  optional int32 active = 4;
  optional int32 succeeded = 5;
  optional int32 failed = 6;
  optional int32 terminating = 11 [(ptr) = true];
  optional string completedIndexes = 7;
  optional string failedIndexes = 10 [(ptr) = true];
  optional int32 ready = 9 [(ptr) = true];
}
message JobCondition {
  optional string type = 1;
  optional string status = 2;
  optional Time lastProbeTime = 3;
  optional Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}
message JobTemplateSpec { optional ObjectMeta metadata = 1; optional JobSpec spec = 2; }
message CronJob { optional ObjectMeta metadata = 1; optional CronJobSpec spec = 2; optional CronJobStatus status = 3; }
message CronJobSpec {
  optional string schedule = 1;
  optional string timeZone = 8 [(ptr) = true];
  optional int64 startingDeadlineSeconds = 2 [(ptr) = true];
  optional string concurrencyPolicy = 3;
  optional bool suspend = 4 [(ptr) = true];
  optional JobTemplateSpec jobTemplate = 5;
  optional int32 successfulJobsHistoryLimit = 6 [(ptr) = true];
  optional int32 failedJobsHistoryLimit = 7 [(ptr) = true];
}
message CronJobStatus { repeated ObjectReference active = 1; optional Time lastScheduleTime = 4; optional Time lastSuccessfulTime = 5; }

message PodDisruptionBudget { optional ObjectMeta metadata = 1; optional PodDisruptionBudgetSpec spec = 2; optional PodDisruptionBudgetStatus status = 3; }
message PodDisruptionBudgetSpec {
  optional IntOrString minAvailable = 1 [(ptr) = true];
  optional LabelSelector selector = 2;
  optional IntOrString maxUnavailable = 3 [(ptr) = true];
  optional string unhealthyPodEvictionPolicy = 4 [(ptr) = true];
}
message PodDisruptionBudgetStatus {
  optional int64 observedGeneration = 1;
  map<string, Time> disruptedPods = 2;
  optional int32 disruptionsAllowed = 3;
  optional int32 currentHealthy = 4;
  optional int32 desiredHealthy = 5;
  optional int32 expectedPods = 6;
  repeated Condition conditions = 7;
}
`;
