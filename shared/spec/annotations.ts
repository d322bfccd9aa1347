/**
 * KEDA's pause annotations (`autoscaling.keda.sh/*`, docs "Pausing autoscaling"), read once into
 * `PauseControls` so the engine never looks at annotation strings.
 */
import { closest, INT32_MAX } from './issues.js';
import type { RawIssue } from './issues.js';
import { describeValue, parseGoBool } from './metadataValues.js';
import type { PauseControls } from './types.js';

const PREFIX = 'autoscaling.keda.sh/';
const PAUSED = `${PREFIX}paused`;
const PAUSED_REPLICAS = `${PREFIX}paused-replicas`;
const PAUSED_SCALE_IN = `${PREFIX}paused-scale-in`;
const PAUSED_SCALE_OUT = `${PREFIX}paused-scale-out`;
const FORCE_ACTIVATION = `${PREFIX}force-activation`;
const KNOWN: readonly string[] = [PAUSED, PAUSED_REPLICAS, PAUSED_SCALE_IN, PAUSED_SCALE_OUT, FORCE_ACTIVATION];

/** `paused-replicas` is parsed with `strconv.ParseInt(v, 10, 32)`; a negative count makes no sense. */
const REPLICAS = /^\+?\d+$/;

/**
 * KEDA's `getBoolAnnotation`: present and not a ParseBool "false" means true, so `"yes"` or `""`
 * pause, and only `"false"`, `"0"`, `"f"`… do not.
 */
const flag = (annotations: Readonly<Record<string, unknown>>, key: string): boolean => {
  const value = annotations[key];
  return typeof value === 'string' && parseGoBool(value) !== false;
};

interface PauseReading {
  readonly pause: PauseControls;
  readonly issues: readonly RawIssue[];
  readonly warnings: readonly RawIssue[];
}

/** Reads the annotations (non-string values are left to the schema to report); paths start at `metadata`. */
const readPauseControls = (annotations: Readonly<Record<string, unknown>>): PauseReading => {
  const issues: RawIssue[] = [];
  const warnings: RawIssue[] = [];
  const path = (key: string) => ['metadata', 'annotations', key];

  let pausedReplicas: number | undefined;
  const replicas = annotations[PAUSED_REPLICAS];
  if (typeof replicas === 'string') {
    const count = REPLICAS.test(replicas.trim()) ? Number(replicas.trim()) : Number.NaN;
    if (Number.isSafeInteger(count) && count <= INT32_MAX) pausedReplicas = count;
    else issues.push({ path: path(PAUSED_REPLICAS), message: `must be a non-negative integer replica count, got ${describeValue(replicas)}` });
  }

  for (const key of Object.keys(annotations)) {
    if (!key.startsWith(PREFIX) || KNOWN.includes(key)) continue;
    const suggestion = closest(key, KNOWN);
    const hint = suggestion === undefined ? `known: ${KNOWN.join(', ')}` : `did you mean "${suggestion}"?`;
    warnings.push({ path: path(key), message: `is not a KEDA annotation LPA knows, so it has no effect; ${hint}` });
  }

  const pause: PauseControls = {
    // paused-replicas pauses by itself, whatever `paused` says (KEDA: it wins if both are set).
    paused: pausedReplicas !== undefined || typeof replicas === 'string' || flag(annotations, PAUSED),
    ...(pausedReplicas === undefined ? {} : { pausedReplicas }),
    pausedScaleIn: flag(annotations, PAUSED_SCALE_IN),
    pausedScaleOut: flag(annotations, PAUSED_SCALE_OUT),
    forceActivation: flag(annotations, FORCE_ACTIVATION),
  };
  return { pause, issues, warnings };
};

export { readPauseControls };
