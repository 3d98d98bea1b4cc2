/**
 * Artifact URIs as stored in `artifacts.uri`: `<scheme>:sha256/<hex digest>`. The local store's
 * scheme is `local` (what every existing database holds); the digest is what makes the store
 * content-addressed, the scheme says which store wrote it.
 */
const ARTIFACT_URI = /^([a-z][a-z0-9+.-]*):sha256\/([0-9a-f]{64})$/;

export function artifactUri(scheme: string, sha256: string): string {
  return `${scheme}:sha256/${sha256}`;
}

/** The digest of a URI written by the store of `scheme`; throws for any other URI. */
export function digestOf(uri: string, scheme: string): string {
  const match = ARTIFACT_URI.exec(uri);
  if (match?.[1] !== scheme || !match[2]) throw new Error(`not a ${scheme} artifact uri: ${uri}`);
  return match[2];
}
