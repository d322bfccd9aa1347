/** The infra module's public surface: the construct, its props and defaults, and the pure generators it uses. */
export { PodAutoscaler } from './podAutoscaler.js';
export { PodAutoscalerPropsError, checkPodAutoscalerProps } from './props.js';
export type { ClusterReference, FromClusterProps, PodAutoscalerProps, ScheduleSplitProps, VpcPlacement, WakeUpProps } from './props.js';
export { DEFAULTS, LIMITS, getDefaultTableProps } from './defaults.js';
export { DEFAULT_KUBERNETES_GROUP, LPA_POLICY_RULES, POD_METRICS_RULE, grantOf, rbacNeedsOf, rbacObjects, rbacYaml, resourceOfKind } from './rbac.js';
export type { KubernetesObject, RbacOptions } from './rbac.js';
export { loadManifests } from './manifests.js';
export type { LoadedManifests, LoadedObject, ManifestSource } from './manifests.js';
export { splitScaleGroup } from './scaleGroups.js';
export type { ScaleGroupCluster, ScaleGroupEvent, SplitOptions } from './scaleGroups.js';
export { awsAccessOf } from './awsAccess.js';
export type { AwsAccess, QueueRef } from './awsAccess.js';
export { tenancyStatements } from './tenancyAccess.js';
export type { TenancyProps } from './tenancyAccess.js';
export type { ClusterAuthenticationAllowance, TenantAllowance } from '../shared/access/tenancy.js';
