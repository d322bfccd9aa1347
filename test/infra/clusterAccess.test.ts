import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import { Match } from 'aws-cdk-lib/assertions';
import type { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { rbacObjects } from '../../infra/index.js';

const deployment = (namespace: string, name: string) => ({ namespace, apiVersion: 'apps/v1', kind: 'Deployment', name });
import { ACCOUNT, flatten, queueUrl, scaledObject, sqsTrigger, statementBySid, synthesize } from './fixtures.js';

const KUBECTL_ROLE = `arn:aws:iam::${ACCOUNT}:role/kubectl`;
const importedCluster = (stack: Stack) => eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'prod', kubectlRoleArn: KUBECTL_ROLE });

describe('Construct: PodAutoscaler — cluster access', () => {
  it('maps each function role to the Kubernetes group through an access entry with no access policy', () => {
    const { template } = synthesize({ wakeUps: {} });
    template.resourceCountIs('AWS::EKS::AccessEntry', 2);
    for (const role of ['LpaScalerRole', 'LpaAlarmRole']) {
      template.hasResourceProperties('AWS::EKS::AccessEntry', {
        ClusterName: 'demo',
        PrincipalArn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${role}`), 'Arn'] },
        Type: 'STANDARD',
        KubernetesGroups: ['lpa-scaler'],
        AccessPolicies: Match.absent(),
      });
    }
  });

  it('uses the Kubernetes group it is given, in the access entry and in the RBAC', () => {
    const { template, autoscaler } = synthesize({ kubernetesGroup: 'platform-autoscaler' });
    template.hasResourceProperties('AWS::EKS::AccessEntry', { KubernetesGroups: ['platform-autoscaler'] });
    expect(autoscaler.rbacYaml).toContain('name: platform-autoscaler');
  });

  it('creates no access entry when told (clusters still on aws-auth)', () => {
    const { template } = synthesize({ createAccessEntry: false });
    template.resourceCountIs('AWS::EKS::AccessEntry', 0);
  });

  it('exposes the RBAC for every namespace of the manifests', () => {
    const manifests = [scaledObject('a', 'shop', [sqsTrigger(queueUrl('a'))]), scaledObject('b', 'batch', [sqsTrigger(queueUrl('b'))])];
    const { autoscaler } = synthesize({ manifests });
    expect(autoscaler.rbacObjects).toEqual(rbacObjects({ targets: [deployment('shop', 'a'), deployment('batch', 'b')] }));
  });

  it('applies the RBAC through a cluster construct, and describes that cluster', () => {
    // Act
    const { template, autoscaler } = synthesize((stack) => ({ cluster: importedCluster(stack) }));
    // Assess: the applied objects are the generated ones, plus the label CDK prunes by.
    const [manifest] = Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'));
    const applied = JSON.parse(flatten(manifest?.Properties.Manifest)) as { metadata: { labels: Record<string, string> } }[];
    for (const object of applied) {
      for (const label of Object.keys(object.metadata.labels)) if (label.startsWith('aws.cdk.eks/prune-')) delete object.metadata.labels[label];
    }
    expect(applied).toEqual(rbacObjects({ targets: [deployment('jobs', 'worker')] }));
    expect(autoscaler.rbacObjects).toEqual(rbacObjects({ targets: [deployment('jobs', 'worker')] }));
    template.hasResourceProperties('AWS::EKS::AccessEntry', { ClusterName: 'prod', KubernetesGroups: ['lpa-scaler'] });
    expect(statementBySid(template, 'LpaScalerRole', 'DescribeCluster')?.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:eks:eu-west-1:${ACCOUNT}:cluster/prod`]],
    });
  });

  it('leaves the RBAC to the operator when applyRbac is false', () => {
    const { template } = synthesize((stack) => ({ cluster: importedCluster(stack), applyRbac: false }));
    template.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 0);
  });
});

describe('Construct: PodAutoscaler — private endpoints', () => {
  it('places both functions in the VPC with the security groups given, and lets them manage their interfaces', () => {
    // Act
    const { template } = synthesize((stack) => {
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const securityGroup = new ec2.SecurityGroup(stack, 'Lambdas', { vpc, description: 'LPA functions: 443 to the cluster API' });
      return { vpcPlacement: { vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, securityGroups: [securityGroup] }, wakeUps: {} };
    });
    // Assess
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      expect(fn.Properties.VpcConfig).toEqual({
        SecurityGroupIds: [{ 'Fn::GetAtt': [expect.stringMatching(/^Lambdas/), 'GroupId'] }],
        SubnetIds: [{ Ref: expect.stringMatching(/^VpcprivateSubnet1/) }, { Ref: expect.stringMatching(/^VpcprivateSubnet2/) }],
      });
    }
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole']] }],
    });
  });
});
