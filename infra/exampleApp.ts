/**
 * The example app: one stack with a PodAutoscaler for the manifests in examples/, checked by
 * cdk-nag's AwsSolutions pack (a finding without an acknowledged reason fails synth). Besides the
 * templates, the cloud assembly gets `lpa-rbac.yaml`: the RBAC to `kubectl apply` on a cluster
 * that CDK does not manage (the same YAML `lpa rbac examples/*.yaml` prints).
 */
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Stack, Validations } from 'aws-cdk-lib';
import type { AppProps, Environment } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PodAutoscaler } from './podAutoscaler.js';

/** Where the RBAC lands in the cloud assembly (cdk.out/ by default). */
const RBAC_FILE = 'lpa-rbac.yaml';

const EXAMPLE_MANIFESTS = ['orders-worker.yaml', 'reports.yaml'].map((name) =>
  // Relative to the working directory, so synth errors read like `lpa validate`'s.
  relative(process.cwd(), fileURLToPath(new URL(`../examples/${name}`, import.meta.url))),
);

interface ExampleAppOptions extends Pick<AppProps, 'outdir' | 'context'> {
  /** @default the cluster's region, eu-west-1, and CDK_DEFAULT_ACCOUNT (unset offline: any account) */
  readonly env?: Environment;
}

const buildExampleApp = (options: ExampleAppOptions = {}): { app: App; stack: Stack; autoscaler: PodAutoscaler } => {
  const app = new App({ ...(options.outdir === undefined ? {} : { outdir: options.outdir }), ...(options.context === undefined ? {} : { context: options.context }) });
  // The region is the cluster's, not the CLI profile's: access entries and alarms live next to it.
  const env = options.env ?? { account: process.env.CDK_DEFAULT_ACCOUNT, region: 'eu-west-1' };
  const stack = new Stack(app, 'LpaExample', { env, description: 'Lambda Pod Autoscaler: example deployment for the EKS cluster "demo"' });
  const autoscaler = new PodAutoscaler(stack, 'PodAutoscaler', {
    cluster: { clusterName: 'demo' },
    manifests: EXAMPLE_MANIFESTS,
    wakeUps: {},
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, autoscaler };
};

/** Synthesizes the example and writes the RBAC file next to the templates. */
const synthExampleApp = (options: ExampleAppOptions = {}): CloudAssembly => {
  const { app, autoscaler } = buildExampleApp(options);
  const assembly = app.synth();
  writeFileSync(join(assembly.directory, RBAC_FILE), autoscaler.rbacYaml);
  return assembly;
};

export { EXAMPLE_MANIFESTS, RBAC_FILE, buildExampleApp, synthExampleApp };
export type { ExampleAppOptions };
