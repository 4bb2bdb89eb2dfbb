// Parses a Kubernetes API path into what is being asked for, the way the apiserver's
// RequestInfoFactory does: /api/v1/namespaces/ns/pods/name/status, /apis/apps/v1/deployments, ...
import { resourceFor, type ResourceInfo } from '../../api/resources.js';
import { ApiError } from '../../lib/errors.js';

export interface ResourceRequest {
  kind: 'resource';
  ri: ResourceInfo;
  group: string;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** legacy /watch/ prefix */
  legacyWatch: boolean;
}

export interface OtherRequest {
  kind: 'other';
  path: string;
}

export function parseRequestPath(path: string): ResourceRequest | OtherRequest {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let i: number;
  let group: string;
  let version: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1];
    i = 2;
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    version = parts[2];
    i = 3;
  } else return { kind: 'other', path };
  let legacyWatch = false;
  if (parts[i] === 'watch') {
    legacyWatch = true;
    i++;
  }
  let namespace: string | undefined;
  // "namespaces/NAME/<resource>" names a namespace scope; "namespaces[/NAME[/status|finalize]]" is the Namespace resource itself.
  if (parts[i] === 'namespaces' && parts.length > i + 2) {
    namespace = parts[i + 1];
    i += 2;
  }
  const plural = parts[i];
  const ri = resourceFor(group, plural);
  if (!ri || ri.version !== version) throw new ApiError('NotFound', 'the server could not find the requested resource', { kind: plural, group });
  if (namespace !== undefined && !ri.namespaced)
    throw new ApiError('NotFound', 'the server could not find the requested resource');
  const name = parts[i + 1];
  const subresource = parts[i + 2];
  if (parts.length > i + 3) throw new ApiError('NotFound', 'the server could not find the requested resource');
  if (subresource && !(ri.subresources ?? []).includes(subresource))
    throw new ApiError('NotFound', 'the server could not find the requested resource');
  return { kind: 'resource', ri, group, version, namespace, name, subresource, legacyWatch };
}
