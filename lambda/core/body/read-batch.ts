import { BadRequestError, PayloadTooLargeError } from '../errors';
import { scanJsonArray } from './json-array';

/** One event of a request, as sent. */
export interface BatchElement {
  /** Position in the request's array. */
  readonly index: number;
  /** The element's exact text, as it stands in the (decoded) body. */
  readonly text: string;
  /** The parsed value; `undefined` when the element was too deep to parse. */
  readonly value: unknown;
  readonly tooDeep: boolean;
}

export interface BatchLimits {
  /** More elements than this: 413, before anything is parsed. */
  readonly maxEvents: number;
  /** Elements nested deeper than this are not parsed (they are quarantined). */
  readonly maxEventDepth: number;
}

const invalidJson = () => new BadRequestError('invalid_json', 'The body is not valid JSON');

/**
 * Reads the events of a JSON array body: each element's exact text and its value. It accepts
 * exactly the texts `JSON.parse` accepts as an array (a property test holds it to that), except
 * that an element nested deeper than the limit is passed on unparsed, to be quarantined.
 */
export function readBatch(json: string, limits: BatchLimits): BatchElement[] {
  const scan = scanJsonArray(json, limits.maxEvents);
  switch (scan.kind) {
    case 'not-an-array':
      throw new BadRequestError('not_an_array', 'The body must be a JSON array of events');
    case 'malformed':
      throw invalidJson();
    case 'too-many':
      throw new PayloadTooLargeError(
        'too_many_events',
        `The body holds more than ${limits.maxEvents} events; send smaller batches`,
      );
    case 'array':
      return scan.elements.map((span, index) => {
        const text = json.slice(span.start, span.end);
        if (span.depth > limits.maxEventDepth) return { index, text, value: undefined, tooDeep: true };
        try {
          return { index, text, value: JSON.parse(text), tooDeep: false };
        } catch {
          throw invalidJson();
        }
      });
  }
}
