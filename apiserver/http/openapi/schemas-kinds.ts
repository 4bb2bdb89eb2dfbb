// Detailed schemas for Deployment, Service, ConfigMap and friends. Kinds not described here get a
// generic schema (see kinds.ts).
import { mergeByKey, object, objectHeader, retainKeys, type Schema } from './dsl.js';
import { NODE_SCHEMAS } from './schemas-node.js';
import { WORKLOAD_SCHEMAS } from './schemas-workloads.js';

const C = 'io.k8s.api.core.v1.';
const A = 'io.k8s.api.apps.v1.';

export const KIND_SCHEMAS: Record<string, Schema> = {
  [`${A}Deployment`]: object('Declarative updates for a set of identical pods, through ReplicaSets.', {
    ...objectHeader,
    spec: ['apps.DeploymentSpec', 'Desired state of the deployment.'],
    status: ['apps.DeploymentStatus', 'Most recently observed state. Read-only.'],
  }),
  [`${A}DeploymentSpec`]: object(
    'Desired state of a deployment.',
    {
      replicas: ['i', 'Number of desired pods. Defaults to 1.'],
      selector: ['meta.LabelSelector', 'Selects the pods this deployment owns; must match the template labels. Immutable.'],
      template: ['core.PodTemplateSpec', 'The pods to create.'],
      strategy: ['apps.DeploymentStrategy', 'How old pods are replaced by new ones.', retainKeys],
      minReadySeconds: ['i', 'Seconds a new pod must be ready before it counts as available.'],
      revisionHistoryLimit: ['i', 'Old ReplicaSets kept for rollback. Defaults to 10.'],
      paused: ['b', 'Stop rolling out template changes.'],
      progressDeadlineSeconds: ['i', 'Seconds without progress before the rollout is reported as failed. Defaults to 600.'],
    },
    ['selector', 'template'],
  ),
  [`${A}DeploymentStrategy`]: object('How a deployment replaces pods.', {
    type: ['s', 'RollingUpdate (default) or Recreate.'],
    rollingUpdate: ['apps.RollingUpdateDeployment', 'Parameters of a rolling update.'],
  }),
  [`${A}RollingUpdateDeployment`]: object('Limits of a rolling update.', {
    maxUnavailable: ['ios', 'Pods that may be unavailable during the update (number or percent). Defaults to 25%.'],
    maxSurge: ['ios', 'Pods that may be created above the desired count (number or percent). Defaults to 25%.'],
  }),
  [`${A}DeploymentStatus`]: object('Observed state of a deployment.', {
    observedGeneration: ['l', 'Generation last acted on by the controller.'],
    replicas: ['i', 'Pods targeted by the deployment.'],
    updatedReplicas: ['i', 'Pods running the latest template.'],
    readyReplicas: ['i', 'Pods that are ready.'],
    availableReplicas: ['i', 'Pods ready for at least minReadySeconds.'],
    unavailableReplicas: ['i', 'Pods still needed to reach the desired count.'],
    conditions: ['[o]', 'Available and Progressing conditions.', mergeByKey('type')],
    collisionCount: ['i', 'Counter used to avoid ReplicaSet name collisions.'],
  }),
  [`${C}Service`]: object('A stable virtual IP and DNS name in front of a set of pods.', {
    ...objectHeader,
    spec: ['core.ServiceSpec', 'Desired behaviour of the service.'],
    status: ['core.ServiceStatus', 'Observed state of the service. Read-only.'],
  }),
  [`${C}ServiceSpec`]: object('Desired behaviour of a service.', {
    ports: ['[core.ServicePort]', 'Ports the service exposes.', mergeByKey('port', ['port', 'protocol'])],
    selector: ['{s}', 'Pods with these labels receive the traffic. Without it endpoints are managed by hand.'],
    clusterIP: ['s', 'Virtual IP; allocated when empty, "None" for a headless service. Immutable.'],
    clusterIPs: ['[s]', 'All cluster IPs (one per IP family).'],
    type: ['s', 'ClusterIP (default), NodePort, LoadBalancer or ExternalName.'],
    externalIPs: ['[s]', 'Extra IPs that also route to the service.'],
    sessionAffinity: ['s', 'None (default) or ClientIP.'],
    sessionAffinityConfig: ['core.SessionAffinityConfig', 'Settings of ClientIP affinity.'],
    loadBalancerIP: ['s', 'Deprecated: requested load balancer IP.'],
    loadBalancerSourceRanges: ['[s]', 'Client CIDRs allowed through the load balancer.'],
    loadBalancerClass: ['s', 'Load balancer implementation.'],
    allocateLoadBalancerNodePorts: ['b', 'Allocate node ports for a LoadBalancer. Defaults to true.'],
    healthCheckNodePort: ['i', 'Health check node port for externalTrafficPolicy Local.'],
    trafficDistribution: ['s', 'Routing preference, e.g. PreferClose.'],
    externalName: ['s', 'DNS name returned for type ExternalName.'],
    externalTrafficPolicy: ['s', 'Cluster or Local: whether node ports may forward to other nodes.'],
    internalTrafficPolicy: ['s', 'Cluster or Local for traffic from inside the cluster.'],
    publishNotReadyAddresses: ['b', 'Publish endpoints of pods that are not ready.'],
    ipFamilies: ['[s]', 'IPv4 and/or IPv6.'],
    ipFamilyPolicy: ['s', 'SingleStack, PreferDualStack or RequireDualStack.'],
  }),
  [`${C}ServicePort`]: object(
    'One port of a service.',
    {
      name: ['s', 'Name of the port; required when there are several.'],
      protocol: ['s', 'TCP, UDP or SCTP. Defaults to TCP.'],
      appProtocol: ['s', 'Application protocol hint, e.g. http.'],
      port: ['i', 'Port the service listens on.'],
      targetPort: ['ios', 'Pod port number or container port name. Defaults to port.'],
      nodePort: ['i', 'Port on every node for NodePort and LoadBalancer; allocated when empty.'],
    },
    ['port'],
  ),
  [`${C}SessionAffinityConfig`]: object('Settings of session affinity.', {
    clientIP: ['core.ClientIPConfig', 'Settings of ClientIP affinity.'],
  }),
  [`${C}ClientIPConfig`]: object('Settings of ClientIP affinity.', {
    timeoutSeconds: ['i', 'Seconds a client sticks to one endpoint. Defaults to 10800.'],
  }),
  [`${C}ServiceStatus`]: object('Observed state of a service.', {
    loadBalancer: ['o', 'Ingress points of the load balancer, if any.'],
    conditions: ['[meta.Condition]', 'Current conditions of the service.', mergeByKey('type')],
  }),
  [`${C}ConfigMap`]: object('Non-secret configuration as key/value pairs, consumed as files or environment.', {
    ...objectHeader,
    data: ['{s}', 'UTF-8 values by key.'],
    binaryData: ['{s}', 'Binary values by key, base64 encoded.'],
    immutable: ['b', 'When true, data can no longer be changed.'],
  }),
  [`${C}Secret`]: object('Sensitive data such as passwords, tokens or keys.', {
    ...objectHeader,
    data: ['{s}', 'Values by key, base64 encoded.'],
    stringData: ['{s}', 'Write-only plain-text values merged into data.'],
    type: ['s', 'Used to validate the content, e.g. Opaque or kubernetes.io/tls.'],
    immutable: ['b', 'When true, data can no longer be changed.'],
  }),
  [`${C}Namespace`]: object('A scope for names; most objects live in one.', {
    ...objectHeader,
    spec: ['o', 'finalizers that must finish before the namespace is removed.'],
    status: ['o', 'phase: Active or Terminating.'],
  }),
  ...WORKLOAD_SCHEMAS,
  ...NODE_SCHEMAS,
};
