import type { HttpRequestRecord, HttpResponseRecord, TransportFailure } from '../../core/model.js';

/** The outcome of one HTTP call: a response, or the reason there is none. Never throws. */
export interface SendResult {
  response?: HttpResponseRecord;
  failure?: TransportFailure;
  /** The request as finally sent (after signing and default headers). */
  request: HttpRequestRecord;
  /** Set when nothing was sent because the URL leaves the allowed origins (origin policy): why. */
  refused?: string;
  /** Redirects followed to reach this response ("302 <from> → <to>"), in order. */
  redirects?: string[];
  /** The response is a redirect that was not followed because it leaves the allowed origins. */
  redirectRefused?: { location: string; reason: string };
}

/** Turns a request into the request to send (adds Digest, Signature, certificate headers...). */
export type RequestSigner = (request: HttpRequestRecord) => HttpRequestRecord;

export interface HttpClient {
  send(request: HttpRequestRecord, options?: { sign?: boolean }): Promise<SendResult>;
  close(): Promise<void>;
}
