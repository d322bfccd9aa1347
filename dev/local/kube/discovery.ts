import type { SimulatedCluster } from './cluster.js';

/**
 * API discovery as kube-apiserver v1.26 serves it (team notes `kube-api-responses-keda.md` §1): the
 * `APIResourceList` of each group-version, with `<resource>/scale` entries only where the kind has a
 * scale subresource. Built-in documents are the recorded ones (cut to what LPA's kinds need); a CRD's is
 * built the way the apiextensions server builds it. Discovery paths are non-resource URLs: every
 * authenticated user may read them (the `system:discovery` ClusterRole).
 */

type Json = Record<string, unknown>;

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const CR_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];
const SUB_VERBS = ['get', 'patch', 'update'];

const scaleEntry = (resource: string): Json => ({
  name: `${resource}/scale`,
  singularName: '',
  namespaced: true,
  group: 'autoscaling',
  version: 'v1',
  kind: 'Scale',
  verbs: SUB_VERBS,
});
const statusEntry = (resource: string, kind: string, namespaced = true): Json => ({ name: `${resource}/status`, singularName: '', namespaced, kind, verbs: SUB_VERBS });

const APPS_V1: Json = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'apps/v1',
  resources: [
    { name: 'controllerrevisions', singularName: '', namespaced: true, kind: 'ControllerRevision', verbs: ALL_VERBS, storageVersionHash: '85nkx63pcBU=' },
    { name: 'daemonsets', singularName: '', namespaced: true, kind: 'DaemonSet', verbs: ALL_VERBS, shortNames: ['ds'], categories: ['all'], storageVersionHash: 'dd7pWHUlMKQ=' },
    statusEntry('daemonsets', 'DaemonSet'),
    { name: 'deployments', singularName: '', namespaced: true, kind: 'Deployment', verbs: ALL_VERBS, shortNames: ['deploy'], categories: ['all'], storageVersionHash: '8aSe+NMegvE=' },
    scaleEntry('deployments'),
    statusEntry('deployments', 'Deployment'),
    { name: 'replicasets', singularName: '', namespaced: true, kind: 'ReplicaSet', verbs: ALL_VERBS, shortNames: ['rs'], categories: ['all'], storageVersionHash: 'P1RzHs8/mWQ=' },
    scaleEntry('replicasets'),
    statusEntry('replicasets', 'ReplicaSet'),
    { name: 'statefulsets', singularName: '', namespaced: true, kind: 'StatefulSet', verbs: ALL_VERBS, shortNames: ['sts'], categories: ['all'], storageVersionHash: 'H+vl74LkKdo=' },
    scaleEntry('statefulsets'),
    statusEntry('statefulsets', 'StatefulSet'),
  ],
};

/** The core group has no `apiVersion` key in its document (recorded). */
const CORE_V1: Json = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    { name: 'events', singularName: '', namespaced: true, kind: 'Event', verbs: ALL_VERBS, shortNames: ['ev'], storageVersionHash: 'r2yiGXH7wu8=' },
    { name: 'pods', singularName: '', namespaced: true, kind: 'Pod', verbs: ALL_VERBS, shortNames: ['po'], categories: ['all'], storageVersionHash: 'xPOwRZ+Yhw8=' },
    { name: 'secrets', singularName: '', namespaced: true, kind: 'Secret', verbs: ALL_VERBS, storageVersionHash: 'S6u1pOWzb84=' },
    { name: 'services/proxy', singularName: '', namespaced: true, kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  ],
};

