/**
 * `lpa decide` with a cpu trigger: its metric entry is the pods and PodMetrics exactly as the
 * Kubernetes API returns them (metrics-server's nanocores, Go-duration windows), and the optional
 * `controller` settings. The fixture is the README's example.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runLpa } from '../helpers/cli.js';

const example = (): Record<string, any> => JSON.parse(readFileSync(new URL('../../examples/cpu-evaluation.json', import.meta.url), 'utf8'));

describe('CLI: lpa decide (cpu)', () => {
  it('computes the HPA Resource proposal from the pods and their PodMetrics', () => {
    const result = runLpa(['decide'], JSON.stringify(example()));
    expect(result.status).toBe(0);
    // 300m + 302m of 400m requested = 150 % against 50 % → 6, limited to max(2×2, 4) = 4.
    expect(JSON.parse(result.stdout)).toMatchObject({ replicas: 4, reason: 'ScaleUpLimit', message: expect.stringContaining('cpu=150%/50%') });
  });

  it('reads the controller settings: a pod that became ready within its sample window is unready while the CPU initialization period lasts', () => {
    const input = example();
    // Pod 1 started at 09:59:00 and became ready at 10:00:00, inside its sample's 1-minute window.
    input.metrics.cpu.pods[1].status = { phase: 'Running', startTime: '2026-12-02T09:59:00Z', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-12-02T10:00:00Z' }] };
    const withPeriod = JSON.parse(runLpa(['decide'], JSON.stringify(input)).stdout);
    const withoutPeriod = JSON.parse(runLpa(['decide'], JSON.stringify({ ...input, controller: { cpuInitializationPeriodSeconds: 0 } })).stdout);
    // Unready on a scale-up counts as 0: (300 + 0) / 400 = 75 % → ceil(1.5 × 2) = 3; counted: 4 (the limit).
    expect([withPeriod.replicas, withoutPeriod.replicas]).toEqual([3, 4]);
  });

  it('names the path of a malformed pod or sample and exits 1', () => {
    const input = example();
    input.metrics.cpu.podMetrics[0].containers[0].usage.cpu = 'lots';
    input.metrics.cpu.pods[1].spec.containers = 'php-apache';
    const result = runLpa(['decide'], JSON.stringify(input));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('metrics.cpu.podMetrics[0].containers[0].usage.cpu: must be a Kubernetes quantity');
    expect(result.stderr).toContain('metrics.cpu.pods[1].spec.containers');
  });
});
