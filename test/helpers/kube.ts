import type { Discovery, ScaleResource } from '../../shared/kube/discovery.js';
import { createScaleClient } from '../../shared/kube/scaleClient.js';
import { createKubeTransport, type TransportOptions } from '../../shared/kube/transport.js';
import type { ScaleClient, ScaleTargetRef } from '../../shared/kube/types.js';

/** A `scaleTargetRef` with KEDA's defaults: a Deployment in apps/v1. */
const deploymentRef = (name: string): ScaleTargetRef => ({ apiVersion: 'apps/v1', kind: 'Deployment', name });

/** What discovery resolves a Deployment to (the recorded `/apis/apps/v1`). */
const DEPLOYMENTS: ScaleResource = { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments' };

/**
 * For tests of the scale requests themselves against a scripted server that serves no discovery:
 * every target resolves to Deployments (discovery has its own tests).
 */
const deploymentsOnly: Discovery = { resolveScalable: async () => DEPLOYMENTS };

const scaleClientWithoutDiscovery = (options: TransportOptions): ScaleClient => createScaleClient(createKubeTransport(options), deploymentsOnly);

export { DEPLOYMENTS, deploymentRef, scaleClientWithoutDiscovery };
