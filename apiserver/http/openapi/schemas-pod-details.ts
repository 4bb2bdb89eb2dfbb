// The smaller structs inside a pod spec (probes, hooks, security, affinity, volume sources). They are
// typed rather than free-form because kubectl walks these schemas field by field when it computes an
// apply patch: a changed nested map or list under a field without properties makes it give up.
import { mergeByKey, object, type Fields, type Schema } from './dsl.js';

const C = 'io.k8s.api.core.v1.';
const M = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

const handlerFields: Fields = {
  exec: ['core.ExecAction', 'Run a command in the container.'],
  httpGet: ['core.HTTPGetAction', 'Send an HTTP GET.'],
  tcpSocket: ['core.TCPSocketAction', 'Open a TCP connection.'],
  sleep: ['o', 'Sleep for a number of seconds.'],
};

const nodeSelectorTerm = `[${C}NodeSelectorTerm]`;
const weightedPodTerms = `[${C}WeightedPodAffinityTerm]`;

export const POD_DETAIL_SCHEMAS: Record<string, Schema> = {
  [`${C}EphemeralContainer`]: object('A debugging container added to a running pod.', {
    name: ['s', 'Name, unique within the pod.'],
    image: ['s', 'Image reference to run.'],
    command: ['[s]', 'Entrypoint.'],
    args: ['[s]', 'Arguments.'],
    env: ['[core.EnvVar]', 'Environment variables.', mergeByKey('name')],
    volumeMounts: ['[core.VolumeMount]', 'Volumes mounted into the container.', mergeByKey('mountPath')],
    targetContainerName: ['s', 'Container whose namespaces the debugging container joins.'],
    stdin: ['b', 'Keep a stdin buffer open.'],
    tty: ['b', 'Allocate a TTY.'],
  }),
  [`${C}ExecAction`]: object('Run a command.', { command: ['[s]', 'Command and arguments; not run in a shell.'] }),
  [`${C}HTTPGetAction`]: object('An HTTP GET request.', {
    path: ['s', 'Path to request.'],
    port: ['ios', 'Port number or container port name.'],
    host: ['s', 'Host to connect to; defaults to the pod IP.'],
    scheme: ['s', 'HTTP or HTTPS. Defaults to HTTP.'],
    httpHeaders: ['[o]', 'Extra request headers (name, value).'],
  }),
  [`${C}TCPSocketAction`]: object('A TCP connection attempt.', {
    port: ['ios', 'Port number or container port name.'],
    host: ['s', 'Host to connect to; defaults to the pod IP.'],
  }),
  [`${C}LifecycleHandler`]: object('An action run by a lifecycle hook.', handlerFields),
  [`${C}Lifecycle`]: object('Actions run after a container starts and before it stops.', {
    postStart: ['core.LifecycleHandler', 'Run right after the container is created.'],
    preStop: ['core.LifecycleHandler', 'Run before the container is stopped.'],
    stopSignal: ['s', 'Signal sent to stop the container.'],
  }),
  [`${C}SecurityContext`]: object('Security settings of a container.', {
    runAsUser: ['l', 'UID the entrypoint runs as.'],
    runAsGroup: ['l', 'GID the entrypoint runs as.'],
    runAsNonRoot: ['b', 'Refuse to start as UID 0.'],
    privileged: ['b', 'Run privileged.'],
    readOnlyRootFilesystem: ['b', 'Mount the root filesystem read-only.'],
    allowPrivilegeEscalation: ['b', 'Allow gaining more privileges than the parent process.'],
    capabilities: ['core.Capabilities', 'Capabilities to add and drop.'],
    seccompProfile: ['o', 'Seccomp profile (type, localhostProfile).'],
    seLinuxOptions: ['o', 'SELinux context.'],
    appArmorProfile: ['o', 'AppArmor profile.'],
    procMount: ['s', 'Default or Unmasked.'],
  }),
  [`${C}Capabilities`]: object('Linux capabilities added to and dropped from the defaults.', {
    add: ['[s]', 'Capabilities to add.'],
    drop: ['[s]', 'Capabilities to drop.'],
  }),
  [`${C}PodSecurityContext`]: object('Security settings shared by the containers of a pod.', {
    runAsUser: ['l', 'UID of every container entrypoint.'],
    runAsGroup: ['l', 'GID of every container entrypoint.'],
    runAsNonRoot: ['b', 'Refuse to start containers as UID 0.'],
    fsGroup: ['l', 'Group that owns the volumes.'],
    fsGroupChangePolicy: ['s', 'OnRootMismatch or Always.'],
    supplementalGroups: ['[l]', 'Extra groups of every container process.'],
    sysctls: ['[o]', 'Namespaced sysctls (name, value).'],
    seccompProfile: ['o', 'Seccomp profile (type, localhostProfile).'],
    seLinuxOptions: ['o', 'SELinux context.'],
    appArmorProfile: ['o', 'AppArmor profile.'],
  }),
  [`${C}HostAlias`]: object('Extra /etc/hosts entry.', { ip: ['s', 'IP address.'], hostnames: ['[s]', 'Host names for the IP.'] }),
  [`${C}PodDNSConfig`]: object('Extra DNS settings.', {
    nameservers: ['[s]', 'Extra name servers.'],
    searches: ['[s]', 'Extra search domains.'],
    options: ['[o]', 'resolv.conf options (name, value).'],
  }),
  [`${C}TopologySpreadConstraint`]: object('How matching pods spread over a topology.', {
    maxSkew: ['i', 'Largest allowed difference in pod counts between domains.'],
    topologyKey: ['s', 'Node label that defines the domains.'],
    whenUnsatisfiable: ['s', 'DoNotSchedule or ScheduleAnyway.'],
    labelSelector: ['meta.LabelSelector', 'Pods counted in each domain.'],
    minDomains: ['i', 'Minimum number of eligible domains.'],
    nodeAffinityPolicy: ['s', 'Honor or Ignore.'],
    nodeTaintsPolicy: ['s', 'Honor or Ignore.'],
    matchLabelKeys: ['[s]', 'Pod label keys added to the selector.'],
  }),
  [`${C}PodSchedulingGate`]: object('A gate that blocks scheduling while present.', { name: ['s', 'Name of the gate.'] }),
  [`${C}PodResourceClaim`]: object('A dynamic resource claim of the pod.', {
    name: ['s', 'Name used by containers to refer to the claim.'],
    resourceClaimName: ['s', 'An existing ResourceClaim.'],
    resourceClaimTemplateName: ['s', 'A template to create the claim from.'],
  }),
  [`${C}VolumeDevice`]: object('A raw block device mapped into a container.', {
    name: ['s', 'Name of a persistent volume claim of the pod.'],
    devicePath: ['s', 'Path of the device in the container.'],
  }),
  [`${C}Affinity`]: object('Scheduling constraints relative to nodes and other pods.', {
    nodeAffinity: ['core.NodeAffinity', 'Nodes the pod prefers or requires.'],
    podAffinity: ['core.PodAffinity', 'Pods this pod should run near.'],
    podAntiAffinity: ['core.PodAffinity', 'Pods this pod should run away from.'],
  }),
  [`${C}NodeAffinity`]: object('Node affinity rules.', {
    requiredDuringSchedulingIgnoredDuringExecution: [`${C}NodeSelector`, 'Hard requirement.'],
    preferredDuringSchedulingIgnoredDuringExecution: ['[o]', 'Weighted preferences (weight, preference).'],
  }),
  [`${C}NodeSelector`]: object('Node selector terms; any one must match.', { nodeSelectorTerms: [nodeSelectorTerm, 'The terms.'] }),
  [`${C}NodeSelectorTerm`]: object('Node requirements; all must match.', {
    matchExpressions: ['[o]', 'Requirements on node labels.'],
    matchFields: ['[o]', 'Requirements on node fields.'],
  }),
  [`${C}PodAffinity`]: object('Pod (anti-)affinity rules.', {
    requiredDuringSchedulingIgnoredDuringExecution: [`[${C}PodAffinityTerm]`, 'Hard requirements.'],
    preferredDuringSchedulingIgnoredDuringExecution: [weightedPodTerms, 'Weighted preferences.'],
  }),
  [`${C}PodAffinityTerm`]: object('Pods matched in a topology domain.', {
    labelSelector: [`${M}LabelSelector`, 'Pods to match.'],
    namespaceSelector: [`${M}LabelSelector`, 'Namespaces to look in.'],
    namespaces: ['[s]', 'Namespaces to look in.'],
    topologyKey: ['s', 'Node label that defines the domain.'],
    matchLabelKeys: ['[s]', 'Pod label keys added to the selector.'],
    mismatchLabelKeys: ['[s]', 'Pod label keys whose values must differ.'],
  }),
  [`${C}WeightedPodAffinityTerm`]: object('A weighted pod affinity term.', {
    weight: ['i', 'Weight, 1-100.'],
    podAffinityTerm: [`${C}PodAffinityTerm`, 'The term.'],
  }),
  [`${C}EmptyDirVolumeSource`]: object('A scratch directory.', {
    medium: ['s', 'Empty for disk, Memory for tmpfs.'],
    sizeLimit: ['q', 'Maximum size.'],
  }),
  [`${C}HostPathVolumeSource`]: object('A path on the node.', { path: ['s', 'Path on the node.'], type: ['s', 'Expected type of the path.'] }),
  [`${C}KeyToPath`]: object('Maps a key to a file.', {
    key: ['s', 'The key.'],
    path: ['s', 'Relative file path.'],
    mode: ['i', 'File mode bits.'],
  }),
  [`${C}ConfigMapVolumeSource`]: object('Files from a ConfigMap.', {
    name: ['s', 'Name of the ConfigMap.'],
    items: [`[${C}KeyToPath]`, 'Only these keys, at these paths.'],
    defaultMode: ['i', 'Mode bits of the files.'],
    optional: ['b', 'Start even if the ConfigMap is missing.'],
  }),
  [`${C}SecretVolumeSource`]: object('Files from a Secret.', {
    secretName: ['s', 'Name of the Secret.'],
    items: [`[${C}KeyToPath]`, 'Only these keys, at these paths.'],
    defaultMode: ['i', 'Mode bits of the files.'],
    optional: ['b', 'Start even if the Secret is missing.'],
  }),
  [`${C}ProjectedVolumeSource`]: object('Several sources in one directory.', {
    sources: ['[o]', 'ConfigMaps, Secrets, downward API fields and service account tokens.'],
    defaultMode: ['i', 'Mode bits of the files.'],
  }),
  [`${C}DownwardAPIVolumeSource`]: object('Pod fields as files.', {
    items: ['[o]', 'Files and the pod field or resource each one holds.'],
    defaultMode: ['i', 'Mode bits of the files.'],
  }),
  [`${C}CSIVolumeSource`]: object('An ephemeral volume from a CSI driver.', {
    driver: ['s', 'Name of the CSI driver.'],
    readOnly: ['b', 'Mount read-only.'],
    fsType: ['s', 'Filesystem type.'],
    volumeAttributes: ['{s}', 'Driver-specific attributes.'],
    nodePublishSecretRef: ['core.LocalObjectReference', 'Secret passed to the driver.'],
  }),
  [`${C}PersistentVolumeClaimVolumeSource`]: object('A persistent volume claim.', {
    claimName: ['s', 'Name of the claim.'],
    readOnly: ['b', 'Mount read-only.'],
  }),
};
