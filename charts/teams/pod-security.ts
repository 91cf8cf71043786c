/** A Pod Security Standards level. */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/**
 * Pod Security admission labels: enforce, audit and warn the given level, at the latest version. Every
 * Namespace the platform renders carries them.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  return Object.fromEntries(
    ['enforce', 'audit', 'warn'].flatMap((mode) => [
      [`pod-security.kubernetes.io/${mode}`, level],
      [`pod-security.kubernetes.io/${mode}-version`, 'latest'],
    ]),
  );
}
