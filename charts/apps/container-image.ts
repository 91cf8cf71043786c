import type { ContainerImage } from '../model/workload.js';

const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Problems of an image, each as `field: message`; empty when the image is pinned and well-formed. */
export function imageProblems(image: ContainerImage | undefined): string[] {
  if (!image || typeof image !== 'object') return ['image: is required: give { repository, tag } or { repository, digest }'];
  const out: string[] = [];
  if (typeof image.repository !== 'string' || !REPOSITORY.test(image.repository)) {
    out.push(`image.repository: "${image.repository}" is not an image repository (lower-case, no tag or digest: put those in tag / digest)`);
  }
  if (image.tag === undefined && image.digest === undefined) out.push('image.tag: the image has no tag or digest; pin it (tag "v1.2.3" or digest "sha256:...")');
  if (image.tag !== undefined && typeof image.tag !== 'string') out.push(`image.tag: must be a string, got ${JSON.stringify(image.tag)}`);
  else if (image.tag !== undefined) {
    if (image.tag.toLowerCase() === 'latest') out.push(`image.tag: "${image.tag}" is not a pin ("latest" in any letter case is refused); use a version tag or a digest`);
    else if (!TAG.test(image.tag)) out.push(`image.tag: "${image.tag}" is not a valid image tag`);
  }
  if (image.digest !== undefined && (typeof image.digest !== 'string' || !DIGEST.test(image.digest))) out.push(`image.digest: "${image.digest}" is not a digest (sha256: and 64 hex digits)`);
  return out;
}

/** The image reference a container uses: `repo:tag`, `repo@digest` or `repo:tag@digest`. */
export function imageReference(image: ContainerImage): string {
  return `${image.repository}${image.tag ? `:${image.tag}` : ''}${image.digest ? `@${image.digest}` : ''}`;
}
