// The container runtime as the agent sees it: CRI-shaped, Docker-agnostic. Only
// docker-runtime.ts implements it (and a recording fake in tests). The runtime is the memory:
// everything needed to rebuild pod state after an agent restart is in the labels below.

export type ContainerKind = 'sandbox' | 'init' | 'app';

/** Identity written into Docker labels (see labels.ts for the label keys). */
export interface ContainerIdentity {
  podUid: string;
  podName: string;
  podNamespace: string;
  /** the Kubernetes container name; "POD" for the sandbox */
  containerName: string;
  kind: ContainerKind;
  /** hash of the container spec that created it: a changed spec means recreate */
  specHash: string;
  /** restart count of this container (attempt number), so restarts survive an agent restart */
  restartCount: number;
}

export type ContainerState = 'created' | 'running' | 'exited' | 'unknown';

export interface RuntimeContainer extends ContainerIdentity {
  id: string;
  image: string;
  imageId: string;
  state: ContainerState;
  exitCode?: number;
  oomKilled?: boolean;
  /** runtime error text for a failed start, if any */
  error?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** IPv4 of the sandbox on the pod network (sandbox only) */
  ip?: string;
}

export interface RuntimePod {
  uid: string;
  name: string;
  namespace: string;
  /** newest sandbox first */
  sandboxes: RuntimeContainer[];
  containers: RuntimeContainer[];
}

export interface Mount {
  hostPath: string;
  containerPath: string;
  readOnly?: boolean;
}

export interface SandboxConfig {
  identity: ContainerIdentity;
  hostname: string;
  /** Docker network to attach (the node's pod network); undefined = runtime default bridge */
  network?: string;
  hostNetwork?: boolean;
  dns?: { servers: string[]; searches: string[]; options: string[] };
  /** the sandbox's whole /etc/resolv.conf (shared by its containers), written after start */
  resolvConf?: string;
  /** extra /etc/hosts lines "IP name1 name2" */
  extraHosts?: string[];
  portMappings?: { hostPort: number; containerPort: number; protocol: 'TCP' | 'UDP' | 'SCTP'; hostIP?: string }[];
  /** cgroup-parent / resources for the whole pod are not modelled yet */
  labels?: Record<string, string>;
}

export interface ContainerConfig {
  identity: ContainerIdentity;
  image: string;
  /** entrypoint override (Kubernetes command) */
  command?: string[];
  /** cmd override (Kubernetes args) */
  args?: string[];
  workingDir?: string;
  env: string[];
  mounts: Mount[];
  /** container path → tmpfs options */
  tmpfs?: Record<string, string>;
  /** id of the sandbox whose network/IPC/UTS namespaces to join */
  sandboxId: string;
  user?: string;
  groupAdd?: string[];
  privileged?: boolean;
  readOnlyRootfs?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  noNewPrivileges?: boolean;
  memoryBytes?: number;
  cpuQuota?: number;
  cpuPeriod?: number;
  cpuShares?: number;
  pidsLimit?: number;
  stdin?: boolean;
  tty?: boolean;
  labels?: Record<string, string>;
}

export interface PullAuth {
  username?: string;
  password?: string;
  auth?: string;
  serveraddress: string;
}

export interface ImagePullResult {
  imageId: string;
  pulled: boolean;
}

/** A failure the pod status must show verbatim (ErrImagePull, CreateContainerError, ...). */
export class RuntimeError extends Error {
  constructor(
    readonly reason: 'ErrImagePull' | 'ErrImageNeverPull' | 'CreateContainerError' | 'RunContainerError' | 'CreatePodSandboxError' | 'InvalidImageName',
    message: string,
  ) {
    super(message);
  }
}

export interface ExecResult {
  exitCode: number;
  output: string;
  timedOut: boolean;
}

export interface LogOptions {
  follow?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  timestamps?: boolean;
  limitBytes?: number;
}

export interface RuntimeEvent {
  podUid: string;
  containerId: string;
  action: string; // start, die, oom, destroy, ...
}

export interface Runtime {
  version(): Promise<{ name: string; version: string; apiVersion: string }>;
  /** every kinglet-managed container, grouped by pod uid (running and exited) */
  listPods(signal?: AbortSignal): Promise<RuntimePod[]>;
  /** image present by reference? returns its id */
  imageId(image: string): Promise<string | undefined>;
  pullImage(image: string, auth: PullAuth[] | undefined, signal?: AbortSignal): Promise<string>;
  createSandbox(cfg: SandboxConfig, signal?: AbortSignal): Promise<string>;
  createContainer(cfg: ContainerConfig, signal?: AbortSignal): Promise<string>;
  startContainer(id: string, signal?: AbortSignal): Promise<void>;
  /** send the stop signal, wait up to graceSeconds, then SIGKILL */
  stopContainer(id: string, graceSeconds: number, signal?: AbortSignal): Promise<void>;
  removeContainer(id: string): Promise<void>;
  inspect(id: string): Promise<RuntimeContainer | undefined>;
  exec(id: string, cmd: string[], timeoutMs: number, signal?: AbortSignal): Promise<ExecResult>;
  logs(id: string, opts: LogOptions, signal?: AbortSignal): Promise<NodeJS.ReadableStream>;
  /** copy a file out of a container (termination message) */
  readFile(id: string, path: string, maxBytes: number): Promise<string | undefined>;
  /** subscribe to container events of kinglet containers; returns unsubscribe */
  events(onEvent: (ev: RuntimeEvent) => void): () => void;
  listImages(): Promise<{ id: string; tags: string[]; size: number; created: number }[]>;
  removeImage(id: string): Promise<void>;
  /** replace a started sandbox's /etc/resolv.conf (optional: runtimes that honour dns natively skip it) */
  writeResolvConf?(sandboxId: string, text: string): Promise<void>;
  /**
   * ensure the node's pod network exists (bridge with the podCIDR); returns the network name.
   * masquerade: false when the agent's pod network does NAT itself (pod->pod must keep its source IP)
   */
  ensurePodNetwork(name: string, subnet: string, gateway: string, bridgeName: string, opts?: { masquerade?: boolean }): Promise<string>;
}
