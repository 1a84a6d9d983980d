import { perExchange, type RuleKind } from '../kind.js';

export interface ContentTypeParams {
  /** The media types the spec declares for the success body. */
  mediaTypes: string[];
}

/** The media type without parameters, lower-case ("application/json; charset=utf-8" → "application/json"). */
export function mediaTypeOf(header: string | undefined): string | undefined {
  return header?.split(';')[0]?.trim().toLowerCase() || undefined;
}

/** A success body comes with a Content-Type the spec declares (parameters such as charset are fine). */
export const contentType: RuleKind<ContentTypeParams> = {
  kind: 'content-type',
  category: 'headers',
  severity: 'major',
  description: 'A success body is sent with the media type the spec declares.',
  needs: 'response',
  check: (input) => perExchange(input, (ex, push) => {
    const res = ex.response!;
    if (res.status < 200 || res.status >= 300 || res.status === 204) return 0;
    const got = mediaTypeOf(res.headers['content-type']);
    if (!got || !input.params.mediaTypes.includes(got)) {
      push({ message: `Content-Type is ${got ? `'${res.headers['content-type']}'` : 'missing'}; the spec declares ${input.params.mediaTypes.join(' or ')}` });
    }
    return 1;
  }),
};
