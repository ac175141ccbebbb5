import type { JudgedRequest, StoragePlan } from './collect';

/**
 * The answer of the validation route: for each event of the request, whether collecting it would
 * store it in the stream, and if not why — exactly the judgement `/collect` makes, with nothing
 * stored. A GA4-style debugging aid for checking tracking before it ships.
 */

interface EventVerdict {
  readonly index: number;
  readonly event_id: string | null;
  readonly accepted: boolean;
  readonly reasons: readonly string[];
}

export interface ValidationReport {
  readonly requestId: string;
  readonly appId: string;
  readonly received: number;
  readonly accepted: number;
  readonly quarantined: number;
  readonly events: readonly EventVerdict[];
}

const MAX_ID_LENGTH = 128;

function eventId(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const id: unknown = Reflect.get(value, 'event_id');
  return typeof id === 'string' ? id.slice(0, MAX_ID_LENGTH) : null;
}

export function validationReport(judged: JudgedRequest, storage: StoragePlan): ValidationReport {
  const refused = new Map(storage.quarantined.map((event) => [event.index, event]));
  const verdicts: EventVerdict[] = [];
  for (const element of judged.elements) {
    const quarantined = refused.get(element.index);
    verdicts.push({
      index: element.index,
      event_id: eventId(element.value),
      accepted: quarantined === undefined,
      reasons: quarantined?.reasons ?? [],
    });
  }
  return {
    requestId: judged.context.rid,
    appId: judged.context.appId,
    received: judged.received,
    accepted: judged.received - storage.quarantined.length,
    quarantined: storage.quarantined.length,
    events: verdicts,
  };
}
