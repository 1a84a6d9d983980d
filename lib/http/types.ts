import type { HttpRequestRecord, HttpResponseRecord, TransportFailure } from '../model.js';

/** The outcome of one HTTP call: a response, or the reason there is none. Never throws. */
export interface SendResult {
  response?: HttpResponseRecord;
  failure?: TransportFailure;
  /** The request as finally sent (after signing and default headers). */
  request: HttpRequestRecord;
}

/** Turns a request into the request to send (adds Digest, Signature, certificate headers...). */
export type RequestSigner = (request: HttpRequestRecord) => HttpRequestRecord;

export interface HttpClient {
  send(request: HttpRequestRecord, options?: { sign?: boolean }): Promise<SendResult>;
  close(): Promise<void>;
}
