/**
 * `new-relic` metadata (KEDA `newrelic_scaler.go`, docs `scalers/new-relic.md`): an NRQL query run
 * through NerdGraph; the HPA target is `threshold`. `account`, `queryKey` and `region` are read
 * `order=authParams;triggerMetadata`: a TriggerAuthentication wins over the metadata.
 */
import * as z from 'zod';
import type { RawIssue } from '../issues.js';
import { describeValue, dropEmptyValues, kedaBool, kedaFloat, kedaInt, kedaString, refusedKey } from '../metadataValues.js';
import type { NewRelicRegion, NewRelicTrigger } from '../types.js';
import type { AuthParameter } from './authParameters.js';
import { defineTrigger } from './definition.js';

const NEW_RELIC_REGIONS: readonly NewRelicRegion[] = ['US', 'EU', 'STAGING'];

/**
 * newrelic-client-go parses the region case-insensitively; `LOCAL` points its client at a New
 * Relic API on localhost, which means nothing to a Lambda. `undefined` when the text is no region.
 */
const newRelicRegion = (text: string): NewRelicRegion | undefined => NEW_RELIC_REGIONS.find((region) => region === text.trim().toUpperCase());

const REGION_RULE = 'must be US, EU or STAGING (case-insensitive)';

const HOST_REFUSED =
  "is not a KEDA new-relic parameter, and LPA adds none: the User API key goes with every query, so LPA sends it only to New Relic's own NerdGraph hosts; set region to US, EU or STAGING instead";

const NEW_RELIC_AUTH_PARAMETERS: readonly AuthParameter[] = [
  { name: 'account', inMetadata: true, required: true },
  { name: 'queryKey', inMetadata: true, required: true },
  { name: 'region', inMetadata: true, required: false },
];

const newRelicMetadata = () =>
  z.preprocess(
    dropEmptyValues,
    z.strictObject({
      // KEDA parses it as an int; `account: "0"` is accepted (KEDA's test table).
      account: kedaInt().optional(),
      queryKey: kedaString().optional(),
      region: kedaString()
        .transform((text, ctx) => newRelicRegion(text) ?? (ctx.addIssue({ code: 'custom', message: `${REGION_RULE}, got ${describeValue(text)}` }), z.NEVER))
        .optional(),
      nrql: kedaString().pipe(z.string().trim().min(1)),
      // Kubernetes rejects an HPA target of 0; KEDA zeroes it only for scalingModifiers, which ignore it.
      threshold: kedaFloat({ greaterThan: 0 }),
      activationThreshold: kedaFloat().default(0),
      noDataError: kedaBool().default(false),
      // KEDA's new-relic has no `host` (newrelic_scaler.go reads region only). LPA adds none: the
      // User API key goes with every query, so it is only ever sent to New Relic's own hosts.
      host: refusedKey(HOST_REFUSED),
    }),
  );

/** A User API key in the ScaledObject is readable by anyone who can read the manifest. */
const queryKeyWarnings = (metadata: { readonly queryKey?: string }): RawIssue[] =>
  metadata.queryKey === undefined
    ? []
    : [{ path: ['queryKey'], message: 'is a User API key in plain text in the manifest; keep it in a Secret or AWS Secrets Manager and reference it through a TriggerAuthentication' }];

const newRelic = defineTrigger<NewRelicTrigger>({
  type: 'new-relic',
  metadata: newRelicMetadata,
  targets: (metadata) => ({ target: metadata.threshold, activationTarget: metadata.activationThreshold }),
  warnings: queryKeyWarnings,
  authParameters: NEW_RELIC_AUTH_PARAMETERS,
});

export { REGION_RULE, newRelic, newRelicRegion };
