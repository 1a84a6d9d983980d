import { defineKind, perExchange } from '../kind.js';

export interface ContentTypeParams {
  /** The media types the spec declares for the success body. */
  mediaTypes: string[];
}

/** The media type without parameters, lower-case ("application/json; charset=utf-8" → "application/json"). */
export function mediaTypeOf(header: string | undefined): string | undefined {
  return header?.split(';')[0]?.trim().toLowerCase() || undefined;
}

/** A success body comes with a Content-Type the spec declares (parameters such as charset are fine). */
export const contentType = defineKind<ContentTypeParams>({
  kind: 'content-type',
  category: 'headers',
  severity: 'major',
  idPattern: '{operationId}:content-type',
  docs: { description: 'A success body is sent with the media type the spec declares.', specRef: 'OpenAPI Response Object: content; RFC 9110 §8.3' },
  needs: 'response',
  applies: {
    operation: ({ op, success, specRef }) => {
      const mediaTypes = [...new Set(success.flatMap((r) => Object.keys(r.content)))];
      const first = success[0];
      if (mediaTypes.length === 0 || !first) return [];
      return [
        {
          id: `${op.operationId}:content-type`,
          title: `${op.endpoint} sends ${mediaTypes.join(' or ')}`,
          specRef: specRef(`${op.location}/responses/${first.status}/content`),
          params: { mediaTypes },
        },
      ];
    },
  },
  check: (input) =>
    perExchange(input, (ex, push) => {
      // needs 'response': the judge hands a check only exchanges that got one.
      const res = ex.response;
      if (!res) return 0;
      if (res.status < 200 || res.status >= 300 || res.status === 204) return 0;
      const got = mediaTypeOf(res.headers['content-type']);
      if (!got || !input.params.mediaTypes.includes(got)) {
        push({ message: `Content-Type is ${got ? `'${res.headers['content-type']}'` : 'missing'}; the spec declares ${input.params.mediaTypes.join(' or ')}` });
      }
      return 1;
    }),
});
