// Addresses of the local test registries (scripts/images/ensure-registry.sh) and the test images
// pushed there by scripts/images/build-test-images.sh. Loopback only; never a public registry.
export const REGISTRY = `127.0.0.1:${process.env.KINGLET_REGISTRY_PORT ?? '5000'}`;
/** htpasswd-protected registry, for the imagePullSecrets case */
export const AUTH_REGISTRY = `127.0.0.1:${process.env.KINGLET_AUTH_REGISTRY_PORT ?? '5001'}`;
export const AUTH_USER = process.env.KINGLET_REGISTRY_USER ?? 'kinglet';
export const AUTH_PASSWORD = process.env.KINGLET_REGISTRY_PASSWORD ?? 'pull-secret-password';

/** the image as built locally (docker import), before tagging for a registry */
export const LOCAL_BUSYBOX = 'kinglet-test/busybox:1';
/** busybox-static with applets, /www/index.html; CMD /bin/sh */
export const BUSYBOX_IMAGE = `${REGISTRY}/${LOCAL_BUSYBOX}`;
export const AUTH_BUSYBOX_IMAGE = `${AUTH_REGISTRY}/${LOCAL_BUSYBOX}`;
/** a repository that does not exist in the open registry */
export const MISSING_IMAGE = `${REGISTRY}/kinglet-test/does-not-exist:1`;

/** A kubernetes.io/dockerconfigjson payload for the auth registry. */
export function dockerConfigJson(user = AUTH_USER, password = AUTH_PASSWORD): string {
  const auth = Buffer.from(`${user}:${password}`).toString('base64');
  return JSON.stringify({ auths: { [AUTH_REGISTRY]: { username: user, password, auth } } });
}
