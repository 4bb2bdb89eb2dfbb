// A container whose configuration cannot be built (missing env source, runAsNonRoot violation):
// the pod worker reports it as the waiting reason CreateContainerConfigError, as the kubelet does.
export class EnvError extends Error {
  readonly reason = 'CreateContainerConfigError' as const;
}