const KEDA_V1ALPHA1: Json = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'keda.sh/v1alpha1',
  resources: [
    { name: 'scaledobjects', singularName: 'scaledobject', namespaced: true, kind: 'ScaledObject', verbs: CR_VERBS, shortNames: ['so'], storageVersionHash: 'GB5mKGeb4xM=' },
    statusEntry('scaledobjects', 'ScaledObject'),
    { name: 'triggerauthentications', singularName: 'triggerauthentication', namespaced: true, kind: 'TriggerAuthentication', verbs: CR_VERBS, shortNames: ['ta', 'triggerauth'], storageVersionHash: 'HeWFMkaJbn0=' },
    statusEntry('triggerauthentications', 'TriggerAuthentication'),
    { name: 'clustertriggerauthentications', singularName: 'clustertriggerauthentication', namespaced: false, kind: 'ClusterTriggerAuthentication', verbs: CR_VERBS, shortNames: ['cta', 'clustertriggerauth'], storageVersionHash: 'PKiNbUb/LaQ=' },
    statusEntry('clustertriggerauthentications', 'ClusterTriggerAuthentication', false),
    { name: 'scaledjobs', singularName: 'scaledjob', namespaced: true, kind: 'ScaledJob', verbs: CR_VERBS, shortNames: ['sj'], storageVersionHash: 'FOxAXHkDUlI=' },
    statusEntry('scaledjobs', 'ScaledJob'),
  ],
};

const EVENTS_V1: Json = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'events.k8s.io/v1',
  resources: [{ name: 'events', singularName: '', namespaced: true, kind: 'Event', verbs: ALL_VERBS, shortNames: ['ev'], storageVersionHash: 'r2yiGXH7wu8=' }],
};

const AUTOSCALING_V2: Json = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'autoscaling/v2',
  resources: [
    { name: 'horizontalpodautoscalers', singularName: '', namespaced: true, kind: 'HorizontalPodAutoscaler', verbs: ALL_VERBS, shortNames: ['hpa'], categories: ['all'], storageVersionHash: 'qwQve8ut294=' },
    statusEntry('horizontalpodautoscalers', 'HorizontalPodAutoscaler'),
  ],
};

const BUILT_IN: Readonly<Record<string, Json>> = {
  'apps/v1': APPS_V1,
  'events.k8s.io/v1': EVENTS_V1,
  'autoscaling/v2': AUTOSCALING_V2,
  'keda.sh/v1alpha1': KEDA_V1ALPHA1,
};

/** The document of a CRD's group-version: the resource, its status, and its scale when declared. */
const crdDocument = (cluster: SimulatedCluster, groupVersion: string): Json | undefined => {
  const definitions = cluster.customResourceDefinitions().filter((d) => `${d.group}/${d.version}` === groupVersion);
  if (definitions.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: definitions.flatMap((d) => [
      { name: d.resource, singularName: d.kind.toLowerCase(), namespaced: true, kind: d.kind, verbs: CR_VERBS, storageVersionHash: 'bQ1YHmG75GQ=' },
      statusEntry(d.resource, d.kind),
      ...(d.scale ? [scaleEntry(d.resource)] : []),
    ]),
  };
};

const groupVersions = (cluster: SimulatedCluster): string[] => [
  ...Object.keys(BUILT_IN),
  ...new Set(cluster.customResourceDefinitions().map((d) => `${d.group}/${d.version}`)),
];

/** `/api`, `/apis`, `/api/v1`, `/apis/<group>/<version>`: the body, or undefined when the path is not a discovery path it serves. */
const discoveryDocument = (cluster: SimulatedCluster, pathname: string): Json | undefined => {
  const path = pathname.replace(/\/+$/, '');
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] };
  if (path === '/api/v1') return CORE_V1;
  if (path === '/apis') {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: groupVersions(cluster).map((groupVersion) => {
        const [name, version] = groupVersion.split('/');
        return { name, versions: [{ groupVersion, version }], preferredVersion: { groupVersion, version } };
      }),
    };
  }
  const match = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
  if (match === null) return undefined;
  const groupVersion = `${match[1]}/${match[2]}`;
  return BUILT_IN[groupVersion] ?? crdDocument(cluster, groupVersion);
};

/** Whether `pathname` is a discovery path at all (served or 404), as opposed to a resource path. */
const isDiscoveryPath = (pathname: string): boolean => /^\/(api|apis)(\/[^/]+)?(\/[^/]+)?\/?$/.test(pathname) && !/^\/api\/[^/]+\/[^/]+/.test(pathname);

export { discoveryDocument, isDiscoveryPath };
