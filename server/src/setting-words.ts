import type { ClusterSource } from '@em-console/shared/schemas'

/** Where a dashboard cluster's fields are, once it is saved. */
const WHERE_EDITED = ' (Settings → Clusters, Edit)'

/**
 * The catalogue of actions and the clients' messages name a cluster's settings by the environment's
 * keys; a cluster added in the dashboard has fields instead (Settings → Clusters, Edit). Longest
 * phrases first, so a pair is said as a pair.
 */
const DASHBOARD_WORDS: ReadonlyArray<[RegExp, string]> = [
  [/Set CUCM_CA_FILE to the CUCM Tomcat certificate \(or its CA\) as PEM, and CUCM_HOST to a name that certificate lists/g, 'Give the cluster the CUCM Tomcat certificate (or its CA) as PEM, and as its host a name that certificate lists' + WHERE_EDITED],
  [/add it to the PEM file CUCM_CA_FILE names \(point CUCM_CA_FILE at it if none\), keeping the certificates already in it: EMAPI and AXL trust the same file; then restart the server \(it reads the file when it starts\)/g, 'add it to the cluster\'s CA certificate' + WHERE_EDITED + ', keeping the certificates already there: EMAPI and AXL trust the same ones'],
  [/Set CUCM_CA_FILE to the PEM file/g, 'Give the cluster the PEM' + WHERE_EDITED],
  [/set CUCM_TLS_INSECURE=false/g, 'untick "Do not verify the TLS certificate"'],
  [/Set CUCM_HOST to a name/g, 'Give the cluster as its host a name'],
  [/Set CUCM_AXL_HOST to/g, 'Set the cluster\'s AXL host' + WHERE_EDITED + ' to'],
  [/CUCM_HOST and CUCM_PORT \([^)]*\)/g, 'the cluster\'s host and port'],
  [/CUCM_HOST and CUCM_PORT/g, 'the cluster\'s host and port' + WHERE_EDITED],
  [/CUCM_APP_USER and CUCM_APP_PASSWORD/g, 'the cluster\'s application user and password' + WHERE_EDITED],
  [/CUCM_AXL_HOST and CUCM_AXL_PORT/g, 'the cluster\'s AXL host and port'],
  [/CUCM_AXL_USER and CUCM_AXL_PASSWORD/g, 'the cluster\'s AXL user and password'],
  [/CUCM_AXL_VERSION/g, 'the cluster\'s AXL version'],
  [/update CUCM_APP_PASSWORD/g, 'update the cluster\'s application password' + WHERE_EDITED],
  [/CUCM_TIMEOUT_MS/g, 'the cluster\'s time limit'],
  [/EMAPI_MAX_CONCURRENCY/g, 'the cluster\'s concurrency'],
  [/CUCM_AXL_PORT/g, 'the cluster\'s AXL port'],
  [/CUCM_AXL_HOST/g, 'the cluster\'s AXL host'],
  [/CUCM_PORT/g, 'the cluster\'s port'],
  [/CUCM_HOST/g, 'the cluster\'s host']
]

/** `text` in the words of the cluster's settings: as written for the environment's cluster, or for one of the dashboard's. */
export function inSettingsWords (text: string, source: ClusterSource): string {
  return source === 'environment' ? text : DASHBOARD_WORDS.reduce((said, [phrase, words]) => said.replace(phrase, words), text)
}

/**
 * `text` (in the dashboard's words) for a cluster not saved yet, checked from the add dialog: its
 * fields are the ones on screen, and it has no Edit in Settings → Clusters to be pointed at.
 */
export function forClusterNotSaved (text: string): string {
  return text.replaceAll(WHERE_EDITED, '')
}
