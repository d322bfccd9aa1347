import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runLpa } from '../helpers/cli.js';

interface Crd {
  kind: string;
  metadata: { name: string };
  spec: { versions: { name: string; subresources?: { status?: object }; additionalPrinterColumns?: { name: string; jsonPath: string }[] }[] };
}

describe('CLI: lpa crds', () => {
  const result = runLpa(['crds']);
  const crds = parseAllDocuments(result.stdout).map((d) => d.toJS() as Crd);

  it("prints KEDA's four CRDs as one YAML stream", () => {
    expect(result.status).toBe(0);
    expect(crds.map((c) => `${c.kind} ${c.metadata.name}`)).toEqual([
      'CustomResourceDefinition clustertriggerauthentications.keda.sh',
      'CustomResourceDefinition triggerauthentications.keda.sh',
      'CustomResourceDefinition scaledobjects.keda.sh',
      'CustomResourceDefinition scaledjobs.keda.sh',
    ]);
  });

  it('keeps the ScaledObject printer columns kubectl get so shows, and its status subresource', () => {
    const [version] = crds.find((c) => c.metadata.name === 'scaledobjects.keda.sh')?.spec.versions ?? [];
    expect(version?.name).toBe('v1alpha1');
    expect(version?.subresources?.status).toEqual({});
    expect(version?.additionalPrinterColumns?.map((c) => c.name)).toEqual(['ScaleTargetKind', 'ScaleTargetName', 'Min', 'Max', 'Ready', 'Active', 'Fallback', 'Paused', 'Triggers', 'Authentications', 'Age']);
    expect(version?.additionalPrinterColumns?.find((c) => c.name === 'Ready')?.jsonPath).toBe('.status.conditions[?(@.type=="Ready")].status');
  });
});
