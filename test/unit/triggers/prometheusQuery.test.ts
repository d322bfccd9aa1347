import { describe, expect, it } from 'vitest';
import { goQueryEscape, prometheusRequest, prometheusValue } from '../../../shared/triggers/prometheusQuery.js';
import { prometheusTrigger } from './requests.js';

const meta = (ignoreNullValues = true) => ({ query: 'up', ignoreNullValues });
const vector = (value: unknown) => JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1764687845.5, value] }] } });

describe('Function: goQueryEscape', () => {
  it.each([
    { text: 'sum(rate(x{a="b c"}[1m]))', escaped: 'sum%28rate%28x%7Ba%3D%22b+c%22%7D%5B1m%5D%29%29' },
    { text: "a-b_c.d~e*f!g'h", escaped: 'a-b_c.d~e%2Af%21g%27h' },
    { text: 'π', escaped: '%CF%80' },
  ])('escapes $text as Go url.QueryEscape does', ({ text, escaped }) => {
    expect(goQueryEscape(text)).toBe(escaped);
  });
});

describe('Function: prometheusRequest', () => {
  it("builds KEDA's query string: query, time (RFC 3339 seconds, UTC), namespace, then queryParameters in order", () => {
    const { metadata } = prometheusTrigger({ serverAddress: 'http://p.monitoring:9090', query: 'up == 1', namespace: 'team a', queryParameters: [['dedup', 'false'], ['x y', '1']], customHeaders: [['X-A', '1']] });

    expect(prometheusRequest(metadata, Date.parse('2026-12-02T15:04:05.999Z'))).toEqual({
      path: '/api/v1/query?query=up+%3D%3D+1&time=2026-12-02T15:04:05Z&namespace=team+a&dedup=false&x+y=1',
      headers: [['X-A', '1']],
    });
  });
});

describe('Function: prometheusValue', () => {
  it.each([
    { case: 'a decimal', body: vector('12.5'), expected: 12.5 },
    { case: 'an exponent', body: vector('1e3'), expected: 1000 },
    { case: 'a negative value (the engine reports it as 0, as KEDA does)', body: vector('-3'), expected: -3 },
    { case: 'a null sample value, by the null rule', body: vector(null), expected: 0 },
    { case: 'result null', body: '{"status":"success","data":{"resultType":"vector","result":null}}', expected: 0 },
  ])('reads $case', ({ body, expected }) => {
    expect(prometheusValue(200, body, meta())).toBe(expected);
  });

  it.each([
    { case: 'a scalar result (not a list of series)', body: '{"status":"success","data":{"resultType":"scalar","result":[1764687845,"3"]}}', message: 'not a list of series (resultType "scalar")' },
    { case: 'a numeric sample value', body: vector(3), message: 'not a string' },
    { case: 'a sample that is no number', body: vector('three'), message: 'not a number: "three"' },
    { case: 'a body that is not JSON', body: '<html>bad gateway</html>', message: 'not JSON: "<html>bad gateway</html>"' },
  ])('refuses $case', ({ body, message }) => {
    expect(() => prometheusValue(200, body, meta())).toThrow(message);
  });

  it('reports a null sample value as an error when ignoreNullValues is false', () => {
    expect(() => prometheusValue(200, vector(null), meta(false))).toThrow('query "up" returned a null value (ignoreNullValues is false)');
  });

  it("quotes AWS's {message} error body", () => {
    expect(() => prometheusValue(403, '{"message":"Credential should be scoped to a valid region."}', meta())).toThrow('Prometheus answered HTTP 403: "Credential should be scoped to a valid region."');
  });

  it('says an error body was empty', () => {
    expect(() => prometheusValue(502, '', meta())).toThrow('HTTP 502: an empty body');
  });
});
