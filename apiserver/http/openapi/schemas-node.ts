// core/v1 Node: spec and status with the merge metadata controllers and agents rely on when they
// patch podCIDRs, addresses and conditions.
import { mergeByKey, mergeSet, object, objectHeader, type Schema } from './dsl.js';

const C = 'io.k8s.api.core.v1.';

export const NODE_SCHEMAS: Record<string, Schema> = {
  [`${C}Node`]: object('A worker machine that runs pods.', {
    ...objectHeader,
    spec: ['core.NodeSpec', 'Desired configuration of the node.'],
    status: ['core.NodeStatus', 'Most recently observed state of the node. Read-only.'],
  }),
  [`${C}NodeSpec`]: object('Desired configuration of a node.', {
    podCIDR: ['s', 'Pod IP range assigned to the node.'],
    podCIDRs: ['[s]', 'Pod IP ranges assigned to the node, one per IP family.', mergeSet],
    providerID: ['s', 'Cloud provider ID of the node.'],
    unschedulable: ['b', 'Keep new pods off the node (cordon).'],
    taints: ['[o]', 'Taints (key, value, effect) that repel pods without a matching toleration.'],
    configSource: ['o', 'Deprecated.'],
    externalID: ['s', 'Deprecated.'],
  }),
  [`${C}NodeStatus`]: object('Observed state of a node.', {
    capacity: ['{q}', 'Total resources of the node.'],
    allocatable: ['{q}', 'Resources available to pods.'],
    phase: ['s', 'Deprecated.'],
    conditions: ['[o]', 'Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable.', mergeByKey('type')],
    addresses: ['[o]', 'InternalIP, ExternalIP and Hostname addresses.', mergeByKey('type')],
    daemonEndpoints: ['o', 'Ports of the node agent.'],
    nodeInfo: ['o', 'Versions and identifiers of the node software.'],
    images: ['[o]', 'Images on the node.'],
    volumesInUse: ['[s]', 'Volumes attached and mounted.'],
    volumesAttached: ['[o]', 'Volumes attached to the node.'],
    config: ['o', 'Status of the dynamic configuration.'],
    runtimeHandlers: ['[o]', 'Available runtime handlers.'],
    features: ['o', 'Features the node supports.'],
  }),
};
