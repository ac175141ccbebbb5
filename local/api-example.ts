/**
 * The request of the Clickstream HTTP API document's cURL example, so the banner's ready-to-paste
 * command and the tests send exactly what the document shows.
 */
export const API_EXAMPLE = {
  appId: 'test_release',
  query: 'platform=Android&event_bundle_sequence_id=1',
  headers: {
    'Content-Type': 'application/json; charset=utf-8',
    'X-Forwarded-For': '101.188.67.134',
  },
  body:
    '[{"event_type":"button_click","event_id":"460daa08-0717-4385-8f2e-acb5bd019ee7","timestamp":1667877566697,' +
    '"app_id":"your appId","attributes":{"productName":"shoes","Price":99.9}},' +
    '{"event_type":"item_view","event_id":"c6067c1c-fd8d-4fdb-bfaf-cc1212ca0195","timestamp":1667877565698,' +
    '"app_id":"your appId","attributes":{"productName":"book","Price":39.9}}]',
} as const;

/** The example's URL on a given collector: `{baseUrl}{path}?appId=…&platform=Android&…`. */
export function exampleUrl(baseUrl: string, collectPath: string, appId: string = API_EXAMPLE.appId): string {
  return `${baseUrl}${collectPath}?appId=${encodeURIComponent(appId)}&${API_EXAMPLE.query}`;
}

/** The document's cURL command, pointed at `url`. */
export function exampleCurl(url: string): string {
  const lines = [
    `curl --location '${url}'`,
    ...Object.entries(API_EXAMPLE.headers).map(([name, value]) => `--header '${name}: ${value}'`),
    `--data '${API_EXAMPLE.body}'`,
  ];
  return lines.join(' \\\n');
}
